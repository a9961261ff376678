/**
 * The access matrix: every role of the mesh × every live product version × read and write, with what the
 * definitions say the answer must be. Own domain's roles read; the producer role writes its own products;
 * both roles of a domain whose products declare the version as an input read it; nobody else.
 * Plain data with concrete ARNs, so any evaluator (offline simulation, IAM's simulator) can answer it.
 */
import type { Mesh, MeshDomain } from '../../mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../../mesh/naming';
import { partitionOf } from '../env';
import { ROLE_KINDS, type RoleKind, roleName } from '../principals';

/** A concrete environment: where an environment-agnostic stack is assumed deployed for verification. */
export interface ConcreteEnv {
  readonly account: string;
  readonly region: string;
}

/** What is checked: reading an object, listing the version's prefix, reading the table, writing, decrypting. */
export const ACCESS_KINDS = ['read-object', 'list-prefix', 'read-table', 'write-object', 'decrypt-key'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];
/** The kinds the brief's matrix requires; the others add the listing and the key. */
export const CORE_ACCESS_KINDS: readonly AccessKind[] = ['read-object', 'read-table', 'write-object'];

export interface RoleRef {
  readonly domain: string;
  readonly kind: RoleKind;
  readonly name: string;
  readonly arn: string;
  readonly account: string;
}

export interface AccessCheck {
  readonly role: RoleRef;
  readonly kind: AccessKind;
  /** `<domain>/<product>@<major>`, or `<domain>` for the domain key. */
  readonly target: string;
  /** Domain owning the target. */
  readonly owner: string;
  readonly action: string;
  /** ARN of the resource; for the key, the ARN of its alias (the key's own ARN is random). */
  readonly resource: string;
  /** Account owning the resource. */
  readonly resourceAccount: string;
  /** Request context AWS would send (e.g. `s3:prefix`, `kms:ViaService`). */
  readonly context: Readonly<Record<string, string | string[]>>;
  /** What the definitions allow. */
  readonly expected: boolean;
}

/** The domain's pinned environment, or the one verification assumes for environment-agnostic stacks. */
export function concreteEnvOf(domain: MeshDomain, fallback: ConcreteEnv): ConcreteEnv & { partition: string } {
  const env = domain.definition.env ?? fallback;
  return { ...env, partition: partitionOf(env.region).partition };
}

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
  const keyReaders = new Set(mesh.edges.map((e) => `${e.consumer.domain}|${e.producer.domain}`));
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
    if (kinds.has('decrypt-key')) {
      for (const domain of mesh.domains) {
        const env = concreteEnvOf(domain, options.env);
        checks.push({
          role,
          kind: 'decrypt-key',
          target: domain.name,
          owner: domain.name,
          action: 'kms:Decrypt',
          resource: arns.keyAlias(
            env.partition,
            env.region,
            env.account,
            domainNames(mesh.config, domain.name).keyAlias,
          ),
          resourceAccount: env.account,
          context: { 'kms:ViaService': `s3.${env.region}.${partitionOf(env.region).urlSuffix}` },
          // S3 uses a bucket key, so the key cannot be narrowed per product: a domain reading any product decrypts.
          expected: role.domain === domain.name || keyReaders.has(`${role.domain}|${domain.name}`),
        });
      }
    }
  }
  return checks;
}
