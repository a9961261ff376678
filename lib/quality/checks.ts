/**
 * The checks a product version is held to: its quality rules, the SLA's freshness promise and the patterns of
 * the shared concepts its columns reference, each with a deterministic output name, the unit it measures and
 * its resolved limit. Compilers and evaluators both work from this list, so a measured value always maps back
 * to exactly one rule.
 */
import { conceptPatternRules } from '../concepts/pattern-rules';
import { durationSeconds, parseDuration } from '../definition/duration';
import type { QualityRule } from '../definition/schema';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import type { MeasureUnit } from './measure-text';
import { resolveThreshold, type Threshold } from './threshold';

/** Output column holding the number of rows the checks ran on; no rule id can take this name. */
export const TOTAL_ROWS_COLUMN = 'total_rows';

/** A freshness promise, whether written as a rule or as the product's `sla.freshness`. */
export type FreshnessRule = Extract<QualityRule, { rule: 'freshness' }>;

/** One check of a product version. */
export interface QualityCheck {
  /** Output column name, e.g. `r03_unique_order_id` or `sla_freshness_ordered_at`; stable while rules keep their order. */
  readonly id: string;
  /** Where the check is defined: `quality[2]`, `sla.freshness` or a concept reference (`schema.columns[0].concept`). */
  readonly source: string;
  /** The rule as written (for the SLA, a freshness rule built from it). */
  readonly rule: QualityRule;
  /** Columns the rule reads; empty for `rowCount` and `sql`. */
  readonly columns: readonly string[];
  /** What the measured value counts. */
  readonly unit: MeasureUnit;
  /** The limit the measured value must meet. */
  readonly threshold: Threshold;
  /** One-line summary for reports, e.g. `channel in (web, store, phone)`. */
  readonly summary: string;
  /** Why the check does not apply to this version (a column it reads is not in the version's schema). */
  readonly skipped?: string;
  /** The shared concept that implies the check (its pattern); the product's contract does not hold it. */
  readonly concept?: string;
}

const RULE_ID_PART: Record<QualityRule['rule'], string> = {
  rowCount: 'row_count',
  notNull: 'not_null',
  nullValues: 'null_values',
  unique: 'unique',
  acceptedValues: 'accepted_values',
  range: 'range',
  pattern: 'pattern',
  length: 'length',
  freshness: 'freshness',
  sql: 'sql',
};

const NO_BAD_ROWS: Threshold = { comparator: 'mustBe', value: 0 };

/**
 * Lists the checks of one version of a product: its rules in definition order, then the SLA freshness, then
 * the pattern of each referenced concept the product does not check with a pattern rule of its own.
 */
export function planQualityChecks(product: MeshProduct, version: ProductVersion): QualityCheck[] {
  const rules = product.definition.quality;
  const width = Math.max(2, String(rules.length).length);
  const available = new Set(version.schema.columns.map((c) => c.name));
  const checks = rules.map((rule, i) => {
    const columns = columnsOf(rule);
    const id = `r${String(i + 1).padStart(width, '0')}_${RULE_ID_PART[rule.rule]}${
      rule.rule === 'sql' ? `_${rule.name}` : columns.map((c) => `_${c}`).join('')
    }`;
    return planCheck(id, `quality[${i}]`, rule, columns, available, version.major);
  });
  const sla = product.definition.sla?.freshness;
  if (sla) {
    const rule: FreshnessRule = {
      rule: 'freshness',
      column: sla.column,
      within: sla.within,
      description: 'freshness promised by the SLA',
    };
    checks.push(
      planCheck(`sla_freshness_${sla.column}`, 'sla.freshness', rule, [sla.column], available, version.major),
    );
  }
  for (const implied of conceptPatternRules(product, version)) {
    const rule: QualityRule = {
      rule: 'pattern',
      column: implied.column,
      pattern: implied.pattern,
      description: `pattern of the shared concept ${implied.concept} (lib/policies/concepts.ts)`,
    };
    const id = `concept_pattern_${implied.column}`;
    const check = planCheck(id, implied.source, rule, [implied.column], available, version.major);
    checks.push({ ...check, summary: `${check.summary} (concept ${implied.concept})`, concept: implied.concept });
  }
  return checks;
}

