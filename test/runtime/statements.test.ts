/**
 * The write-audit-publish statements, run for real in DuckDB (the SQL is kept in the subset Trino and DuckDB
 * share): a run publishes only audited data, re-running a period never duplicates rows, each mode replaces
 * what it promises, and a failing rule leaves the product untouched.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseColumnType } from '../../lib/definition/column-type';
import type { Column } from '../../lib/definition/schema';
import type { MeshProduct } from '../../lib/mesh/model';
import { firstRow, withDuckDb } from '../../lib/quality/local-runner';
import { duckDbType } from '../../lib/quality/local-source';
import { QUALITY_RESULTS_COLUMNS } from '../../lib/runtime/quality-results';
import {
  auditStatement,
  clearStagingStatement,
  publishStatement,
  type RunTables,
  renderSlots,
  SLOT,
  STAGING_COLUMNS,
  stageStatement,
  toStatesFormat,
  VERDICT_COLUMNS,
  verdictStatement,
} from '../../lib/runtime/statements';
import { meshProductOf, productInput } from '../quality/product-fixture';

const tables: RunTables = {
  database: 'db',
  table: 'daily_totals_v1',
  stagingTable: 'daily_totals_v1__staging',
  qualityResultsTable: 'quality_results',
};

function dailyTotals(mode: 'full-refresh' | 'partition-overwrite' | 'append'): MeshProduct {
  return meshProductOf(
    productInput({
      name: 'daily_totals',
      version: '1.0.0',
      archetype: 'aggregate',
      schema: {
        format: 'iceberg',
        columns: [
          { name: 'day', type: 'date', required: true, primaryKey: true, partition: true },
          { name: 'region', type: 'string', required: true, primaryKey: true },
          { name: 'total', type: 'decimal(12,2)', required: true },
        ],
      },
      quality: [
        { rule: 'notNull', column: 'total' },
        { rule: 'range', column: 'total', min: 0 },
      ],
      sla: { updateFrequency: 'daily', freshness: { within: '1000 days', column: 'day' }, retention: '1 year' },
      inputs: ['sales/orders@2'],
      // The statements under test take the rendered SELECT (BUILD_SELECT); this one only has to be valid.
      build: { sql: 'SELECT day, region, total FROM {input:sales/orders@2}', schedule: 'cron(0 5 * * ? *)', mode },
    }),
  );
}

const BUILD_SELECT = [
  'SELECT day, region, CAST(sum(amount) AS DECIMAL(12,2)) AS total',
  `FROM db.src WHERE day <= ${SLOT.runDate}`,
  'GROUP BY day, region',
].join('\n');

function columnsDdl(columns: readonly Column[]): string {
  return columns.map((c) => `"${c.name}" ${duckDbType(parseColumnType(c.type))}`).join(', ');
}

async function setUp(connection: DuckDBConnection, product: MeshProduct): Promise<void> {
  const columns = product.versions[0].schema.columns;
  await connection.run('CREATE SCHEMA db');
  await connection.run(`CREATE TABLE db.daily_totals_v1 (${columnsDdl(columns)})`);
  await connection.run(`CREATE TABLE db.daily_totals_v1__staging (${columnsDdl([...columns, ...STAGING_COLUMNS])})`);
  await connection.run(`CREATE TABLE db.quality_results (${columnsDdl(QUALITY_RESULTS_COLUMNS)})`);
  await connection.run('CREATE TABLE db.src (day DATE, region VARCHAR, amount DECIMAL(12,2))');
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}

/** One run as the state machine sequences it; returns the verdict and whether it published. */
async function run(connection: DuckDBConnection, product: MeshProduct, runId: string, runDate = '2026-01-03') {
  const version = product.versions[0];
  const fill = (sql: string) => renderSlots(sql, { runId, runDate: `DATE '${runDate}'` });
  await connection.run(fill(stageStatement(version, tables, BUILD_SELECT, 'duckdb')));
  await connection.run(fill(auditStatement(product, version, tables, 'build', 'duckdb')));
  const verdict = (await firstRow(connection, fill(verdictStatement(product, tables, 'build')))) ?? {};
  const published = Number(verdict.failed_rules) === 0;
  if (published) {
    await connection.run(fill(publishStatement(product, version, tables)));
    await connection.run(fill(clearStagingStatement(tables, 'duckdb')));
  }
  return { verdict, published };
}

