/**
 * evaluateQualityChecks(): measured values, whichever engine produced them, turned into a verdict per check
 * and a quality score.
 */
import { type QualityCheck, TOTAL_ROWS_COLUMN } from './checks';
import { formatMeasured } from './measure-text';
import { describeThreshold, meetsThreshold } from './threshold';

/** A check whose statement could not run (a custom `sql` rule the engine refused, for instance). */
export interface MeasurementError {
  readonly error: string;
}

/** What an engine returned for one output column. */
export type MeasuredValue = number | null | MeasurementError;

/** Verdict on one check. */
export type QualityStatus = 'pass' | 'fail' | 'error' | 'skipped';

/** One check's outcome, ready to print or to serialize. */
export interface QualityCheckResult {
  /** Output column, e.g. `r03_unique_order_id`. */
  readonly id: string;
  /** `quality[2]` or `sla.freshness`. */
  readonly source: string;
  /** Rule kind, e.g. `unique`. */
  readonly rule: string;
  readonly columns: readonly string[];
  /** One-line summary of the rule. */
  readonly summary: string;
  /** The rule's own description, when it has one. */
  readonly description?: string;
  /** Measured value in `unit`; null when there was nothing to measure or the check did not run. */
  readonly measured: number | null;
  readonly unit: QualityCheck['unit'];
  /** `3 rows`, `0.52 %`, `5.2 hours`. */
  readonly measuredText: string;
  /** `= 0 rows`, `< 1 %`, `at most 26 hours`. */
  readonly threshold: string;
  readonly status: QualityStatus;
  readonly passed: boolean;
  /** Why the check errored or was skipped. */
  readonly message?: string;
}

/** Outcome of checking one product version. */
export interface QualityReport {
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly major: number;
  /** Rows the checks ran on (after any filter). */
  readonly totalRows: number | null;
  readonly results: readonly QualityCheckResult[];
  /** Share of checks that ran and passed, 0..1; 1 when no check ran. */
  readonly score: number;
  /** True when no check failed or errored. */
  readonly passed: boolean;
  readonly counts: { readonly pass: number; readonly fail: number; readonly error: number; readonly skipped: number };
}

/** Judges every check against its measured value (keyed by check id, plus `total_rows`). */
export function evaluateQualityChecks(
  product: string,
  major: number,
  checks: readonly QualityCheck[],
  measured: Readonly<Record<string, MeasuredValue>>,
): QualityReport {
  const results = checks.map((check) => judge(check, measured[check.id]));
  const counts = { pass: 0, fail: 0, error: 0, skipped: 0 };
  for (const result of results) counts[result.status]++;
  const ran = counts.pass + counts.fail + counts.error;
  const total = measured[TOTAL_ROWS_COLUMN];
  return {
    product,
    major,
    totalRows: typeof total === 'number' ? total : null,
    results,
    score: ran === 0 ? 1 : counts.pass / ran,
    passed: counts.fail === 0 && counts.error === 0,
    counts,
  };
}

function judge(check: QualityCheck, value: MeasuredValue | undefined): QualityCheckResult {
  const base = {
    id: check.id,
    source: check.source,
    rule: check.rule.rule,
    columns: check.columns,
    summary: check.summary,
    ...(check.rule.description !== undefined ? { description: check.rule.description } : {}),
    unit: check.unit,
    threshold: describeThreshold(check.threshold, check.unit),
  };
  if (check.skipped) {
    return { ...base, measured: null, measuredText: '-', status: 'skipped', passed: false, message: check.skipped };
  }
  if (value === undefined) {
    return error(base, `the engine returned no column "${check.id}"`);
  }
  if (value !== null && typeof value === 'object') return error(base, value.error);
  const passed = meetsThreshold(check.threshold, value);
  return {
    ...base,
    measured: value,
    measuredText: value === null ? 'no rows' : formatMeasured(value, check.unit),
    status: passed ? 'pass' : 'fail',
    passed,
  };
}

function error(base: Omit<QualityCheckResult, 'measured' | 'measuredText' | 'status' | 'passed'>, message: string) {
  return { ...base, measured: null, measuredText: '-', status: 'error' as const, passed: false, message };
}

/** Converts a raw cell (Athena's VarCharValue text, DuckDB's bigint/number/decimal) to a number or null. */
export function toMeasuredNumber(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  const text = String(raw).trim();
  if (text === '') return null;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`expected a number, got "${text}"`);
  return value;
}
