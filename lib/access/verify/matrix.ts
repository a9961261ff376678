/**
 * The access matrix: every role of the mesh × every live product version × read and write, and every role ×
 * every domain's key, Athena results and access logs (domain-matrix.ts), with what the definitions say the
 * answer must be. Own domain's roles read; the producer role writes its own products; both roles of a domain
 * whose products declare the version as an input read it; nobody else.
 */
import type { Mesh } from '../../mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../../mesh/naming';
import { ROLE_KINDS, roleName } from '../principals';
import {
  ACCESS_KINDS,
  type AccessCheck,
  type AccessKind,
  type ConcreteEnv,
  concreteEnvOf,
  type RoleRef,
} from './checks';
import { domainStorageChecks } from './domain-matrix';

export * from './checks';

export interface MatrixOptions {
  /** Environment of stacks that pin none. */
  readonly env: ConcreteEnv;
  /** Kinds to include. @default every kind */
  readonly kinds?: readonly AccessKind[];
  /** Only roles of these domains. @default every domain */
  readonly roleDomains?: readonly string[];
}

/** Every role of the mesh, producer then consumer, in domain order. */
export function meshRoles(mesh: Mesh, fallback: ConcreteEnv): RoleRef[] {
  return mesh.domains.flatMap((domain) => {
    const env = concreteEnvOf(domain, fallback);
    return ROLE_KINDS.map((kind) => {
      const name = roleName(mesh.config, domain.name, kind);
      return {
        domain: domain.name,
        kind,
        name,
        arn: arns.role(env.partition, env.account, name),
        account: env.account,
      };
    });
  });
}

export function buildAccessMatrix(mesh: Mesh, options: MatrixOptions): AccessCheck[] {
  const kinds = new Set(options.kinds ?? ACCESS_KINDS);
  const roles = meshRoles(mesh, options.env).filter(
    (r) => !options.roleDomains || options.roleDomains.includes(r.domain),
  );
  const versionReaders = new Set(mesh.edges.map((e) => `${e.consumer.domain}|${e.producer.id}@${e.major}`));
  const checks: AccessCheck[] = [];

  const targets = mesh.domains.flatMap((domain) => {
    const env = concreteEnvOf(domain, options.env);
    const names = domainNames(mesh.config, domain.name);
    const bucket = renderName(names.dataBucket, env);
    return domain.products.flatMap((product) =>
      product.versions.map((version) => {
        const { prefix, table } = productVersionNames(product.name, version.major);
        return {
          owner: domain.name,
          target: `${product.id}@${version.major}`,
          env,
          bucketArn: arns.bucket(env.partition, bucket),
          objectArn: `${arns.bucket(env.partition, bucket)}/${prefix}part-00000.parquet`,
          prefix,
          tableArn: arns.glueTable(env.partition, env.region, env.account, names.database, table),
        };
      }),
    );
  });

  for (const role of roles) {
    for (const t of targets) {
      const reads = role.domain === t.owner || versionReaders.has(`${role.domain}|${t.target}`);
      const base = { role, target: t.target, owner: t.owner, resourceAccount: t.env.account };
      if (kinds.has('read-object')) {
        checks.push({
          ...base,
          kind: 'read-object',
          action: 's3:GetObject',
          resource: t.objectArn,
          context: {},
          expected: reads,
        });
      }
      if (kinds.has('list-prefix')) {
        checks.push({
          ...base,
          kind: 'list-prefix',
          action: 's3:ListBucket',
          resource: t.bucketArn,
          context: { 's3:prefix': t.prefix },
          expected: reads,
        });
      }
      if (kinds.has('read-table')) {
        checks.push({
          ...base,
          kind: 'read-table',
          action: 'glue:GetTable',
          resource: t.tableArn,
          context: {},
          expected: reads,
        });
      }
      if (kinds.has('write-object')) {
        checks.push({
          ...base,
          kind: 'write-object',
          action: 's3:PutObject',
          resource: t.objectArn,
          context: {},
          expected: role.domain === t.owner && role.kind === 'producer',
        });
      }
    }
  }
  // concat, not push(...): a mesh-scale matrix has more checks than a call can take arguments.
  return checks.concat(domainStorageChecks(mesh, roles, kinds, options.env));
}
