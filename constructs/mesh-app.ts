import type { App } from 'aws-cdk-lib';
import type { Mesh } from '../lib/mesh/model';
import { domainNames } from '../lib/mesh/naming';
import { DomainStack } from './domain-stack';

export interface MeshAppOptions {
  /** Build only this domain's stack (`-c domain=<name>`): the fast path for large meshes. @default every domain */
  readonly onlyDomain?: string;
}

/** Adds one DomainStack per domain to the app; returns them in domain order. */
export function addDomainStacks(app: App, mesh: Mesh, options: MeshAppOptions = {}): DomainStack[] {
  const domains = options.onlyDomain ? mesh.domains.filter((d) => d.name === options.onlyDomain) : mesh.domains;
  if (options.onlyDomain && domains.length === 0) {
    throw new Error(
      `-c domain=${options.onlyDomain}: no such domain (domains: ${mesh.domains.map((d) => d.name).join(', ')})`,
    );
  }
  return domains.map((domain) => {
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
}
