/** `mesh build <domain>/<product> --local`: the build SQL in DuckDB over samples or given files, checked. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerBuildCommand } from '../../bin/commands/build';
import { runLocalBuild } from '../../lib/build/local-build';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts, findProduct, type Mesh } from '../../lib/mesh/model';
import { firstRow, withDuckDb } from '../../lib/quality/local-runner';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { runCommand } from '../cli/support/run-command';
import { PROJECT_ROOT } from '../support/temp-project';
import { buildProject, DAILY_REVENUE_SQL, dailyRevenue } from './support';

const root = buildProject({
  too_many_days: dailyRevenue({ name: 'too_many_days', quality: [{ rule: 'rowCount', mustBeLessThan: 2 }] }),
  no_count: dailyRevenue({ name: 'no_count' }, { sql: DAILY_REVENUE_SQL.replace(',\n  count(*) AS order_count', '') }),
  bad_cast: dailyRevenue(
    { name: 'bad_cast' },
    { sql: DAILY_REVENUE_SQL.replace('count(*) AS order_count', 'CAST(max(o.channel) AS BIGINT) AS order_count') },
  ),
  up_to_run_date: dailyRevenue(
    { name: 'up_to_run_date' },
    { sql: DAILY_REVENUE_SQL.replace('GROUP BY', 'WHERE CAST(o.ordered_at AS DATE) <= {run_date}\nGROUP BY') },
  ),
});
const build = (...args: string[]) => runCommand([registerBuildCommand], ['-C', root, 'build', ...args]);
let loaded: Mesh | undefined;
const mesh = () => {
  loaded ??= loadMesh({ root });
  return loaded;
};
const product = (name: string) => findProduct(mesh(), 'sales', name)!;

describe('mesh build --local', () => {
  test('builds over a sample of each input, matches the schema, passes every rule: exit 0', async () => {
    const { stdout, stderr, exitCode } = await build('sales/daily_revenue', '--local', '--date', '2026-12-03');
    expect(stderr).toBe('');
    expect(exitCode ?? 0).toBe(0);
    expect(stdout).toMatch(
      /^sales\/daily_revenue v1 \(1\.0\.0\) built in DuckDB for run date 2026-12-03: \d+ rows written/,
    );
    expect(stdout).toMatch(/sales\/orders@2\s+"acme_sales"\."orders_v2"\s+sample \(seed 1\)\s+1,000/);
    expect(stdout).toContain('schema: the output matches the contract (3 columns)');
    expect(stdout).toMatch(/quality\[0\]\s+day unique\s+0 rows\s+= 0 rows\s+PASS/);
    expect(stdout).toContain('quality score 100% (2 of 2 pass)');
  });

  test('a rule that fails on the output: FAIL and exit 1', async () => {
    const { stdout, exitCode } = await build('sales/too_many_days', '--local', '--rows', '200');
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/quality\[0\]\s+row count\s+\S+ rows\s+< 2 rows\s+FAIL/);
    expect(stdout).toContain('quality score 0% (0 of 1 pass, 1 fail)');
  });

  test('an output that is not the schema: the differences, and the rules that cannot run', async () => {
    const run = await runLocalBuild(mesh(), product('no_count'), { runDate: '2026-12-03', rows: 20 });
    expect(run.passed).toBe(false);
    expect(run.schemaDifferences).toEqual(['the output has no column order_count']);
  });

  test('SQL that fails on data (it binds, a value does not cast): the reason and where, exit 1', async () => {
    const { stderr, exitCode } = await build('sales/bad_cast', '--local', '--rows', '20');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /^mesh build: DuckDB cannot run the build SQL of sales\/bad_cast: Conversion Error: Could not convert string '\w+' to INT64/,
    );
    expect(stderr).toContain('next: fix build.sql');
  });

  test('the run date is what the SQL reads as {run_date}', async () => {
    const before = await runLocalBuild(mesh(), product('up_to_run_date'), { runDate: '2000-01-01', rows: 20 });
    expect(before.rowsWritten).toBe(0);
    // A range rule measures nothing on no rows, and says so.
    expect(before.report.results[1]).toMatchObject({ measuredText: 'no rows', status: 'fail' });
    const today = await runLocalBuild(mesh(), product('up_to_run_date'), { runDate: '2999-01-01', rows: 20 });
    expect(today.rowsWritten).toBeGreaterThan(0);
  });

  test('--input reads an input from a file; --out writes the output as Parquet; --json prints the run', async () => {
    const file = path.join(root, 'orders.parquet');
    const orders = product('orders');
    await writeQualitySample(orders, orders.versions[0], file, { rows: 40, seed: 7 });
    const out = path.join(root, 'out', 'daily.parquet');
    const { stdout, exitCode } = await build(
      'sales/daily_revenue',
      '--local',
      '--input',
      `sales/orders@2=${file}`,
      '--out',
      out,
      '--json',
    );
    expect(exitCode ?? 0).toBe(0);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({
      product: 'sales/daily_revenue',
      major: 1,
      inputs: [{ reference: 'sales/orders@2', rows: 40, from: { kind: 'files', source: { format: 'parquet' } } }],
      schemaDifferences: [],
      passed: true,
      out,
    });
    const written = await withDuckDb((c) => firstRow(c, `SELECT count(*) AS n FROM read_parquet('${out}')`));
    expect(Number(written?.n)).toBe(run.rowsWritten);
  });

  test.each([
    [['sales/daily_revenue'], 'mesh build runs a build on this machine only: add --local'],
    [
      ['sales/orders', '--local'],
      'sales/orders has no build; add build: { sql, schedule, mode } to domains/sales/products/orders.ts',
    ],
    [
      ['sales/daily_revenue', '--local', '--input', 'sales/orders@2'],
      '--input takes <domain>/<product>@<major>=<file or folder>',
    ],
    [
      ['sales/daily_revenue', '--local', '--date', '2026-02-30'],
      '--date takes a day written YYYY-MM-DD, got "2026-02-30"',
    ],
  ])('%j could not run: one line, exit 2', async (args, message) => {
    const { stderr, exitCode } = await build(...args);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`mesh build: ${message}`);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test.each([
    [
      'sales/refunds@1',
      'x.parquet',
      '--input sales/refunds@1: the build of sales/daily_revenue does not read it (it reads sales/orders@2)',
    ],
    ['sales/orders@2', 'nowhere.parquet', 'no such file or folder: nowhere.parquet'],
    [
      'sales/orders@2',
      'wrong.csv',
      'wrong.csv does not have the columns of sales/orders@2: missing channel, net_amount, ordered_at; not in its schema: amount',
    ],
  ])('input %s from %s is refused', async (reference, file, message) => {
    fs.writeFileSync(path.join(root, 'wrong.csv'), 'order_id,amount\nA,1\n');
    const inputs = new Map([[reference, path.join(root, file)]]);
    await expect(runLocalBuild(mesh(), product('daily_revenue'), { runDate: '2026-12-03', inputs })).rejects.toThrow(
      message.replace(file, path.join(root, file)),
    );
  });
});

describe('the example mesh', () => {
  const mesh = loadMesh({ root: PROJECT_ROOT });
  const built = allProducts(mesh).filter((p) => p.definition.build);

  test('has derived products with builds', () => {
    expect(built.length).toBeGreaterThanOrEqual(5);
  });

  test.each(built.map((p) => [p.id, p] as const))(
    '%s builds locally on samples of its inputs and passes',
    async (_, product) => {
      const run = await runLocalBuild(mesh, product, { runDate: new Date().toISOString().slice(0, 10) });
      expect(run.schemaDifferences).toEqual([]);
      expect(run.report.results.filter((r) => !r.passed)).toEqual([]);
      expect(run.rowsWritten).toBeGreaterThan(0);
      expect(run.passed).toBe(true);
    },
  );

  test('npx mesh build --local runs one of them end to end', async () => {
    const { stdout, exitCode } = await runCommand(
      [registerBuildCommand],
      ['-C', PROJECT_ROOT, 'build', built[0].id, '--local'],
    );
    expect(exitCode ?? 0).toBe(0);
    expect(stdout).toContain('schema: the output matches the contract');
  });
});
