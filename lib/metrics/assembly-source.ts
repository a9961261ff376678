/**
 * Where the metrics' assembly facts come from: an assembly already synthesized (`cdk.out`) when its policy
 * reports cover the current stacks, otherwise the mesh synthesized in-process into a temporary folder as
 * bin/app.ts does it (domain stacks with governance, blocked domains as blocked stacks, reports written).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCdkContext } from '../mesh/config';
import type { Mesh } from '../mesh/model';
import { domainNames } from '../mesh/naming';
import type { DefinitionProblem } from '../mesh/problems';
import { type AssemblyFacts, readAssemblyFacts } from './assembly-facts';

/** The context the CDK CLI gives bin/app.ts that the facts depend on: nested templates found by asset metadata. */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  '@aws-cdk/core:annotationsInValidationReport': false,
  // Error findings are recorded in the reports, as under the CDK CLI, instead of failing the synth.
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

export interface SynthesizeOptions {
  /** Project root: cdk.json's context and the contract lock files are read from it. */
  readonly root: string;
  readonly mesh: Mesh;
  readonly blocked?: ReadonlyMap<string, readonly DefinitionProblem[]>;
  /** Day governance judges exceptions and sunsets by. @default today (UTC) */
  readonly today?: string;
  /** @default a new temporary folder */
  readonly outdir?: string;
}

/** Synthesizes every domain stack with governance into a folder, policy reports included; returns the folder. */
export function synthesizeMeshAssembly(options: SynthesizeOptions): string {
  // The CDK and the constructs load only when a synth is needed: reading an assembly needs neither.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } =
    require('../../constructs/mesh-app') as typeof import('../../constructs/mesh-app');
  const { writePolicyReports } = require('../policies') as typeof import('../policies');
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-metrics-'));
  const app = new App({
    outdir,
    treeMetadata: MESH_TREE_METADATA,
    context: { ...readCdkContext(options.root), ...meshSynthContext(), ...CLI_CONTEXT },
  });
  const blocked = new Map([...(options.blocked ?? new Map())].filter(([domain]) => domain !== '*'));
  addDomainStacks(app, options.mesh, {
    governance: { root: options.root, ...(options.today ? { today: options.today } : {}) },
    blocked,
  });
  const assembly = app.synth();
  writePolicyReports(app, assembly.directory, () => {});
  return assembly.directory;
}

/**
 * Why the facts do not describe the current mesh: a domain stack that is not blocked has no readable policy
 * report, or its report did not check one of the domain's current definition files. Empty when they do.
 */
export function staleReports(
  facts: AssemblyFacts,
  mesh: Mesh,
  blocked: ReadonlyMap<string, unknown> = new Map(),
): string[] {
  return mesh.domains
    .filter((d) => !blocked.has(d.name))
    .flatMap((domain) => {
      const stack = domainNames(mesh.config, domain.name).stackName;
      const stackFacts = facts.stacks.find((s) => s.id === stack);
      if (!stackFacts) return [`${stack} is not in the assembly`];
      if ('problem' in stackFacts.report) return [stackFacts.report.problem];
      const checked = new Set(stackFacts.report.definitionFiles);
      const unchecked = [domain.file, ...domain.products.map((p) => p.file)].filter((f) => !checked.has(f));
      return unchecked.length === 0 ? [] : [`the policy report of ${stack} predates ${unchecked.join(', ')}`];
    });
}

export interface AssemblySourceOptions extends Omit<SynthesizeOptions, 'outdir'> {
  /** Folder of an assembly to read. @default cdk.out under the root */
  readonly assembly?: string;
  /**
   * `auto`: read the assembly when its reports cover the current stacks, else synthesize; `always`:
   * synthesize; `never`: read the assembly if it is current, else go without (null autonomy and compliance).
   * @default 'auto'
   */
  readonly synthesize?: 'auto' | 'always' | 'never';
  /** Called before an in-process synth, with why it is needed. */
  readonly onSynthesize?: (why: string) => void;
}

export interface AssemblySource {
  readonly facts?: AssemblyFacts;
  /** The assembly read, relative to the root when inside it; null when none was. */
  readonly label: string | null;
  readonly synthesized: boolean;
  /** Why no assembly was read (with synthesize `never`). */
  readonly unused?: string;
}

/**
 * The assembly facts the metrics are computed from. A folder given explicitly must be a cloud assembly
 * (AssemblyError otherwise); the default cdk.out may be absent.
 */
export function assemblyFacts(options: AssemblySourceOptions): AssemblySource {
  const mode = options.synthesize ?? 'auto';
  const stacks = new Set([...options.mesh.domains.map((d) => d.name), ...(options.blocked?.keys() ?? [])]);
  stacks.delete('*');
  // No domain, no stack: nothing to read or synthesize.
  if (stacks.size === 0 && !options.assembly)
    return { facts: { dir: '', stacks: [] }, label: null, synthesized: false };
  const dir = options.assembly ? path.resolve(options.root, options.assembly) : path.join(options.root, 'cdk.out');
  const label = path.relative(options.root, dir).startsWith('..') ? dir : path.relative(options.root, dir) || '.';
  let why = 'synthesis was asked for';
  if (mode !== 'always') {
    if (options.assembly || fs.existsSync(path.join(dir, 'manifest.json'))) {
      const facts = readAssemblyFacts(dir, options.mesh);
      const stale = staleReports(facts, options.mesh, options.blocked);
      if (stale.length === 0) return { facts, label, synthesized: false };
      why = `${label}: ${stale[0]}${stale.length > 1 ? ` (and ${stale.length - 1} more)` : ''}`;
    } else {
      why = `${label} holds no cloud assembly`;
    }
    if (mode === 'never') return { label: null, synthesized: false, unused: why };
  }
  options.onSynthesize?.(why);
  const outdir = synthesizeMeshAssembly(options);
  try {
    return { facts: readAssemblyFacts(outdir, options.mesh), label: null, synthesized: true };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
