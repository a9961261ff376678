/** The plain app's stacks: one per domain of a synthetic mesh, named like the platform's (`Mesh-Domain000`). */
import type { App } from 'aws-cdk-lib';
import type { SyntheticMeshSpec } from '../synthetic-mesh';
import { PlainDomainStack } from './domain-stack';
import { domainNames } from './names';

export interface PlainStacksOptions {
  /** Build only this domain's stack, like the platform's `-c domain=`. @default every domain */
  readonly onlyDomain?: string;
}

export function addPlainStacks(
  app: App,
  spec: SyntheticMeshSpec,
  options: PlainStacksOptions = {},
): PlainDomainStack[] {
  const { onlyDomain } = options;
  if (onlyDomain !== undefined && !spec.domains.some((d) => d.name === onlyDomain)) {
    throw new Error(`-c domain=${onlyDomain}: no such domain (domains: ${spec.domains.map((d) => d.name).join(', ')})`);
  }
  return spec.domains
    .filter((domain) => onlyDomain === undefined || domain.name === onlyDomain)
    .map((domain) => {
      const { stackName } = domainNames(spec.prefix, domain.name);
      return new PlainDomainStack(app, stackName, {
        stackName,
        prefix: spec.prefix,
        domain,
        description: `Data mesh domain ${domain.name}`,
      });
    });
}