const published = (connection: DuckDBConnection) =>
  rows(
    connection,
    "SELECT strftime(day, '%Y-%m-%d') AS day, region, CAST(total AS DOUBLE) AS total FROM db.daily_totals_v1 ORDER BY day, region",
  );

async function insertSource(connection: DuckDBConnection, values: [string, string, number][]): Promise<void> {
  for (const [day, region, amount] of values) {
    await connection.run(`INSERT INTO db.src VALUES (DATE '${day}', '${region}', ${amount})`);
  }
}

describe('write-audit-publish statements in DuckDB', () => {
  it('publishes audited rows once: re-running the same period updates, never duplicates', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('full-refresh');
      await setUp(connection, product);
      await insertSource(connection, [
        ['2026-01-01', 'north', 10],
        ['2026-01-01', 'north', 5],
        ['2026-01-02', 'south', 7],
      ]);
      const first = await run(connection, product, 'run-1');
      expect(first.published).toBe(true);
      expect(Number(first.verdict.rows_written)).toBe(2);
      expect(Number(first.verdict.rules)).toBe(5); // 2 rules, SLA freshness, 2 primary key checks
      expect(Number(first.verdict.quality_score)).toBe(100);
      await run(connection, product, 'run-2');
      expect(await published(connection)).toEqual([
        { day: '2026-01-01', region: 'north', total: 15 },
        { day: '2026-01-02', region: 'south', total: 7 },
      ]);
      // Staging is cleared after each publish.
      expect(await rows(connection, 'SELECT * FROM db.daily_totals_v1__staging')).toEqual([]);
      const results = await rows(
        connection,
        "SELECT rule, passed FROM db.quality_results WHERE run_id = 'run-2' ORDER BY rule",
      );
      expect(results.map((r) => r.rule)).toEqual([
        'mesh_primary_key_not_null',
        'mesh_primary_key_unique',
        'r01_not_null_total',
        'r02_range_total',
        'sla_freshness_day',
      ]);
      expect(results.every((r) => r.passed === true)).toBe(true);
    }));

  it('a failing rule stops the publish: consumers keep the last good data and the staged rows stay to inspect', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('full-refresh');
      await setUp(connection, product);
      await insertSource(connection, [['2026-01-01', 'north', 10]]);
      await run(connection, product, 'good');
      await insertSource(connection, [['2026-01-02', 'south', -50]]);
      const bad = await run(connection, product, 'bad');
      expect(bad.published).toBe(false);
      expect(Number(bad.verdict.failed_rules)).toBe(1);
      expect(await published(connection)).toEqual([{ day: '2026-01-01', region: 'north', total: 10 }]);
      const failed = await rows(
        connection,
        "SELECT rule, measured, threshold FROM db.quality_results WHERE run_id = 'bad' AND NOT passed",
      );
      expect(failed).toEqual([{ rule: 'r02_range_total', measured: 1, threshold: '= 0 rows' }]);
      expect((await rows(connection, "SELECT * FROM db.daily_totals_v1__staging WHERE run_id = 'bad'")).length).toBe(2);
    }));

  it('full-refresh removes rows the run no longer produces', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('full-refresh');
      await setUp(connection, product);
      await insertSource(connection, [
        ['2026-01-01', 'north', 10],
        ['2026-01-02', 'south', 7],
      ]);
      await run(connection, product, 'r1');
      await connection.run("DELETE FROM db.src WHERE region = 'south'");
      await run(connection, product, 'r2');
      expect(await published(connection)).toEqual([{ day: '2026-01-01', region: 'north', total: 10 }]);
    }));

  it('partition-overwrite replaces only the partitions the run produced', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('partition-overwrite');
      await setUp(connection, product);
      await insertSource(connection, [
        ['2026-01-01', 'north', 10],
        ['2026-01-01', 'east', 3],
        ['2026-01-02', 'south', 7],
      ]);
      await run(connection, product, 'r1');
      // The next run only builds 2026-01-01, now without "east": that day is replaced, 2026-01-02 is kept.
      await connection.run("DELETE FROM db.src WHERE region = 'east' OR day = DATE '2026-01-02'");
      await run(connection, product, 'r2');
      expect(await published(connection)).toEqual([
        { day: '2026-01-01', region: 'north', total: 10 },
        { day: '2026-01-02', region: 'south', total: 7 },
      ]);
    }));

  it('append inserts new keys only and keeps what was published', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('append');
      await setUp(connection, product);
      await insertSource(connection, [['2026-01-01', 'north', 10]]);
      await run(connection, product, 'r1');
      await insertSource(connection, [
        ['2026-01-01', 'north', 90],
        ['2026-01-02', 'south', 7],
      ]);
      await run(connection, product, 'r2');
      expect(await published(connection)).toEqual([
        { day: '2026-01-01', region: 'north', total: 10 },
        { day: '2026-01-02', region: 'south', total: 7 },
      ]);
    }));

  it('a build that repeats a primary key fails the gate instead of publishing duplicates', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('full-refresh');
      await setUp(connection, product);
      const version = product.versions[0];
      const select =
        "SELECT DATE '2026-01-01' AS day, 'north' AS region, CAST(1 AS DECIMAL(12,2)) AS total UNION ALL SELECT DATE '2026-01-01', 'north', 2";
      const fill = (sql: string) => renderSlots(sql, { runId: 'dup', runDate: "DATE '2026-01-03'" });
      await connection.run(fill(stageStatement(version, tables, select, 'duckdb')));
      await connection.run(fill(auditStatement(product, version, tables, 'build', 'duckdb')));
      const verdict = await firstRow(connection, fill(verdictStatement(product, tables, 'build')));
      expect(Number(verdict?.failed_rules)).toBe(1);
      const failed = await rows(connection, "SELECT rule FROM db.quality_results WHERE run_id = 'dup' AND NOT passed");
      expect(failed).toEqual([{ rule: 'mesh_primary_key_unique' }]);
    }));

  it('a scheduled check audits the product table and counts every rule, freshness included', () =>
    withDuckDb(async (connection) => {
      const product = dailyTotals('full-refresh');
      await setUp(connection, product);
      await connection.run("INSERT INTO db.daily_totals_v1 VALUES (DATE '2020-01-01', 'north', 1)");
      const version = product.versions[0];
      const fill = (sql: string) => renderSlots(sql, { runId: 'chk', runDate: "DATE '2026-01-03'" });
      await connection.run(fill(auditStatement(product, version, tables, 'check', 'duckdb')));
      const verdict = await firstRow(connection, fill(verdictStatement(product, tables, 'check')));
      // 2020-01-01 is more than 1,000 days old: the check fails on freshness alone.
      expect(Number(verdict?.failed_rules)).toBe(1);
      expect(Number(verdict?.rules)).toBe(3);
      expect(Number(verdict?.freshness_age_seconds)).toBeGreaterThan(1000 * 86_400);
      expect(Object.keys(verdict ?? {})).toEqual([...VERDICT_COLUMNS]);
    }));
});

describe('toStatesFormat', () => {
  it('turns slots into {} in order and escapes literal braces for States.Format', () => {
    const sql = `SELECT '${SLOT.runId}', regexp_like(x, 'a{2}') FROM t WHERE d = ${SLOT.runDate} AND r = '${SLOT.runId}'`;
    expect(toStatesFormat(sql)).toEqual({
      format: "SELECT '{}', regexp_like(x, 'a\\{2\\}') FROM t WHERE d = {} AND r = '{}'",
      slots: ['runId', 'runDate', 'runId'],
    });
  });
});
