/** Human-readable durations used by SLAs and freshness rules: "26 hours", "7 days", "3 years". */

export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

export const DURATION_PATTERN_TEXT = '<number> minutes|hours|days|weeks|months|years';

const DURATION = /^(\d+)\s*(minute|hour|day|week|month|year)s?$/;

/** Parses a duration string; undefined when it is not one. */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || Number(match[1]) <= 0) return undefined;
  return { amount: Number(match[1]), unit: `${match[2]}s` as DurationUnit };
}

const SECONDS: Record<DurationUnit, number> = {
  minutes: 60,
  hours: 3_600,
  days: 86_400,
  weeks: 604_800,
  months: 2_629_800, // average month: 365.25 / 12 days
  years: 31_557_600,
};

/** Length in seconds (months and years averaged), for comparisons and SQL intervals. */
export function durationSeconds(duration: Duration): number {
  return duration.amount * SECONDS[duration.unit];
}

/** Whole days, rounded up; S3 lifecycle rules count in days. */
export function durationDays(duration: Duration): number {
  return Math.ceil(durationSeconds(duration) / SECONDS.days);
}
