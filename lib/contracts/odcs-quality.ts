/**
 * Quality rules → ODCS v3.1 quality entries. Where ODCS has a library metric (nullValues, duplicateValues,
 * invalidValues, rowCount) it is used, so any ODCS runner can execute the rule; the rest become `sql` rules
 * in the Athena (Trino) dialect against the fully qualified table.
 */
import { durationSeconds, parseDuration } from '../definition/duration';
import type { QualityRule } from '../definition/schema';

/** One ODCS quality entry (a DataQuality object). */
export interface OdcsQuality {
  readonly id: string;
  readonly type: 'library' | 'sql';
  readonly metric?: 'nullValues' | 'duplicateValues' | 'invalidValues' | 'rowCount';
  readonly arguments?: Record<string, unknown>;
  readonly query?: string;
  readonly dimension?: 'accuracy' | 'completeness' | 'conformity' | 'timeliness' | 'uniqueness';
  readonly description?: string;
  readonly unit?: string;
  readonly mustBe?: number;
  readonly mustBeLessThan?: number;
  readonly mustBeGreaterThan?: number;
  readonly mustBeLessOrEqualTo?: number;
  readonly mustBeBetween?: readonly [number, number];
}

type Threshold = Pick<
  OdcsQuality,
  'mustBe' | 'mustBeLessThan' | 'mustBeGreaterThan' | 'mustBeLessOrEqualTo' | 'mustBeBetween' | 'unit'
>;

/** The rule's one comparator; a rule without one means "no bad rows" (rowCount: "not empty"). */
function thresholdOf(rule: QualityRule): Threshold {
  if (rule.rule === 'freshness') return {};
  const unit = rule.unit ? { unit: rule.unit } : {};
  if (rule.mustBe !== undefined) return { mustBe: rule.mustBe, ...unit };
  if (rule.mustBeLessThan !== undefined) return { mustBeLessThan: rule.mustBeLessThan, ...unit };
  if (rule.mustBeGreaterThan !== undefined) return { mustBeGreaterThan: rule.mustBeGreaterThan, ...unit };
  if (rule.mustBeBetween !== undefined) return { mustBeBetween: rule.mustBeBetween, ...unit };
  return rule.rule === 'rowCount' ? { mustBeGreaterThan: 0, ...unit } : { mustBe: 0, ...unit };
}

/** Where a rule belongs in ODCS: on a property (column) or on the schema object (table). */
export function qualityColumn(rule: QualityRule): string | undefined {
  return rule.rule === 'rowCount' || rule.rule === 'sql' ? undefined : rule.column;
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Count (or percent) of rows matching `condition`, as one aggregate over the table. */
function badRowsQuery(table: string, condition: string, percent: boolean): string {
  return percent
    ? `SELECT 100.0 * count_if(${condition}) / greatest(count(*), 1) FROM ${table}`
    : `SELECT count(*) FROM ${table} WHERE ${condition}`;
}

/** Maps one rule; `table` is `<database>.<table>`, `id` a stable id unique in its list. */
export function toOdcsQuality(rule: QualityRule, table: string, id: string): OdcsQuality {
  const threshold = thresholdOf(rule);
  const description = rule.description ? { description: rule.description } : {};
  const percent = threshold.unit === 'percent';
  switch (rule.rule) {
    case 'rowCount':
      return { id, type: 'library', metric: 'rowCount', dimension: 'completeness', ...description, ...threshold };
    case 'notNull':
    case 'nullValues':
      return { id, type: 'library', metric: 'nullValues', dimension: 'completeness', ...description, ...threshold };
    case 'unique':
      return {
        id,
        type: 'library',
        metric: 'duplicateValues',
        ...(rule.columns ? { arguments: { properties: [...rule.columns] } } : {}),
        dimension: 'uniqueness',
        ...description,
        ...threshold,
      };
    case 'acceptedValues':
      return {
        id,
        type: 'library',
        metric: 'invalidValues',
        arguments: { validValues: [...rule.values] },
        dimension: 'conformity',
        ...description,
        ...threshold,
      };
    case 'range': {
      const [below, above] = rule.exclusive ? ['<=', '>='] : ['<', '>'];
      const condition = [
        rule.min !== undefined ? `${rule.column} ${below} ${rule.min}` : undefined,
        rule.max !== undefined ? `${rule.column} ${above} ${rule.max}` : undefined,
      ]
        .filter(Boolean)
        .join(' OR ');
      return sqlRule(id, badRowsQuery(table, condition, percent), 'accuracy', description, threshold);
    }
    case 'pattern':
      return sqlRule(
        id,
        badRowsQuery(table, `NOT regexp_like(${rule.column}, ${sqlString(rule.pattern)})`, percent),
        'conformity',
        description,
        threshold,
      );
    case 'length': {
      const condition = [
        rule.min !== undefined ? `length(${rule.column}) < ${rule.min}` : undefined,
        rule.max !== undefined ? `length(${rule.column}) > ${rule.max}` : undefined,
      ]
        .filter(Boolean)
        .join(' OR ');
      return sqlRule(id, badRowsQuery(table, condition, percent), 'conformity', description, threshold);
    }
    case 'freshness': {
      const within = parseDuration(rule.within)!;
      return {
        id,
        type: 'sql',
        query: `SELECT date_diff('second', CAST(max(${rule.column}) AS timestamp), CAST(current_timestamp AS timestamp)) FROM ${table}`,
        dimension: 'timeliness',
        description: rule.description ?? `newest ${rule.column} is at most ${rule.within} old`,
        mustBeLessOrEqualTo: durationSeconds(within),
        unit: 'seconds',
      };
    }
    case 'sql':
      return sqlRule(id, rule.query.split('{table}').join(table), undefined, description, threshold);
  }
}

function sqlRule(
  id: string,
  query: string,
  dimension: OdcsQuality['dimension'],
  description: { description?: string },
  threshold: Threshold,
): OdcsQuality {
  return { id, type: 'sql', query, ...(dimension ? { dimension } : {}), ...description, ...threshold };
}

/** Stable id of a rule, unique among `taken` (which it is added to). */
export function qualityId(rule: QualityRule, taken: Set<string>): string {
  const subject =
    rule.rule === 'sql'
      ? rule.name
      : rule.rule === 'unique' && rule.columns
        ? rule.columns.join('_')
        : 'column' in rule && rule.column
          ? rule.column
          : 'table';
  const base = `${subject}_${rule.rule}`.replace(/[^A-Za-z0-9_-]/g, '_');
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  taken.add(id);
  return id;
}
