import type { App } from 'aws-cdk-lib';
import type { Mesh } from '../lib/mesh/model';
import { domainNames } from '../lib/mesh/naming';
import { applyGovernance, type GovernanceOptions } from '../lib/policies';
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
}

/** Adds one DomainStack per domain to the app; returns them in domain order. */
export function addDomainStacks(app: App, mesh: Mesh, options: MeshAppOptions = {}): DomainStack[] {
  const domains = options.onlyDomain ? mesh.domains.filter((d) => d.name === options.onlyDomain) : mesh.domains;
  if (options.onlyDomain && domains.length === 0) {
    throw new Error(
      `-c domain=${options.onlyDomain}: no such domain (domains: ${mesh.domains.map((d) => d.name).join(', ')})`,
    );
  }
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
