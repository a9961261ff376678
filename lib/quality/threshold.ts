/** The limit a measured value is held to: one comparator per rule, with the defaults each rule kind implies. */
import type { QualityRule } from '../definition/schema';
import { formatDurationSeconds, formatNumber, type MeasureUnit } from './measure-text';

/** A resolved limit. `atMost` is internal: freshness ages are at most the allowed duration. */
export type Threshold =
  | { readonly comparator: 'mustBe'; readonly value: number }
  | { readonly comparator: 'mustBeLessThan'; readonly value: number }
  | { readonly comparator: 'mustBeGreaterThan'; readonly value: number }
  | { readonly comparator: 'mustBeBetween'; readonly min: number; readonly max: number }
  | { readonly comparator: 'atMost'; readonly value: number };

type ThresholdFields = Pick<
  Extract<QualityRule, { rule: 'rowCount' }>,
  'mustBe' | 'mustBeLessThan' | 'mustBeGreaterThan' | 'mustBeBetween'
>;

/**
 * The comparator written on the rule, or the default: a table must have rows (`rowCount` > 0), and every
 * other rule counts bad rows (or returns a number, for `sql`) that must be 0.
 */
export function resolveThreshold(rule: ThresholdFields, fallback: Threshold): Threshold {
  if (rule.mustBe !== undefined) return { comparator: 'mustBe', value: rule.mustBe };
  if (rule.mustBeLessThan !== undefined) return { comparator: 'mustBeLessThan', value: rule.mustBeLessThan };
  if (rule.mustBeGreaterThan !== undefined) return { comparator: 'mustBeGreaterThan', value: rule.mustBeGreaterThan };
  if (rule.mustBeBetween !== undefined) {
    return { comparator: 'mustBeBetween', min: rule.mustBeBetween[0], max: rule.mustBeBetween[1] };
  }
  return fallback;
}

/** Whether a measured value meets the limit; a missing value (no rows to measure) never does. */
export function meetsThreshold(threshold: Threshold, measured: number | null): boolean {
  if (measured === null || Number.isNaN(measured)) return false;
  switch (threshold.comparator) {
    case 'mustBe':
      return measured === threshold.value;
    case 'mustBeLessThan':
      return measured < threshold.value;
    case 'mustBeGreaterThan':
      return measured > threshold.value;
    case 'mustBeBetween':
      return measured >= threshold.min && measured <= threshold.max;
    case 'atMost':
      return measured <= threshold.value;
  }
}

/** `= 0 rows`, `< 1 %`, `between 5 and 10 rows`, `at most 26 hours`. */
export function describeThreshold(threshold: Threshold, unit: MeasureUnit): string {
  const suffix = unit === 'rows' ? ' rows' : unit === 'percent' ? ' %' : '';
  switch (threshold.comparator) {
    case 'mustBe':
      return `= ${formatNumber(threshold.value)}${suffix}`;
    case 'mustBeLessThan':
      return `< ${formatNumber(threshold.value)}${suffix}`;
    case 'mustBeGreaterThan':
      return `> ${formatNumber(threshold.value)}${suffix}`;
    case 'mustBeBetween':
      return `between ${formatNumber(threshold.min)} and ${formatNumber(threshold.max)}${suffix}`;
    case 'atMost':
      return unit === 'seconds'
        ? `at most ${formatDurationSeconds(threshold.value)}`
        : `at most ${formatNumber(threshold.value)}${suffix}`;
  }
}
