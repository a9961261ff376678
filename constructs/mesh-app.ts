import type { App } from 'aws-cdk-lib';
import type { Mesh } from '../lib/mesh/model';
import { domainNames } from '../lib/mesh/naming';
import type { DefinitionProblem } from '../lib/mesh/problems';
import { applyGovernance, type GovernanceOptions } from '../lib/policies';
import { BlockedDomainStack } from './blocked-domain-stack';
import { DomainStack } from './domain-stack';

export interface MeshAppOptions {
  /** Build only this domain's stack (`-c domain=<name>`): the fast path for large meshes. @default every domain */
  readonly onlyDomain?: string;
  /**
   * Puts the stacks under the policy engine (lib/policies): error findings make `cdk synth` of the stack
   * fail. Options tune it (the day checks are made on, the project root for lock files).
   * @default true
   */
  readonly governance?: boolean | GovernanceOptions;
  /**
   * Domains whose definitions have problems (domain folder → problems). Each gets a stack of the same name
   * that fails synth and deploy with its problems; every other domain's stack is built as usual.
   * @default none
   */
  readonly blocked?: ReadonlyMap<string, readonly DefinitionProblem[]>;
}

/**
 * Context every synth of the mesh runs with (the CDK app, tests, benchmarks). CDK records a stack trace for
 * every construct and metadata entry (~7% of synth at 1,000 products); the platform's findings name the
 * definition file instead, and `cdk synth --debug` (CDK_DEBUG) keeps the traces.
 */
export function meshSynthContext(): Record<string, unknown> {
  return process.env.CDK_DEBUG === 'true'
    ? {}
    : { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true };
}

/** tree.json feeds only construct-tree viewers; nothing in the deploy path reads it, and it costs ~10% of synth. */
export const MESH_TREE_METADATA = false;

/** Names of every domain the app knows: those that loaded and those that are blocked. */
export function knownDomains(mesh: Mesh, blocked: ReadonlyMap<string, unknown> = new Map()): string[] {
  return [...new Set([...mesh.domains.map((d) => d.name), ...blocked.keys()])].sort();
}

/** Adds one DomainStack per domain to the app; returns them in domain order. */
export function addDomainStacks(app: App, mesh: Mesh, options: MeshAppOptions = {}): DomainStack[] {
  const blocked = options.blocked ?? new Map<string, readonly DefinitionProblem[]>();
  const selected = (name: string) => !options.onlyDomain || name === options.onlyDomain;
  if (options.onlyDomain && !knownDomains(mesh, blocked).includes(options.onlyDomain)) {
    throw new Error(
      `-c domain=${options.onlyDomain}: no such domain (domains: ${knownDomains(mesh, blocked).join(', ')})`,
    );
  }
  for (const [name, problems] of blocked) {
    if (!selected(name)) continue;
    const { stackName } = domainNames(mesh.config, name);
    new BlockedDomainStack(app, stackName, { stackName, problems });
  }
  const domains = mesh.domains.filter((d) => selected(d.name) && !blocked.has(d.name));
  const stacks = domains.map((domain) => {
    const names = domainNames(mesh.config, domain.name);
    return new DomainStack(app, names.stackName, {
      stackName: names.stackName,
      mesh,
      domain,
      // Environment-agnostic unless the domain pins one: the CLI's credentials decide where it deploys.
      env: domain.definition.env,
      description: `Data mesh domain ${domain.name}`,
    });
  });
  const governance = options.governance ?? true;
  if (governance !== false && stacks.length > 0) {
    applyGovernance(stacks, governance === true ? {} : governance);
  }
  return stacks;
}
