/**
 * A DuckDB `quality_results` table with the columns Athena's has (lib/runtime/quality-results.ts), rows as the
 * state machine writes them, and results read back as Athena returns them (text, NULL as null).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseColumnType } from '../../lib/definition/column-type';
import { duckDbType } from '../../lib/quality/local-source';
import type { TextRow } from '../../lib/runtime/quality-history';
import { QUALITY_RESULTS_COLUMNS } from '../../lib/runtime/quality-results';

/** rule, rule_source, passed, blocks_publish. */
export type RuleResult = [rule: string, source: string, passed: boolean, blocks: boolean];

export interface RunRows {
  readonly product: string;
  readonly runId: string;
  /** SQL expression of checked_at, e.g. `TIMESTAMP '2026-12-01 06:00:00'`. */
  readonly at: string;
  readonly results: readonly RuleResult[];
  readonly kind?: 'build' | 'check';
}

export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function createQualityResults(connection: DuckDBConnection, schema = 'acme_sales'): Promise<void> {
  await connection.run(`CREATE SCHEMA ${schema}`);
  const columns = QUALITY_RESULTS_COLUMNS.map((c) => `"${c.name}" ${duckDbType(parseColumnType(c.type))}`);
  await connection.run(`CREATE TABLE ${schema}.quality_results (${columns.join(', ')})`);
}

export async function insertRuns(connection: DuckDBConnection, runs: readonly RunRows[], schema = 'acme_sales') {
  const values = runs.flatMap((run) =>
    run.results.map(([rule, source, passed, blocks]) =>
      [
        literal(run.product),
        literal('1.0.0'),
        '1',
        literal(rule),
        literal(source),
        passed ? '0' : '3',
        literal('= 0 rows'),
        String(passed),
        String(blocks),
        literal(run.runId),
        literal(run.kind ?? 'build'),
        run.at,
      ].join(', '),
    ),
  );
  await connection.run(`INSERT INTO ${schema}.quality_results VALUES (${values.join('), (')})`);
}

/** A statement's columns and rows, every value as text, NULL as null. */
export async function textResult(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ columns: string[]; types: string[]; rows: TextRow[] }> {
  const reader = await connection.runAndReadAll(sql);
  const rows = reader
    .getRowObjectsJson()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])));
  return { columns: reader.columnNames(), types: reader.columnTypes().map((t) => String(t).toLowerCase()), rows };
}
