/**
 * Breaking rules on purpose: which rows of a sample carry violations, and the values that break each rule.
 */
import type { QualityCheck } from './checks';
import { type ColumnNeeds, cast } from './sample-values';
import { numberLiteral, quoteString } from './sql-text';
import { meetsThreshold } from './threshold';

/**
 * Violation rows are picked by `i % VIOLATION_CYCLE`: each broken check gets one or more even remainders
 * (about 1 % of the rows each, as many as its threshold needs). Row 0 and every row before a violation row
 * stay intact, so a duplicate copied from row i - 1 is an unbroken value.
 */
export const VIOLATION_CYCLE = 97;
export const VIOLATION_REMAINDERS = Array.from({ length: (VIOLATION_CYCLE - 1) / 2 }, (_, j) => 2 * j + 2);

/** Rows i in 0..rows-1 with `i % VIOLATION_CYCLE` among the remainders. */
export function badRowCount(rows: number, remainders: readonly number[]): number {
  return remainders.reduce((total, r) => total + (rows > r ? Math.floor((rows - 1 - r) / VIOLATION_CYCLE) + 1 : 0), 0);
}

/** The fewest free remainders whose rows make the check fail; undefined when even all of them do not. */
export function remaindersToBreak(check: QualityCheck, rows: number, free: readonly number[]): number[] | undefined {
  for (let n = 1; n <= free.length; n++) {
    const count = badRowCount(rows, free.slice(0, n));
    const measured = check.unit === 'percent' ? (rows === 0 ? 0 : (100 * count) / rows) : count;
    if (!meetsThreshold(check.threshold, measured)) return free.slice(0, n);
  }
  return undefined;
}

/**
 * Values that break a check on the violation rows, per column; `'shifted'` when the whole column was moved
 * (freshness); undefined when the rule cannot be broken row by row.
 */
export function breakRule(
  check: QualityCheck,
  needs: ReadonlyMap<string, ColumnNeeds>,
  good: ReadonlyMap<string, (idx: string) => string>,
  shifts: Map<string, (expr: string) => string>,
): Map<string, string> | 'shifted' | undefined {
  const rule = check.rule;
  const only = (value: string) => new Map([[check.columns[0], value]]);
  const target = check.columns.length > 0 ? needs.get(check.columns[0])! : undefined;
  const type = target?.type;
  // On a unique column every broken value is distinct, so breaking one rule does not also break uniqueness.
  const distinct = target?.unique ?? false;
  switch (rule.rule) {
    case 'notNull':
    case 'nullValues':
      return only('NULL');
    case 'unique':
      // Every key column takes the previous row's value, so the key repeats.
      return new Map(check.columns.map((c) => [c, good.get(c)!('(i - 1)')]));
    case 'acceptedValues': {
      if (rule.values.every((v) => typeof v === 'number')) {
        const above = Math.max(...(rule.values as number[])) + 1;
        return only(cast(distinct ? `${numberLiteral(above)} + i` : numberLiteral(above), type!));
      }
      const text = quoteString('not_an_accepted_value');
      return only(distinct ? `concat(${text}, '-', CAST(i AS VARCHAR))` : text);
    }
    case 'range': {
      const below = rule.min !== undefined;
      const edge = below ? rule.min! - (rule.exclusive ? 0 : 1) : rule.max! + (rule.exclusive ? 0 : 1);
      const value = distinct ? `${numberLiteral(edge)} ${below ? '-' : '+'} i` : numberLiteral(edge);
      return only(cast(value, type!));
    }
    case 'pattern': {
      const regex = new RegExp(rule.pattern);
      const fails = (v: string) =>
        !regex.test(v) && (!distinct || ['-2', '-15', '-3456', '-98765'].every((suffix) => !regex.test(v + suffix)));
      const candidate = ['#not-matching#', ' ', '#', '!', 'x'].find(fails);
      if (candidate === undefined) return undefined;
      return only(distinct ? `concat(${quoteString(candidate)}, '-', CAST(i AS VARCHAR))` : quoteString(candidate));
    }
    case 'length': {
      if (rule.max !== undefined) {
        const long = quoteString('x'.repeat(rule.max + 1));
        return only(distinct ? `concat(${long}, CAST(i AS VARCHAR))` : long);
      }
      return rule.min !== undefined && rule.min > 0 ? only(quoteString('')) : undefined;
    }
    case 'freshness': {
      const limit = check.threshold.comparator === 'atMost' ? check.threshold.value : 0;
      const column = check.columns[0];
      const isDate = type?.kind === 'primitive' && type.name === 'date';
      shifts.set(column, (expr) =>
        isDate
          ? `${expr} - ${Math.ceil((2 * limit) / 86_400) + 1}`
          : `${expr} - to_seconds(${numberLiteral(2 * limit)})`,
      );
      return 'shifted';
    }
    default:
      return undefined;
  }
}

/** Why a check cannot be broken row by row. */
export function explainUnbreakable(check: QualityCheck): string {
  switch (check.rule.rule) {
    case 'rowCount':
      return 'row counts are set with --rows';
    case 'sql':
      return 'custom SQL is not understood by the generator';
    default:
      return 'no value outside the rule is known';
  }
}