function planCheck(
  id: string,
  source: string,
  rule: QualityRule,
  columns: readonly string[],
  available: ReadonlySet<string>,
  major: number,
): QualityCheck {
  const missing = columns.filter((c) => !available.has(c));
  const skipped =
    missing.length === 0
      ? undefined
      : `${missing.length === 1 ? 'column' : 'columns'} ${missing.map((c) => `"${c}"`).join(', ')} ${
          missing.length === 1 ? 'is' : 'are'
        } not in the v${major} schema`;
  const summary = source === 'sla.freshness' ? `${summarize(rule)} (SLA)` : summarize(rule);
  const plan = { id, source, rule, columns, summary, ...(skipped ? { skipped } : {}) };
  switch (rule.rule) {
    case 'rowCount':
      return {
        ...plan,
        unit: 'rows',
        threshold: resolveThreshold(rule, { comparator: 'mustBeGreaterThan', value: 0 }),
      };
    case 'sql':
      return { ...plan, unit: 'number', threshold: resolveThreshold(rule, NO_BAD_ROWS) };
    case 'freshness':
      return { ...plan, unit: 'seconds', threshold: { comparator: 'atMost', value: freshnessSeconds(rule) } };
    default:
      return { ...plan, unit: rule.unit ?? 'rows', threshold: resolveThreshold(rule, NO_BAD_ROWS) };
  }
}

/** Columns a rule reads. */
export function columnsOf(rule: QualityRule): readonly string[] {
  switch (rule.rule) {
    case 'rowCount':
    case 'sql':
      return [];
    case 'unique':
      return rule.columns ?? (rule.column ? [rule.column] : []);
    default:
      return [rule.column];
  }
}

/** Allowed age of the newest row, in seconds. */
export function freshnessSeconds(rule: FreshnessRule): number {
  const duration = parseDuration(rule.within);
  // The definition schema already rejects anything else; this guards direct callers.
  if (!duration) throw new Error(`not a duration: "${rule.within}"`);
  return durationSeconds(duration);
}

const MAX_LISTED_VALUES = 5;

function summarize(rule: QualityRule): string {
  switch (rule.rule) {
    case 'rowCount':
      return 'row count';
    case 'notNull':
      return `${rule.column} not null`;
    case 'nullValues':
      return `nulls in ${rule.column}`;
    case 'unique':
      return rule.columns ? `(${rule.columns.join(', ')}) unique` : `${rule.column} unique`;
    case 'acceptedValues': {
      const listed = rule.values.slice(0, MAX_LISTED_VALUES).map(String);
      const more = rule.values.length > MAX_LISTED_VALUES ? `, … ${rule.values.length - MAX_LISTED_VALUES} more` : '';
      return `${rule.column} in (${listed.join(', ')}${more})`;
    }
    case 'range':
      return `${rule.column} ${bounds(rule.min, rule.max, rule.exclusive)}`;
    case 'pattern':
      return `${rule.column} matches ${rule.pattern}`;
    case 'length':
      return `length(${rule.column}) ${bounds(rule.min, rule.max, false)}`;
    case 'freshness':
      return `newest ${rule.column} within ${rule.within}`;
    case 'sql':
      return `sql ${rule.name}`;
  }
}

function bounds(min: number | undefined, max: number | undefined, exclusive: boolean): string {
  if (min !== undefined && max !== undefined)
    return `in ${exclusive ? '(' : '['}${min}, ${max}${exclusive ? ')' : ']'}`;
  if (min !== undefined) return `${exclusive ? '>' : '>='} ${min}`;
  return `${exclusive ? '<' : '<='} ${max}`;
}
