/**
 * Gathers what `mesh status` shows per product with a runtime: whether its state machine is deployed, its
 * last execution, its freshness against the SLA and its open alarms. One ListStateMachines walk, one
 * ListExecutions (and DescribeExecution) per deployed product, batched GetMetricData and DescribeAlarms.
 */

import type { MeshConfig } from '../mesh/config';
import type { MeshProduct } from '../mesh/model';
import { freshnessSeconds } from '../quality/checks';
import type { CloudWatchApi, MetricRequest, OpenAlarm } from './cloudwatch-client';
import { domainRuntimeNames, productRuntimeNames } from './names';
import { productRun } from './plan';
import { type RunOutcome, runOutcome } from './run-state';
import type { ExecutionDescription, StepFunctionsApi } from './sfn-client';
import { type FreshnessVerdict, judgeFreshness, type ProductStatusVerdict, productState } from './status';

/** One product's status. */
export interface ProductStatus {
  readonly product: string;
  readonly major: number;
  /** `build` or `check`. */
  readonly kind: 'build' | 'check';
  readonly stateMachine: string;
  readonly stateMachineArn?: string;
  readonly lastExecution?: {
    readonly executionArn: string;
    readonly name?: string;
    readonly status: string;
    readonly startDate?: string;
    readonly stopDate?: string;
  };
  readonly lastRun?: RunOutcome;
  readonly freshness: FreshnessVerdict;
  readonly openAlarms: readonly OpenAlarm[];
  readonly verdict: ProductStatusVerdict;
}

/** Metric the runs publish with the age of the newest data. */
export const FRESHNESS_METRIC = 'FreshnessAgeSeconds';
/** Period of the freshness datapoints read: short, so a datapoint's time is close to when it was measured. */
export const FRESHNESS_PERIOD_SECONDS = 300;
/** GetMetricData serves 5-minute datapoints for 63 days. */
const MAX_WINDOW_DAYS = 62;
/** Parallel ListExecutions calls: quick, well under Step Functions' per-account rate. */
const CONCURRENCY = 4;

/** The products of `products` the platform runs (see lib/runtime/plan.ts), in order. */
export function runtimeProducts(products: readonly MeshProduct[]): MeshProduct[] {
  return products.filter((p) => productRun(p) !== undefined);
}

/** Allowed age of the product's newest data, from `sla.freshness`; undefined without one. */
export function allowedFreshnessSeconds(product: MeshProduct): number | undefined {
  const sla = product.definition.sla?.freshness;
  return sla ? freshnessSeconds({ rule: 'freshness', column: sla.column, within: sla.within }) : undefined;
}

/**
 * Days of metric history read for a product: twice its allowed age (so the newest measurement of a product
 * that is on time is always inside), at least a day, at most what 5-minute datapoints cover.
 */
