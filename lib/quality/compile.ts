/**
 * compileQualityChecks(): a product version's checks as SQL — one aggregate statement that measures every
 * rule in a single scan (Athena bills at least 10 MB per query), plus one statement per custom `sql` rule.
 */
import { checkReadOnlySelect } from '../mesh/check-product';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { planQualityChecks, type QualityCheck, TOTAL_ROWS_COLUMN } from './checks';
import { aggregateExpression } from './expressions';
import { checkRowFilter, QualitySqlError, quoteIdentifier, type SqlDialect } from './sql-text';

/** What the statements read. */
export interface QualityTarget {
  /**
   * The relation, as SQL the caller built from trusted names: `"acme_sales"."orders_v2"` (see
   * quoteQualifiedName) or a DuckDB reader call such as `read_parquet(['data.parquet'])`.
   */
  readonly relation: string;
  /** Row filter, e.g. a partition range; checked with checkRowFilter. @default every row */
  readonly where?: string;
}

/** A statement and the output columns it returns, in order. */
export interface CompiledStatement {
  readonly sql: string;
  readonly columns: readonly string[];
}

/** The statement of one custom `sql` rule; its first output column is the measured value. */
export interface CustomCheckStatement {
  readonly check: QualityCheck;
  readonly sql: string;
}

/** Everything needed to measure one product version in one dialect. */
export interface CompiledQualityChecks {
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly major: number;
  readonly dialect: SqlDialect;
  /** Every check, skipped ones included, in report order. */
  readonly checks: readonly QualityCheck[];
  /** `total_rows` and every check except custom `sql` rules, in one scan. */
  readonly aggregate: CompiledStatement;
  /** One statement per custom `sql` rule that applies. */
  readonly custom: readonly CustomCheckStatement[];
}

/** Compiles the checks of one product version for one engine. */
export function compileQualityChecks(
  product: MeshProduct,
  version: ProductVersion,
  dialect: SqlDialect,
  target: QualityTarget,
): CompiledQualityChecks {
  const checks = planQualityChecks(product, version);
  const live = checks.filter((c) => !c.skipped);
  return {
    product: product.id,
    major: version.major,
    dialect,
    checks,
    aggregate: buildAggregateStatement(
      live.filter((c) => c.rule.rule !== 'sql'),
      dialect,
      target,
    ),
    custom: live.filter((c) => c.rule.rule === 'sql').map((check) => customStatement(check, target)),
  };
}

/**
 * One SELECT computing `total_rows` and the given checks over the target; custom `sql` checks are refused.
 * Exported so the one-scan design can be compared with one statement per rule.
 */
export function buildAggregateStatement(
  checks: readonly QualityCheck[],
  dialect: SqlDialect,
  target: QualityTarget,
): CompiledStatement {
  const items = [{ id: TOTAL_ROWS_COLUMN, expression: 'count(*)' }];
  for (const check of checks) {
    const expression = aggregateExpression(check, dialect);
    if (expression === undefined) {
      throw new QualitySqlError(`${check.source}: a custom sql rule runs as its own statement, not in the aggregate`);
    }
    items.push({ id: check.id, expression });
  }
  const lines = [
    'SELECT',
    items.map((item) => `  ${item.expression} AS ${quoteIdentifier(item.id)}`).join(',\n'),
    `FROM ${target.relation}`,
  ];
  if (target.where !== undefined) lines.push(`WHERE (${checkRowFilter(target.where)})`);
  return { sql: lines.join('\n'), columns: items.map((item) => item.id) };
}

/** The rule's own SELECT with `{table}` standing for the target (filtered, when a filter is given). */
function customStatement(check: QualityCheck, target: QualityTarget): CustomCheckStatement {
  if (check.rule.rule !== 'sql') throw new Error(`${check.source} is not a custom sql rule`);
  // Validation already refused these; checked again because this text is sent to an engine as is.
  const problem = checkReadOnlySelect(check.rule.query);
  if (problem) throw new QualitySqlError(`${check.source}.query ${problem}`);
  const table =
    target.where === undefined
      ? target.relation
      : `(SELECT * FROM ${target.relation} WHERE (${checkRowFilter(target.where)}))`;
  const sql = check.rule.query.trim().replace(/;\s*$/, '').split('{table}').join(table);
  return { check, sql };
}
