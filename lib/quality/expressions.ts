/**
 * One aggregate expression per check, in each dialect (REFERENCE.md, "Quality rules and the SQL they compile
 * to"). Bad-row counts skip NULLs — a missing value is the null rules' business — except the null rules.
 */
import type { QualityCheck } from './checks';
import { numberLiteral, quoteIdentifier, quoteString, type SqlDialect, valueLiteral } from './sql-text';

/** The aggregate expression whose value is the check's measured value; undefined for `sql` rules. */
export function aggregateExpression(check: QualityCheck, dialect: SqlDialect): string | undefined {
  const bad = badRowCount(check, dialect);
  if (bad === undefined) return measuredValue(check, dialect);
  // Percent of all rows the statement sees; no rows means no bad rows.
  return check.unit === 'percent'
    ? `CASE WHEN count(*) = 0 THEN 0 ELSE CAST(${bad} AS double) * 100 / count(*) END`
    : bad;
}

/** Checks that measure something other than a count of bad rows. */
function measuredValue(check: QualityCheck, dialect: SqlDialect): string | undefined {
  const rule = check.rule;
  switch (rule.rule) {
    case 'rowCount':
      return 'count(*)';
    case 'freshness':
      return ageInSeconds(`max(${quoteIdentifier(rule.column)})`, dialect);
    default:
      return undefined;
  }
}

/** Rows that break the rule, or undefined when the rule does not count rows. */
function badRowCount(check: QualityCheck, dialect: SqlDialect): string | undefined {
  const rule = check.rule;
  switch (rule.rule) {
    case 'notNull':
    case 'nullValues':
      return `count(*) - count(${quoteIdentifier(rule.column)})`;
    case 'unique': {
      if (check.columns.length === 1) {
        const c = quoteIdentifier(check.columns[0]);
        // Rows whose value repeats one seen before: n rows sharing a value count n - 1.
        return `(count(${c}) - count(DISTINCT ${c}))`;
      }
      const quoted = check.columns.map(quoteIdentifier);
      // As in SQL UNIQUE constraints, a key with a NULL part is no duplicate of anything.
      const complete = quoted.map((c) => `${c} IS NOT NULL`).join(' AND ');
      return `(count_if(${complete}) - count(DISTINCT CASE WHEN ${complete} THEN row(${quoted.join(', ')}) END))`;
    }
    case 'acceptedValues': {
      const c = quoteIdentifier(rule.column);
      return `count_if(${c} IS NOT NULL AND ${c} NOT IN (${rule.values.map(valueLiteral).join(', ')}))`;
    }
    case 'range': {
      const c = quoteIdentifier(rule.column);
      const outside: string[] = [];
      if (rule.min !== undefined) outside.push(`${c} ${rule.exclusive ? '<=' : '<'} ${numberLiteral(rule.min)}`);
      if (rule.max !== undefined) outside.push(`${c} ${rule.exclusive ? '>=' : '>'} ${numberLiteral(rule.max)}`);
      return `count_if(${c} IS NOT NULL AND (${outside.join(' OR ')}))`;
    }
    case 'pattern': {
      const c = quoteIdentifier(rule.column);
      return `count_if(${c} IS NOT NULL AND NOT ${regexMatch(c, rule.pattern, dialect)})`;
    }
    case 'length': {
      const c = quoteIdentifier(rule.column);
      const outside: string[] = [];
      if (rule.min !== undefined) outside.push(`length(${c}) < ${numberLiteral(rule.min)}`);
      if (rule.max !== undefined) outside.push(`length(${c}) > ${numberLiteral(rule.max)}`);
      return `count_if(${c} IS NOT NULL AND (${outside.join(' OR ')}))`;
    }
    default:
      return undefined;
  }
}

/** Partial-match regular expression test: Trino's `regexp_like`, DuckDB's `regexp_matches`. */
function regexMatch(column: string, pattern: string, dialect: SqlDialect): string {
  return `${dialect === 'trino' ? 'regexp_like' : 'regexp_matches'}(${column}, ${quoteString(pattern)})`;
}

/**
 * Seconds from a timestamp (or date, taken at midnight) to now. Stored timestamps carry no zone and are UTC,
 * so "now" is taken as UTC wall-clock time in both engines, whatever the session's zone.
 */
function ageInSeconds(newest: string, dialect: SqlDialect): string {
  const now =
    dialect === 'trino'
      ? `CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp)`
      : `CAST(timezone('UTC', now()) AS timestamp)`;
  return `date_diff('second', CAST(${newest} AS timestamp), ${now})`;
}