export function freshnessWindowDays(allowedSeconds: number): number {
  return Math.min(MAX_WINDOW_DAYS, Math.max(1, Math.ceil((2 * allowedSeconds) / 86_400)));
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const iso = (d?: Date) => d?.toISOString();

export interface StatusApis {
  readonly sfn: StepFunctionsApi;
  readonly cloudWatch: CloudWatchApi;
}

/** Every call goes through `guard` (the CLI turns SDK errors into one-line messages there). */
export type Guard = <T>(service: 'Step Functions' | 'CloudWatch', call: () => Promise<T>) => Promise<T>;

export async function collectStatus(
  config: MeshConfig,
  products: readonly MeshProduct[],
  apis: StatusApis,
  now: Date,
  guard: Guard = (_service, call) => call(),
): Promise<ProductStatus[]> {
  const plans = products.map((product) => {
    const run = productRun(product);
    if (!run) throw new Error(`${product.id} has no runtime`);
    const major = run.version.major;
    return {
      product,
      major,
      kind: run.kind,
      names: productRuntimeNames(config, product.domain, product.name, major),
      namespace: domainRuntimeNames(config, product.domain).metricNamespace,
      allowed: allowedFreshnessSeconds(product),
    };
  });
  const arns = await guard('Step Functions', () => apis.sfn.stateMachineArns(plans.map((p) => p.names.stateMachine)));
  const deployed = plans.filter((p) => arns.has(p.names.stateMachine));

  const executions = new Map<string, ExecutionDescription | undefined>();
  await mapLimit(deployed, CONCURRENCY, async (p) => {
    const arn = arns.get(p.names.stateMachine) as string;
    executions.set(p.product.id, await guard('Step Functions', () => apis.sfn.lastExecution(arn)));
  });

  // One GetMetricData batch per window length, so short-SLA products do not read months of datapoints.
  const measured = new Map<string, { value: number; timestamp: Date }>();
  const byWindow = new Map<number, MetricRequest[]>();
  for (const p of deployed) {
    if (p.allowed === undefined) continue;
    const days = freshnessWindowDays(p.allowed);
    const request: MetricRequest = {
      key: p.product.id,
      namespace: p.namespace,
      metricName: FRESHNESS_METRIC,
      dimensions: { Domain: p.product.domain, Product: p.product.name, Version: String(p.major) },
    };
    byWindow.set(days, [...(byWindow.get(days) ?? []), request]);
  }
  for (const [days, requests] of byWindow) {
    const window = {
      start: new Date(now.getTime() - days * 86_400_000),
      end: now,
      periodSeconds: FRESHNESS_PERIOD_SECONDS,
    };
    const latest = await guard('CloudWatch', () => apis.cloudWatch.latestDatapoints(requests, window));
    for (const [key, point] of latest) measured.set(key, point);
  }

  const alarmOwner = new Map<string, string>();
  for (const p of deployed) {
    for (const name of Object.values(p.names.alarms)) alarmOwner.set(name, p.product.id);
  }
  const open = alarmOwner.size
    ? await guard('CloudWatch', () => apis.cloudWatch.openAlarms([...alarmOwner.keys()]))
    : [];
  const alarmsOf = new Map<string, OpenAlarm[]>();
  for (const alarm of open) {
    const owner = alarmOwner.get(alarm.name);
    if (owner) alarmsOf.set(owner, [...(alarmsOf.get(owner) ?? []), alarm]);
  }

  return plans.map((p): ProductStatus => {
    const stateMachineArn = arns.get(p.names.stateMachine);
    const execution = executions.get(p.product.id);
    const lastRun = execution ? runOutcome(execution) : undefined;
    const point = measured.get(p.product.id);
    const published = lastRun?.summary?.published === true && execution?.stopDate !== undefined;
    const freshness = judgeFreshness({
      ...(p.allowed !== undefined ? { allowedSeconds: p.allowed } : {}),
      ...(point ? { measured: { ageSeconds: point.value, at: point.timestamp } } : {}),
      ...(published ? { lastPublishedAt: execution?.stopDate } : {}),
      now,
    });
    const openAlarms = alarmsOf.get(p.product.id) ?? [];
    return {
      product: p.product.id,
      major: p.major,
      kind: p.kind,
      stateMachine: p.names.stateMachine,
      ...(stateMachineArn ? { stateMachineArn } : {}),
      ...(execution
        ? {
            lastExecution: {
              executionArn: execution.executionArn,
              ...(execution.name !== undefined ? { name: execution.name } : {}),
              status: execution.status,
              ...(execution.startDate ? { startDate: iso(execution.startDate) } : {}),
              ...(execution.stopDate ? { stopDate: iso(execution.stopDate) } : {}),
            },
          }
        : {}),
      ...(lastRun ? { lastRun } : {}),
      freshness,
      openAlarms,
      verdict: productState({
        deployed: stateMachineArn !== undefined,
        ...(lastRun ? { lastRun } : {}),
        freshness,
        openAlarms: openAlarms.length,
      }),
    };
  });
}
