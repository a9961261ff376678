/**
 * Where a domain lives in the stage being synthesized. With stages (cdk.json:context.mesh.stages) every domain
 * names its account and region per stage in `accounts`; the stage's entry becomes the domain's `env`, so every
 * part of the platform that addresses a domain reads one place. Without stages, `env` stays as written.
 */
import type { DomainDefinition } from '../definition/schema';
import type { MeshConfig } from './config';
import type { DefinitionProblem } from './problems';

export interface Placement {
  /** The definition with `env` set for the stage; undefined when the domain cannot be placed. */
  readonly definition?: DomainDefinition;
  readonly problems: readonly DefinitionProblem[];
}

export function placeDomain(definition: DomainDefinition, config: MeshConfig, file: string): Placement {
  const stages = Object.keys(config.stages ?? {});
  const problem = (fieldPath: string, message: string): Placement => ({
    problems: [{ file, path: fieldPath, message }],
  });
  if (stages.length === 0 || config.stage === undefined) {
    if (definition.accounts) {
      return problem(
        'accounts',
        'accounts are per stage, and this mesh has no stages (cdk.json:context.mesh.stages); use env: { account, region }, or define the stages',
      );
    }
    return { definition, problems: [] };
  }
  const example = `accounts: { ${stages.map((s) => `${s}: { account: '123456789012', region: 'eu-west-1' }`).join(', ')} }`;
  if (definition.env) {
    return problem(
      'env',
      `this mesh has stages (${stages.join(', ')}): say where the domain lives in each, as ${example}, instead of env`,
    );
  }
  const unknown = Object.keys(definition.accounts ?? {}).filter((s) => !stages.includes(s));
  if (unknown.length > 0) {
    return problem(
      `accounts.${unknown[0]}`,
      `"${unknown[0]}" is not a stage of the mesh (stages: ${stages.join(', ')})`,
    );
  }
  const env = definition.accounts?.[config.stage];
  if (!env) {
    return problem(
      definition.accounts ? 'accounts' : 'name',
      `no account for stage "${config.stage}": the domain cannot be placed; add ${example}`,
    );
  }
  const known = config.stages?.[config.stage]?.accounts ?? [];
  if (!known.includes(env.account)) {
    return problem(
      `accounts.${config.stage}.account`,
      `account ${env.account} is not an account of stage "${config.stage}" (cdk.json:context.mesh.stages.${config.stage}.accounts: ${known.join(', ')}); add it there or choose one of them`,
    );
  }
  return { definition: { ...definition, env }, problems: [] };
}
