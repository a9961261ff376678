/**
 * What `mesh status` decides per product: is its data fresh against the SLA, and does it need attention
 * (stale, failing, alarming). Plain functions over what Step Functions and CloudWatch reported.
 */
import type { RunOutcome } from './run-state';

/** `unknown`: no promise to check against, or nothing measured that settles it. */
export type FreshnessState = 'fresh' | 'stale' | 'unknown';

export interface FreshnessFacts {
  /** Allowed age of the newest data in seconds (`sla.freshness.within`); undefined without a freshness SLA. */
  readonly allowedSeconds?: number;
  /** Newest FreshnessAgeSeconds datapoint: the age a run measured, and when. */
  readonly measured?: { readonly ageSeconds: number; readonly at: Date };
  /** When the last run that published data stopped. */
  readonly lastPublishedAt?: Date;
  readonly now: Date;
}

export interface FreshnessVerdict {
  readonly state: FreshnessState;
  /** Age of the newest data now, in seconds; for `last-run`, a lower bound. */
  readonly ageSeconds?: number;
  readonly allowedSeconds?: number;
  /** Where the age comes from. */
  readonly basis: 'metric' | 'last-run' | 'none';
  /** Why, in a few words. */
  readonly reason: string;
}

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

/**
 * Judges freshness. A measured age keeps growing after it was measured, so it is aged by the time since. Without
 * a measurement, the time since the last publish is only a lower bound of the data's age (the newest row is
 * at most as new as the run): it can prove a product stale, never fresh.
 */
export function judgeFreshness(facts: FreshnessFacts): FreshnessVerdict {
  const { allowedSeconds, measured, lastPublishedAt, now } = facts;
  if (allowedSeconds === undefined) return { state: 'unknown', basis: 'none', reason: 'no freshness in the SLA' };
  if (measured) {
    const ageSeconds = measured.ageSeconds + seconds(measured.at, now);
    const stale = ageSeconds > allowedSeconds;
    return {
      state: stale ? 'stale' : 'fresh',
      ageSeconds,
      allowedSeconds,
      basis: 'metric',
      reason: stale ? 'older than the SLA allows' : 'within the SLA',
    };
  }
  if (lastPublishedAt) {
    const ageSeconds = seconds(lastPublishedAt, now);
    if (ageSeconds > allowedSeconds) {
      return {
        state: 'stale',
        ageSeconds,
        allowedSeconds,
        basis: 'last-run',
        reason: 'last publish is older than the SLA allows',
      };
    }
    return {
      state: 'unknown',
      ageSeconds,
      allowedSeconds,
      basis: 'last-run',
      reason: 'no freshness measured; last publish is recent',
    };
  }
  return { state: 'unknown', allowedSeconds, basis: 'none', reason: 'no freshness measured and no publish yet' };
}

/**
 * A product's state, worst first: `not-deployed` (no state machine), `failing` (the last run broke, or a
 * blocking rule failed), `alarm` (an alarm is in ALARM), `stale`, `running`, `never-run`, `ok`.
 */
export type ProductState = 'not-deployed' | 'failing' | 'alarm' | 'stale' | 'running' | 'never-run' | 'ok';

export interface ProductStateFacts {
  readonly deployed: boolean;
  /** The last execution's outcome; undefined when it never ran. */
  readonly lastRun?: RunOutcome;
  readonly freshness: FreshnessVerdict;
  readonly openAlarms: number;
}

export interface ProductStatusVerdict {
  readonly state: ProductState;
  /** Every problem found, e.g. ['failing', 'stale'] (the state is the first). */
  readonly problems: readonly ('failing' | 'alarm' | 'stale')[];
  /** Whether `mesh status` should exit 1 for it. */
  readonly needsAttention: boolean;
}

export function productState(facts: ProductStateFacts): ProductStatusVerdict {
  if (!facts.deployed) return { state: 'not-deployed', problems: [], needsAttention: false };
  const problems: ('failing' | 'alarm' | 'stale')[] = [];
  const verdict = facts.lastRun?.verdict;
  if (verdict === 'failed' || verdict === 'quality-failed') problems.push('failing');
  if (facts.openAlarms > 0) problems.push('alarm');
  if (facts.freshness.state === 'stale') problems.push('stale');
  if (problems.length > 0) return { state: problems[0], problems, needsAttention: true };
  const state: ProductState = verdict === 'running' ? 'running' : facts.lastRun ? 'ok' : 'never-run';
  return { state, problems, needsAttention: false };
}
