import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProductDefinitionInput } from '../../lib/definition/schema';
import type { MeshProduct } from '../../lib/mesh/model';
import { compileQualityChecks } from '../../lib/quality/compile';
import { evaluateQualityChecks, type QualityReport } from '../../lib/quality/evaluate';
import { measureWithDuckDb, runLocalQualityCheck, withDuckDb } from '../../lib/quality/local-runner';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { allRulesProduct, meshProductOf, productInput } from './product-fixture';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-rules-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('every rule kind on generated data', () => {
  const product = allRulesProduct();
  const version = product.versions[0];

  test('a sample that follows the rules passes every check', async () => {
    const file = path.join(dir, 'good.parquet');
    const sample = await writeQualitySample(product, version, file, { rows: 2_000 });
    expect(sample.notes).toEqual([
      'quality[12] (sql paid_without_amount) is custom SQL; the sample may or may not satisfy it',
    ]);
    const { report } = await runLocalQualityCheck(product, version, { path: file });
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.totalRows).toBe(2_000);
    expect(report.score).toBe(1);
    expect(report.passed).toBe(true);
  });

  test('a sample with violations fails each breakable check by exactly the rows broken', async () => {
    const file = path.join(dir, 'bad.parquet');
    const sample = await writeQualitySample(product, version, file, { rows: 2_000, violations: true });
    const { report } = await runLocalQualityCheck(product, version, { path: file });
    const byId = new Map(report.results.map((r) => [r.id, r]));

    const injected = new Map(sample.violations.map((v) => [v.check, v.rows]));
    expect([...injected.keys()]).toEqual([
      'r02_not_null_reference',
      'r03_null_values_email',
      'r04_unique_payment_id',
      'r05_unique_region_day',
      'r06_accepted_values_status',
      'r07_accepted_values_priority',
      'r08_range_amount',
      'r09_range_fee_ratio',
      'r10_pattern_reference',
      'r11_length_country',
      'r12_freshness_updated_at',
      'sla_freshness_day',
    ]);
    for (const [id, rows] of injected) {
      const result = byId.get(id)!;
      expect([id, result.status]).toEqual([id, 'fail']);
      if (result.unit === 'rows') expect([id, result.measured]).toEqual([id, rows]);
    }
    // The percent rule allows up to 10 %, so enough rows lose their email to pass that share.
    expect(injected.get('r03_null_values_email')).toBe(210);
    expect(byId.get('r03_null_values_email')!.measured).toBeCloseTo(10.5, 6);
    // Freshness is broken by ageing every row beyond twice the allowed age.
    expect(byId.get('r12_freshness_updated_at')!.measured).toBeGreaterThanOrEqual(7_200);
    expect(byId.get('sla_freshness_day')!.measured).toBeGreaterThan(172_800);
    expect(byId.get('r01_row_count')!.status).toBe('pass');
    expect(sample.notes).toContain(
      'quality[0] (row count) is not broken in the sample: row counts are set with --rows',
    );
  });
});

/** Runs the DuckDB statements of `rules` on a table built by `rowsSql`, whose columns the product declares. */
async function checkTable(
  columns: { name: string; type: string }[],
  rules: NonNullable<ProductDefinitionInput['quality']>,
  rowsSql: string,
  where?: string,
): Promise<QualityReport> {
  const product: MeshProduct = meshProductOf(productInput({ schema: { format: 'parquet', columns }, quality: rules }));
  const version = product.versions[0];
  return withDuckDb(async (connection) => {
    await connection.run(`CREATE TABLE t AS ${rowsSql}`);
    const compiled = compileQualityChecks(product, version, 'duckdb', {
      relation: '"t"',
      ...(where !== undefined ? { where } : {}),
    });
    return evaluateQualityChecks(
      product.id,
      version.major,
      compiled.checks,
      await measureWithDuckDb(connection, compiled),
    );
  });
}

const measured = (report: QualityReport) => report.results.map((r) => r.measured);
const statuses = (report: QualityReport) => report.results.map((r) => r.status);

