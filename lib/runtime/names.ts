/**
 * Physical names of the runtime plane (schedules, state machines, alerts, quality results), derived from the
 * definitions like every other name (lib/mesh/naming.ts), so the CLI finds deployed resources without lookups
 * and no stack references another. Names that can outgrow an AWS limit are cut and end in a content hash, so
 * they stay unique and stable.
 */
import { createHash } from 'node:crypto';
import type { MeshConfig } from '../mesh/config';
import { productVersionNames } from '../mesh/naming';

/** AWS limits on the names below (REFERENCE.md and each service's API reference). */
export const RUNTIME_NAME_LIMITS = {
  stateMachine: 80,
  role: 64,
  schedule: 64,
  scheduleGroup: 64,
  topic: 256,
  alarm: 255,
  logGroup: 512,
} as const;

const HASH_LENGTH = 8;

/** `name` if it fits in `max`, else its first characters and a hash of the whole name. */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, max - HASH_LENGTH - 1)}-${hash}`;
}

const kebab = (snake: string) => snake.replace(/_/g, '-');

export interface DomainRuntimeNames {
  /** SNS topic the domain's alarms and failed runs notify; the owner's address subscribes. */
  readonly alertsTopic: string;
  /** KMS key alias of the runtime key (topic, logs, state machines). */
  readonly runtimeKeyAlias: string;
  /** Log group of every state machine of the domain (vended-logs path, so its resource policy stays small). */
  readonly logGroup: string;
  /** Role EventBridge Scheduler assumes to start the domain's state machines. */
  readonly schedulerRole: string;
  /** Schedule group holding the domain's schedules. */
  readonly scheduleGroup: string;
  /** Glue table (in the domain database) with one row per rule per run. */
  readonly qualityResultsTable: string;
  /** Key prefix of the quality results table in the domain's data bucket. */
  readonly qualityResultsPrefix: string;
  /** Prefix every state machine name of the domain starts with (scopes the scheduler role). */
  readonly stateMachinePrefix: string;
  /** Prefix every execution role name of the domain starts with. */
  readonly executionRolePrefix: string;
  /** CloudWatch namespace of the runtime metrics (dimensions Domain, Product, Version). */
  readonly metricNamespace: string;
}

export function domainRuntimeNames(config: MeshConfig, domain: string): DomainRuntimeNames {
  const base = `${config.prefix}-${kebab(domain)}`;
  return {
    alertsTopic: boundedName(`${base}-alerts`, RUNTIME_NAME_LIMITS.topic),
    runtimeKeyAlias: `alias/${config.prefix}/${kebab(domain)}/runtime`,
    logGroup: `/aws/vendedlogs/states/${base}`,
    schedulerRole: boundedName(`${base}-scheduler`, RUNTIME_NAME_LIMITS.role),
    scheduleGroup: boundedName(base, RUNTIME_NAME_LIMITS.scheduleGroup),
    qualityResultsTable: 'quality_results',
    qualityResultsPrefix: 'quality/results/',
    // A "." cannot occur in a domain's kebab name, so `acme-sales.` never matches a domain called sales_x.
    stateMachinePrefix: `${base}.`,
    executionRolePrefix: `${base}.run.`,
    metricNamespace: `DataMesh/${config.prefix}`,
  };
}

export interface ProductRuntimeNames {
  /** State machine that builds (or only checks) the product's current major. */
  readonly stateMachine: string;
  /** Role the state machine runs as: the product's input grants, its own prefix, its staging prefix. */
  readonly executionRole: string;
  /** Schedule (in the domain's schedule group). */
  readonly schedule: string;
  /** Iceberg table a build writes before the audit; consumers never read it. */
  readonly stagingTable: string;
  /** Key prefix of the staging table, outside `products/` so no consumer grant covers it. */
  readonly stagingPrefix: string;
  /** Alarms: a run failed, a quality rule failed, the data is older than the SLA allows. */
  readonly alarms: { readonly runFailed: string; readonly qualityFailed: string; readonly stale: string };
}

export function productRuntimeNames(
  config: MeshConfig,
  domain: string,
  product: string,
  major: number,
): ProductRuntimeNames {
  const d = domainRuntimeNames(config, domain);
  const p = kebab(product);
  const { table } = productVersionNames(product, major);
  const alarm = (what: string) =>
    boundedName(`${d.stateMachinePrefix}${p}-v${major}-${what}`, RUNTIME_NAME_LIMITS.alarm);
  return {
    stateMachine: boundedName(`${d.stateMachinePrefix}${p}-v${major}`, RUNTIME_NAME_LIMITS.stateMachine),
    executionRole: boundedName(`${d.executionRolePrefix}${p}-v${major}`, RUNTIME_NAME_LIMITS.role),
    schedule: boundedName(`${p}-v${major}`, RUNTIME_NAME_LIMITS.schedule),
    stagingTable: `${table}__staging`,
    stagingPrefix: `staging/${product}/v${major}/`,
    alarms: { runFailed: alarm('run-failed'), qualityFailed: alarm('quality-failed'), stale: alarm('stale') },
  };
}
