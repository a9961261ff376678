/**
 * Cloud assemblies for gate tests: a mesh synthesized in-process as the CDK CLI runs bin/app.ts (path and
 * asset metadata on, reports written beside the templates), copies to tamper with, and edit helpers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } from '../../../constructs/mesh-app';
import { readCdkContext } from '../../../lib/mesh/config';
import type { Mesh } from '../../../lib/mesh/model';
import type { DefinitionProblem } from '../../../lib/mesh/problems';
import { type GovernanceOptions, writePolicyReports } from '../../../lib/policies';
import { PROJECT_ROOT } from './apps';

/** The context the CDK CLI and bin/app.ts give the app. */
export const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  '@aws-cdk/core:annotationsInValidationReport': false,
};

export interface SynthOptions {
  /** Only this domain's stack, as `-c domain=<name>`. @default every domain */
  readonly onlyDomain?: string;
  /** Folder to write to. @default a fresh temporary folder */
  readonly outdir?: string;
  /** @default the defaults synthesis uses, with the project root */
  readonly governance?: GovernanceOptions;
  /** Domains blocked by definition problems, as bin/app.ts passes them. @default none */
  readonly blocked?: ReadonlyMap<string, readonly DefinitionProblem[]>;
}

/** Synthesizes the mesh with governance into a folder, reports included; returns the folder. */
export function synthesizeAssembly(mesh: Mesh, options: SynthOptions = {}): string {
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gate-assembly-'));
  const app = new App({
    outdir,
    treeMetadata: MESH_TREE_METADATA,
    context: {
      ...readCdkContext(PROJECT_ROOT),
      ...meshSynthContext(),
      // Annotation errors are reported in the manifest (as under the CDK CLI), not thrown by synth.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...CLI_CONTEXT,
    },
  });
  addDomainStacks(app, mesh, {
    onlyDomain: options.onlyDomain,
    governance: { root: PROJECT_ROOT, ...options.governance },
    blocked: options.blocked,
  });
  const assembly = app.synth();
  writePolicyReports(app, assembly.directory, () => {});
  return assembly.directory;
}

/** A copy of an assembly to tamper with. */
export function copyAssembly(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gate-tampered-'));
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary template and report JSON
export type Json = Record<string, any>;

/** Rewrites a JSON file of the assembly the way a hand (or a script) would. */
export function editJson(dir: string, file: string, edit: (json: Json) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8')) as Json;
  edit(json);
  fs.writeFileSync(full, JSON.stringify(json));
}

/** The logical ID of the one resource of the template whose aws:cdk:path is `constructPath`. */
export function logicalIdAt(dir: string, file: string, constructPath: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
  const found = Object.entries(template.Resources as Json).filter(
    ([, r]) => (r as Json).Metadata?.['aws:cdk:path'] === constructPath,
  );
  if (found.length !== 1) throw new Error(`${file}: ${found.length} resources at ${constructPath}`);
  return found[0][0];
}
