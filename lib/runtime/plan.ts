/**
 * Which products the platform runs after deploy, and when. A product with a `build` is built on its schedule
 * (write-audit-publish); every other live product with an SLA is checked on a schedule derived from its
 * update frequency (its rules and its freshness promise), unless its `monitor` says otherwise.
 */
import { durationSeconds, parseDuration } from '../definition/duration';
import type { Sla } from '../definition/schema';
import type { MeshProduct, ProductVersion } from '../mesh/model';

/** What runs for a product's current major. */
export interface ProductRun {
  /** `build`: stage, audit, publish. `check`: audit the product table as it is. */
  readonly kind: 'build' | 'check';
  /** EventBridge Scheduler expression. */
  readonly schedule: string;
  /** IANA time zone of cron schedules. */
  readonly timezone: string;
  /** The version that runs: the current major. */
  readonly version: ProductVersion;
  /** Longest a run may take, in seconds. */
  readonly timeoutSeconds: number;
}

/**
 * Checks run soon after the update frequency's period turns, at 06:00 UTC for daily and slower products:
 * late enough for nightly loads, early enough to alert before the working day.
 */
export const CHECK_SCHEDULES: Readonly<Record<Sla['updateFrequency'], string | undefined>> = {
  realtime: 'rate(15 minutes)',
  hourly: 'rate(1 hour)',
  daily: 'cron(0 6 * * ? *)',
  weekly: 'cron(0 6 ? * MON *)',
  monthly: 'cron(0 6 2 * ? *)',
  // Updated when someone decides to: nothing to check on a clock unless the monitor names a schedule.
  'on-demand': undefined,
};

/** A scheduled check reads the product once; an hour is ample and bounds a runaway query's cost. */
const CHECK_TIMEOUT_SECONDS = 3600;

/** The run of the product's current major, or undefined when nothing runs for it (drafts and retired products never run). */
export function productRun(product: MeshProduct): ProductRun | undefined {
  const { build, monitor, sla, status } = product.definition;
  if (status === 'retired' || status === 'draft') return undefined;
  const version = product.versions[0];
  if (build) {
    return {
      kind: 'build',
      schedule: build.schedule,
      timezone: build.timezone,
      version,
      // The schema refuses a timeout that is not a duration.
      timeoutSeconds: durationSeconds(parseDuration(build.timeout) ?? { amount: 1, unit: 'hours' }),
    };
  }
  if (monitor?.enabled === false) return undefined;
  const schedule = monitor?.schedule ?? (sla ? CHECK_SCHEDULES[sla.updateFrequency] : undefined);
  if (schedule === undefined) return undefined;
  return { kind: 'check', schedule, timezone: 'UTC', version, timeoutSeconds: CHECK_TIMEOUT_SECONDS };
}
