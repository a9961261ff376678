/**
 * The access matrix: every role of the mesh × every live product version × read and write, and every role ×
 * every domain's key, Athena results and access logs (domain-matrix.ts), with what the definitions say the
 * answer must be. Own domain's roles read; the producer role writes its own products; both roles of a domain
 * whose products declare the version as an input read it; nobody else. An execution role (one per run
 * product, its current major; lib/runtime/plan.ts) reads its own version and its domain's quality results and
 * writes the quality results; a build's role also reads exactly the product's declared inputs and writes its
 * own version and its own staging prefix. Nothing else.
 */
import { currentVersion, type Mesh } from '../../mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../../mesh/naming';
import { domainRuntimeNames, type ProductRuntimeNames, productRuntimeNames } from '../../runtime/names';
import { productRun } from '../../runtime/plan';
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
  /**
   * Names of the roles the templates deploy: execution roles are included only when named here (the
   * templates are the truth of what runs). @default every run product's execution role
   */
  readonly deployedRoles?: ReadonlySet<string>;
}

/** A run product's execution role: the product version it runs and the role's name. */
export interface ExpectedExecutionRole {
  readonly domain: string;
  /** `<domain>/<product>@<major>`. */
  readonly product: string;
  /** Names of the role and the rest of the product's runtime. */
  readonly names: ProductRuntimeNames;
  /** A build (reads its inputs, writes its product) or a scheduled check. */
  readonly run: 'build' | 'check';
  readonly name: string;
}

/** The execution role every run product (its current major) must have. */
export function expectedExecutionRoles(mesh: Mesh): ExpectedExecutionRole[] {
  return mesh.domains.flatMap((domain) =>
    domain.products.flatMap((product) => {
      const run = productRun(product);
      if (!run) return [];
      const { major } = currentVersion(product);
      const names = productRuntimeNames(mesh.config, domain.name, product.name, major);
      return [
        { domain: domain.name, product: `${product.id}@${major}`, names, name: names.executionRole, run: run.kind },
      ];
    }),
  );
}

/**
 * How the deployed execution roles differ from the model: run products without their role, and roles named
 * under a domain's execution-role prefix that no run product has.
 */
export function executionRoleDrift(
  mesh: Mesh,
  deployedRoles: ReadonlySet<string>,
): { readonly missing: readonly string[]; readonly unexpected: readonly string[] } {
  const expected = expectedExecutionRoles(mesh);
  const names = new Set(expected.map((r) => r.name));
  const prefixes = mesh.domains.map((d) => domainRuntimeNames(mesh.config, d.name).executionRolePrefix);
  return {
    missing: expected.filter((r) => !deployedRoles.has(r.name)).map((r) => `${r.product} (role ${r.name})`),
    unexpected: [...deployedRoles].filter((n) => !names.has(n) && prefixes.some((p) => n.startsWith(p))).sort(),
  };
}

/** Every role of the mesh, producer then consumer, in domain order. */
export function meshRoles(mesh: Mesh, fallback: ConcreteEnv, deployedRoles?: ReadonlySet<string>): RoleRef[] {
  const executions = expectedExecutionRoles(mesh).filter((r) => !deployedRoles || deployedRoles.has(r.name));
  return mesh.domains.flatMap((domain) => {
    const env = concreteEnvOf(domain, fallback);
    const roles: RoleRef[] = ROLE_KINDS.map((kind) => {
      const name = roleName(mesh.config, domain.name, kind);
      return {
        domain: domain.name,
        kind,
        name,
        arn: arns.role(env.partition, env.account, name),
        account: env.account,
      };
    });
    for (const r of executions.filter((e) => e.domain === domain.name)) {
      roles.push({
        domain: domain.name,
        kind: 'execution',
        name: r.name,
        arn: arns.role(env.partition, env.account, r.name),
        account: env.account,
        product: r.product,
        run: r.run,
      });
    }
    return roles;
  });
}

/** Product versions each run product reads (`<domain>/<product>` → targets `<domain>/<product>@<major>`). */
function inputsByProduct(mesh: Mesh): Map<string, Set<string>> {
  const inputs = new Map<string, Set<string>>();
  for (const e of mesh.edges) {
    const set = inputs.get(e.consumer.id) ?? new Set<string>();
    set.add(`${e.producer.id}@${e.major}`);
    inputs.set(e.consumer.id, set);
  }
  return inputs;
}

