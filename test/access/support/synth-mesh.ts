/**
 * Synthesizes a mesh project in-process, as `cdk synth` would (the platform's cdk.json feature flags), and
 * returns every template — nested ones included — with the environment verification assumes for it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { DomainStack } from '../../../constructs/domain-stack';
import { MESH_TREE_METADATA, meshSynthContext } from '../../../constructs/mesh-app';
import { type ConcreteEnv, concreteEnvOf } from '../../../lib/access/verify/matrix';
import type { CfnTemplate, StackTemplate } from '../../../lib/access/verify/templates';
import { readCdkContext, readMeshConfig } from '../../../lib/mesh/config';
import { loadMesh } from '../../../lib/mesh/load';
import type { Mesh } from '../../../lib/mesh/model';
import { domainNames } from '../../../lib/mesh/naming';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where environment-agnostic stacks are assumed deployed for verification. */
export const TEST_ENV: ConcreteEnv = { account: '111111111111', region: 'eu-west-1' };

export interface SynthesizedMesh {
  readonly mesh: Mesh;
  readonly assembly: CloudAssembly;
  /** Every template, top-level and nested, with its assumed environment. */
  readonly templates: readonly StackTemplate[];
  /** Error annotations, as `<stack>: <message>`. */
  readonly errors: readonly string[];
}

export interface SynthOptions {
  /** Output folder. @default a new temporary folder */
  readonly outdir?: string;
  /** Environment of stacks that pin none. @default TEST_ENV */
  readonly env?: ConcreteEnv;
  /** Stage of a mesh with stages. @default MESH_STAGE, else the mesh's defaultStage */
  readonly stage?: string;
}

export function synthesizeMesh(root: string, options: SynthOptions = {}): SynthesizedMesh {
  const mesh = loadMesh({ root, config: readMeshConfig(root, options.stage ?? process.env.MESH_STAGE) });
  return synthesizeLoadedMesh(mesh, options);
}

export function synthesizeLoadedMesh(mesh: Mesh, options: SynthOptions = {}): SynthesizedMesh {
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-access-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    treeMetadata: MESH_TREE_METADATA,
    context: { ...readCdkContext(PROJECT_ROOT), ...meshSynthContext() },
  });
  // The domain stacks exactly as the app builds them, without the governance aspects: access is verified on
  // meshes (generated, at scale) that governance would reject for unrelated reasons (no SLA, no contract lock).
  for (const domain of mesh.domains) {
    const { stackName } = domainNames(mesh.config, domain.name);
    new DomainStack(app, stackName, { stackName, mesh, domain, env: domain.definition.env });
  }
  const assembly = app.synth();
  const fallback = options.env ?? TEST_ENV;
  const templates: StackTemplate[] = [];
  const errors: string[] = [];
  for (const stack of assembly.stacks) {
    const domain = mesh.domains.find((d) => domainNames(mesh.config, d.name).stackName === stack.stackName);
    const { account, region } = domain ? concreteEnvOf(domain, fallback) : fallback;
    templates.push({ name: stack.stackName, template: stack.template as CfnTemplate, env: { account, region } });
    for (const message of stack.messages) {
      if (message.level === 'error') errors.push(`${stack.stackName}: ${String(message.entry.data)}`);
    }
    // Nested stacks: their templates are file assets of the parent stack.
    const assetsFile = path.join(assembly.directory, `${stack.id}.assets.json`);
    const assets = fs.existsSync(assetsFile)
      ? (JSON.parse(fs.readFileSync(assetsFile, 'utf8')) as { files?: Record<string, { source: { path?: string } }> })
      : {};
    for (const { source } of Object.values(assets.files ?? {})) {
      if (!source.path?.endsWith('.nested.template.json')) continue;
      const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, source.path), 'utf8')) as CfnTemplate;
      templates.push({ name: source.path, template, env: { account, region } });
    }
  }
  return { mesh, assembly, templates, errors };
}