describe('rule semantics in DuckDB', () => {
  const text = [{ name: 'v', type: 'string' }];
  const values = (...items: (string | null)[]) =>
    `SELECT * FROM (VALUES ${items.map((v) => `(${v === null ? 'NULL' : `'${v}'`})`).join(', ')}) AS x(v)`;

  test('NULLs count only for the null rules', async () => {
    const report = await checkTable(
      text,
      [
        { rule: 'notNull', column: 'v' },
        { rule: 'nullValues', column: 'v', unit: 'percent', mustBeLessThan: 30 },
        { rule: 'acceptedValues', column: 'v', values: ['a', 'b'] },
        { rule: 'pattern', column: 'v', pattern: '^[ab]$' },
        { rule: 'length', column: 'v', min: 1, max: 1 },
        { rule: 'unique', column: 'v' },
      ],
      values('a', 'b', null, null),
    );
    expect(measured(report)).toEqual([2, 50, 0, 0, 0, 0]);
    expect(statuses(report)).toEqual(['fail', 'fail', 'pass', 'pass', 'pass', 'pass']);
  });

  test('unique counts the rows that repeat a value seen before', async () => {
    const report = await checkTable(text, [{ rule: 'unique', column: 'v' }], values('a', 'a', 'a', 'b', 'c', 'c'));
    expect(measured(report)).toEqual([3]);
  });

  test('composite unique counts repeated complete keys; a key with a NULL part repeats nothing', async () => {
    const report = await checkTable(
      [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int' },
      ],
      [{ rule: 'unique', columns: ['a', 'b'] }],
      `SELECT * FROM (VALUES ('x', 1), ('x', 1), ('x', 2), ('y', 1), ('x', NULL), ('x', NULL), (NULL, NULL)) AS k(a, b)`,
    );
    expect(measured(report)).toEqual([1]);
  });

  test('range bounds are inclusive unless exclusive, and min or max may stand alone', async () => {
    const numbers = [{ name: 'n', type: 'decimal(6,2)' }];
    const rows = 'SELECT * FROM (VALUES (0.00), (0.01), (9.99), (10.00), (NULL), (-0.01), (10.01)) AS x(n)';
    const report = await checkTable(
      numbers,
      [
        { rule: 'range', column: 'n', min: 0, max: 10 },
        { rule: 'range', column: 'n', min: 0, max: 10, exclusive: true },
        { rule: 'range', column: 'n', min: 0 },
        { rule: 'range', column: 'n', max: 10, mustBeLessThan: 2 },
      ],
      rows,
    );
    expect(measured(report)).toEqual([2, 4, 1, 1]);
    expect(statuses(report)).toEqual(['fail', 'fail', 'fail', 'pass']);
  });

  test('accepted numeric values, patterns and lengths count what falls outside', async () => {
    const report = await checkTable(
      [
        { name: 'n', type: 'int' },
        { name: 's', type: 'string' },
      ],
      [
        { rule: 'acceptedValues', column: 'n', values: [1, 2] },
        { rule: 'pattern', column: 's', pattern: '^ORD-[0-9]{3}$' },
        { rule: 'length', column: 's', min: 7 },
        { rule: 'length', column: 's', max: 6 },
      ],
      `SELECT * FROM (VALUES (1, 'ORD-001'), (2, 'ORD-1'), (3, 'xORD-001'), (NULL, 'ORD-0012')) AS x(n, s)`,
    );
    expect(measured(report)).toEqual([1, 3, 1, 3]);
  });

  test('thresholds: mustBe, mustBeLessThan, mustBeGreaterThan and inclusive mustBeBetween on counts and percents', async () => {
    const report = await checkTable(
      text,
      [
        { rule: 'rowCount', mustBe: 4 },
        { rule: 'rowCount', mustBeBetween: [4, 4] },
        { rule: 'rowCount', mustBeGreaterThan: 4 },
        { rule: 'notNull', column: 'v', mustBeLessThan: 1 },
        { rule: 'nullValues', column: 'v', unit: 'percent', mustBeBetween: [0, 25] },
        { rule: 'nullValues', column: 'v', unit: 'percent', mustBeGreaterThan: 25 },
      ],
      values('a', 'b', 'c', null),
    );
    expect(measured(report)).toEqual([4, 4, 4, 1, 25, 25]);
    expect(statuses(report)).toEqual(['pass', 'pass', 'fail', 'fail', 'pass', 'fail']);
    expect(report.results.map((r) => r.threshold)).toEqual([
      '= 4 rows',
      'between 4 and 4 rows',
      '> 4 rows',
      '< 1 rows',
      'between 0 and 25 %',
      '> 25 %',
    ]);
    expect(report.score).toBeCloseTo(3 / 6);
  });

  test('freshness measures the age of the newest timestamp or date in seconds, in UTC', async () => {
    const report = await checkTable(
      [
        { name: 'ts', type: 'timestamp' },
        { name: 'd', type: 'date' },
      ],
      [
        { rule: 'freshness', column: 'ts', within: '3 hours' },
        { rule: 'freshness', column: 'ts', within: '1 hours' },
        { rule: 'freshness', column: 'd', within: '3 days' },
      ],
      `SELECT CAST(timezone('UTC', now()) AS TIMESTAMP) - INTERVAL 2 HOUR AS ts,
              CAST(timezone('UTC', now()) AS DATE) - 2 AS d
       UNION ALL SELECT TIMESTAMP '2001-01-01 00:00:00', DATE '2001-01-01'`,
    );
    const [threeHours, oneHour, threeDays] = report.results;
    expect(threeHours.measured).toBeGreaterThanOrEqual(7_200);
    expect(threeHours.measured).toBeLessThan(7_260);
    expect([threeHours.status, oneHour.status, threeDays.status]).toEqual(['pass', 'fail', 'pass']);
    expect(threeHours.threshold).toBe('at most 3 hours');
    expect(threeHours.measuredText).toMatch(/^2\.0 hours$/);
    expect(threeDays.measured).toBeGreaterThanOrEqual(2 * 86_400);
    expect(threeDays.measured).toBeLessThan(3 * 86_400);
  });

  test('an empty table fails rowCount and freshness ("no rows") and passes the bad-row counts', async () => {
    const report = await checkTable(
      [{ name: 'ts', type: 'timestamp' }],
      [
        { rule: 'rowCount' },
        { rule: 'freshness', column: 'ts', within: '1 days' },
        { rule: 'notNull', column: 'ts', unit: 'percent' },
      ],
      'SELECT CAST(NULL AS TIMESTAMP) AS ts WHERE false',
    );
    expect(report.totalRows).toBe(0);
    expect(report.results.map((r) => [r.status, r.measuredText])).toEqual([
      ['fail', '0 rows'],
      ['fail', 'no rows'],
      ['pass', '0 %'],
    ]);
  });

  test('custom sql rules run on their own; one the engine refuses is an error, not a crash', async () => {
    const report = await checkTable(
      text,
      [
        { rule: 'sql', name: 'b_rows', query: "SELECT count(*) FROM {table} WHERE v = 'b'", mustBe: 1 },
        { rule: 'sql', name: 'broken', query: 'SELECT count(missing_column) FROM {table}' },
      ],
      values('a', 'b'),
    );
    expect(report.results[0]).toMatchObject({ status: 'pass', measured: 1, threshold: '= 1' });
    expect(report.results[1].status).toBe('error');
    expect(report.results[1].message).toMatch(
      /^Binder Error: Referenced column "missing_column" not found in FROM clause!/,
    );
    expect(report.passed).toBe(false);
    expect(report.score).toBe(0.5);
  });

  test('a row filter limits every check to the matching rows', async () => {
    const report = await checkTable(
      text,
      [
        { rule: 'rowCount', mustBe: 2 },
        { rule: 'sql', name: 'rows', query: 'SELECT count(*) FROM {table}', mustBe: 2 },
      ],
      values('a', 'b', 'c'),
      "v IN ('a', 'b')",
    );
    expect(measured(report)).toEqual([2, 2]);
  });
});
