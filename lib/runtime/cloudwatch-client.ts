/**
 * The CloudWatch calls of `mesh status`: the latest value of a metric per product, and which of the products'
 * alarms are in ALARM. Batched to the API's limits (500 metric queries, 100 alarm names per call) so a
 * domain of hundreds of products costs a few calls.
 */
import { type CloudWatchClient, paginateDescribeAlarms, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';

/** One metric whose latest value is wanted. */
export interface MetricRequest {
  /** Caller's key for the result. */
  readonly key: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A metric's newest datapoint. */
export interface LatestDatapoint {
  readonly value: number;
  /** Start of the period the value was aggregated over. */
  readonly timestamp: Date;
}

/** An alarm in ALARM. */
export interface OpenAlarm {
  readonly name: string;
  readonly reason?: string;
  readonly since?: Date;
}

export interface CloudWatchApi {
  /** The newest datapoint of each metric within the window; metrics without one are missing from the map. */
  latestDatapoints(
    metrics: readonly MetricRequest[],
    window: { readonly start: Date; readonly end: Date; readonly periodSeconds: number },
  ): Promise<Map<string, LatestDatapoint>>;
  /** Those of the named alarms that are in ALARM. */
  openAlarms(names: readonly string[]): Promise<OpenAlarm[]>;
}

/** GetMetricData accepts at most 500 queries per call. */
export const METRIC_QUERIES_PER_CALL = 500;
/** DescribeAlarms accepts at most 100 alarm names per call. */
export const ALARM_NAMES_PER_CALL = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function cloudWatchApi(client: CloudWatchClient): CloudWatchApi {
  return {
    async latestDatapoints(metrics, window) {
      const latest = new Map<string, LatestDatapoint>();
      for (const batch of chunks(metrics, METRIC_QUERIES_PER_CALL)) {
        // Query ids must start with a lower-case letter; the caller's keys need not.
        const keyOf = new Map(batch.map((m, i) => [`m${i}`, m.key]));
        const queries = batch.map((m, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: m.namespace,
              MetricName: m.metricName,
              Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: window.periodSeconds,
            Stat: 'Maximum',
          },
          ReturnData: true,
        }));
        const pages = paginateGetMetricData(
          { client },
          { MetricDataQueries: queries, StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampDescending' },
        );
        for await (const page of pages) {
          for (const result of page.MetricDataResults ?? []) {
            const key = result.Id ? keyOf.get(result.Id) : undefined;
            const value = result.Values?.[0];
            const timestamp = result.Timestamps?.[0];
            // Newest first (ScanBy TimestampDescending): the first datapoint seen for a key is its latest.
            if (key === undefined || value === undefined || timestamp === undefined || latest.has(key)) continue;
            latest.set(key, { value, timestamp });
          }
        }
      }
      return latest;
    },
    async openAlarms(names) {
      const open: OpenAlarm[] = [];
      for (const batch of chunks(names, ALARM_NAMES_PER_CALL)) {
        const pages = paginateDescribeAlarms(
          { client },
          { AlarmNames: batch, StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
        );
        for await (const page of pages) {
          for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
            if (!alarm.AlarmName) continue;
            open.push({
              name: alarm.AlarmName,
              ...(alarm.StateReason !== undefined ? { reason: alarm.StateReason } : {}),
              ...(alarm.StateUpdatedTimestamp !== undefined ? { since: alarm.StateUpdatedTimestamp } : {}),
            });
          }
        }
      }
      return open;
    },
  };
}