/** `<domain>/<product>` of a `<domain>/<product>@<major>` target. */
const productIdOf = (target: string) => target.split('@')[0];

export function buildAccessMatrix(mesh: Mesh, options: MatrixOptions): AccessCheck[] {
  const kinds = new Set(options.kinds ?? ACCESS_KINDS);
  const roles = meshRoles(mesh, options.env, options.deployedRoles).filter(
    (r) => !options.roleDomains || options.roleDomains.includes(r.domain),
  );
  const versionReaders = new Set(mesh.edges.map((e) => `${e.consumer.domain}|${e.producer.id}@${e.major}`));
  const inputs = inputsByProduct(mesh);
  const readsOf = (role: RoleRef, target: string, owner: string) =>
    role.kind === 'execution'
      ? role.product === target ||
        (role.run === 'build' && (inputs.get(productIdOf(role.product ?? '')) ?? new Set()).has(target))
      : role.domain === owner || versionReaders.has(`${role.domain}|${target}`);
  const writes = (role: RoleRef, target: string, owner: string) =>
    role.kind === 'execution'
      ? role.run === 'build' && role.product === target
      : role.domain === owner && role.kind === 'producer';
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
      const reads = readsOf(role, t.target, t.owner);
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
          expected: writes(role, t.target, t.owner),
        });
      }
    }
  }
  // concat, not push(...): a mesh-scale matrix has more checks than a call can take arguments.
  return checks
    .concat(domainStorageChecks(mesh, roles, kinds, options.env))
    .concat(runtimeStorageChecks(mesh, roles, kinds, options.env));
}

/**
 * Execution roles × every built product's staging prefix and every domain's quality results: a build's role
 * reads and writes its own staging prefix, every role its own domain's quality results, nothing else.
 */
function runtimeStorageChecks(
  mesh: Mesh,
  roles: readonly RoleRef[],
  kinds: ReadonlySet<string>,
  fallback: ConcreteEnv,
): AccessCheck[] {
  const executions = roles.filter((r) => r.kind === 'execution');
  if (executions.length === 0) return [];
  const bucketOf = (domain: (typeof mesh.domains)[number]) => {
    const env = concreteEnvOf(domain, fallback);
    return { env, arn: arns.bucket(env.partition, renderName(domainNames(mesh.config, domain.name).dataBucket, env)) };
  };
  const staging = expectedExecutionRoles(mesh)
    .filter((r) => r.run === 'build')
    .map((r) => {
      const domain = mesh.domains.find((d) => d.name === r.domain) as (typeof mesh.domains)[number];
      const { env, arn } = bucketOf(domain);
      return {
        owner: domain.name,
        target: r.product,
        env,
        resource: `${arn}/${r.names.stagingPrefix}data/part-00000.parquet`,
      };
    });
  const quality = mesh.domains.map((domain) => {
    const { env, arn } = bucketOf(domain);
    const key = `${domainRuntimeNames(mesh.config, domain.name).qualityResultsPrefix}data/part-00000.parquet`;
    return { owner: domain.name, target: domain.name, env, resource: `${arn}/${key}` };
  });
  const checks: AccessCheck[] = [];
  const add = (role: RoleRef, kind: AccessKind, t: (typeof staging)[number], expected: boolean) => {
    if (!kinds.has(kind)) return;
    checks.push({
      role,
      kind,
      target: t.target,
      owner: t.owner,
      action: kind.startsWith('read') ? 's3:GetObject' : 's3:PutObject',
      resource: t.resource,
      resourceAccount: t.env.account,
      context: {},
      expected,
    });
  };
  for (const role of executions) {
    for (const t of staging) {
      add(role, 'read-staging', t, role.product === t.target);
      add(role, 'write-staging', t, role.product === t.target);
    }
    for (const t of quality) {
      add(role, 'read-quality', t, role.domain === t.owner);
      add(role, 'write-quality', t, role.domain === t.owner);
    }
  }
  return checks;
}
