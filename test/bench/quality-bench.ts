/**
 * Quality benchmark: a product with 10 rules on 10 M generated rows (a temporary Parquet file), checked three
 * ways — one aggregate scan, one query per rule, and batched counts with unique and freshness apart (how the
 * reference runner splits them). Prints DuckDB time per check run and, for Athena, queries per run, the
 * bytes each strategy reads (from the file's column chunk sizes) and the minimum it is billed for.
 *   npm run bench:quality -- [--rows 10000000] [--repeat 3]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { athenaBilledBytes, athenaCostUsd } from '../../lib/quality/athena-cost';
import { planQualityChecks, type QualityCheck } from '../../lib/quality/checks';
import { buildAggregateStatement } from '../../lib/quality/compile';
import { firstRow, withDuckDb } from '../../lib/quality/local-runner';
import { localRelation, resolveLocalSource } from '../../lib/quality/local-source';
import { formatBytes, formatNumber } from '../../lib/quality/measure-text';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { quoteString } from '../../lib/quality/sql-text';
import { meshProductOf, productInput } from '../quality/product-fixture';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const ROWS = option('rows', 10_000_000);
const REPEAT = option('repeat', 3);
/** A check run on one daily partition of a year of data reads this share of the rows. */
const DAYS_OF_DATA = 365;

const product = meshProductOf(
  productInput({
    name: 'bench_orders',
    schema: {
      format: 'parquet',
      columns: [
        { name: 'order_id', type: 'bigint', required: true, unique: true },
        { name: 'customer_id', type: 'string', required: true },
        { name: 'channel', type: 'string', required: true },
        { name: 'amount', type: 'decimal(12,2)', required: true },
        { name: 'discount', type: 'double' },
        { name: 'email', type: 'string' },
        { name: 'country', type: 'varchar(2)' },
        { name: 'ordered_at', type: 'timestamp', required: true },
      ],
    },
    quality: [
      { rule: 'rowCount', mustBeGreaterThan: 0 },
      { rule: 'notNull', column: 'customer_id' },
      { rule: 'unique', column: 'order_id' },
      { rule: 'acceptedValues', column: 'channel', values: ['web', 'store', 'phone'] },
      { rule: 'range', column: 'amount', min: 0, max: 10_000 },
      { rule: 'range', column: 'discount', min: 0, max: 1, exclusive: true },
      { rule: 'pattern', column: 'email', pattern: '^[^@\\s]+@[^@\\s]+$' },
      { rule: 'nullValues', column: 'email', mustBeLessThan: 10, unit: 'percent' },
      { rule: 'length', column: 'country', min: 2, max: 2 },
      { rule: 'freshness', column: 'ordered_at', within: '1 days' },
    ],
  }),
);
const version = product.versions[0];

interface Strategy {
  readonly name: string;
  /** Checks measured by each statement. */
  readonly statements: readonly (readonly QualityCheck[])[];
}

function strategies(checks: readonly QualityCheck[]): Strategy[] {
  const apart = (c: QualityCheck) => c.rule.rule === 'unique' || c.rule.rule === 'freshness';
  return [
    { name: 'one scan, all rules', statements: [checks] },
    {
      name: 'counts batched, unique and freshness apart',
      statements: [checks.filter((c) => !apart(c)), ...checks.filter(apart).map((c) => [c])],
    },
    { name: 'one query per rule', statements: checks.map((c) => [c]) },
  ];
}

/** Compressed bytes per column in the Parquet file: what Athena reads for a query touching those columns. */
async function columnBytes(connection: DuckDBConnection, file: string): Promise<Map<string, number>> {
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema AS name, sum(total_compressed_size) AS bytes FROM parquet_metadata(${quoteString(file)}) GROUP BY 1`,
  );
  return new Map(reader.getRowObjectsJS().map((r) => [String(r.name), Number(r.bytes)]));
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-bench-'));
  const file = path.join(dir, 'orders.parquet');
  try {
    let started = performance.now();
    await writeQualitySample(product, version, file, { rows: ROWS });
    const generateMs = performance.now() - started;
    const checks = planQualityChecks(product, version);
    const relation = localRelation(resolveLocalSource(file, 'parquet'));
    process.stdout.write(
      `${formatNumber(ROWS)} rows, ${checks.length} rules, Parquet ${formatBytes(fs.statSync(file).size)} (generated in ${(generateMs / 1000).toFixed(1)} s); ${os.cpus().length} cores, median of ${REPEAT} runs\n\n`,
    );

    const perRule: string[][] = [];
    const rows = await withDuckDb(async (connection) => {
      const bytes = await columnBytes(connection, file);
      await firstRow(connection, `SELECT count(*) FROM ${relation}`); // warm the file cache
      const results: string[][] = [];
      for (const strategy of strategies(checks)) {
        const sqls = strategy.statements.map((s) => buildAggregateStatement(s, 'duckdb', { relation }).sql);
        const times: number[] = [];
        for (let run = 0; run < REPEAT; run++) {
          started = performance.now();
          for (const sql of sqls) await firstRow(connection, sql);
          times.push(performance.now() - started);
        }
        const scanned = strategy.statements.map((s) =>
          [...new Set(s.flatMap((c) => c.columns))].reduce((total, c) => total + (bytes.get(c) ?? 0), 0),
        );
        const billed = (share: number) =>
          scanned.reduce((total, b) => total + athenaBilledBytes(Math.ceil(b * share)), 0);
        const usd = scanned.reduce((total, b) => total + athenaCostUsd(b), 0);
        results.push([
          strategy.name,
          String(sqls.length),
          `${(median(times) / 1000).toFixed(2)} s`,
          formatBytes(scanned.reduce((a, b) => a + b, 0)),
          formatBytes(billed(1)),
          usd.toFixed(6),
          formatBytes(billed(1 / DAYS_OF_DATA)),
        ]);
      }
      // Where one scan's time goes: each rule alone.
      for (const check of checks) {
        const sql = buildAggregateStatement([check], 'duckdb', { relation }).sql;
        const times: number[] = [];
        for (let run = 0; run < REPEAT; run++) {
          started = performance.now();
          await firstRow(connection, sql);
          times.push(performance.now() - started);
        }
        perRule.push([check.id, `${(median(times) / 1000).toFixed(2)} s`]);
      }
      return results;
    });

    const headers = [
      'strategy',
      'Athena queries',
      'DuckDB time',
      'bytes read',
      'min. billed',
      'est. USD per run',
      `min. billed, 1/${DAYS_OF_DATA} of the rows`,
    ];
    process.stdout.write(`${table(headers, rows)}\n\n${table(['rule alone', 'DuckDB time'], perRule)}\n`);
    process.stdout.write(
      `\nbytes read: compressed column chunks each statement touches (Athena reads only those columns of Parquet).\nmin. billed: per query, bytes read rounded up to the MB, at least 10 MB; USD 5 per TB. The last column is a\nrun limited to one daily partition (--where) of a year of data.\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
