/**
 * The checks of a build that need no engine: they run on every load, in checkProduct (errors) and
 * buildWarnings (warnings), each naming the field to change.
 */
import { buildWarnings } from '../../lib/build/build-warnings';
import { type ProductDefinitionInput, ProductDefinitionSchema } from '../../lib/definition/schema';
import { checkProduct } from '../../lib/mesh/check-product';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { meshProductOf } from '../quality/product-fixture';
import { makeTempProject, validDomain } from '../support/temp-project';
import { DAILY_REVENUE_SQL, dailyRevenue, ORDERS } from './support';

type Overrides = Record<string, unknown>;

/** Problems of the daily_revenue product with these changes, as `path: message`. */
function problemsOf(overrides: Overrides = {}, build: Overrides = {}): string[] {
  const definition = ProductDefinitionSchema.parse(dailyRevenue(overrides, build));
  return checkProduct('daily_revenue.ts', definition, 'daily_revenue').map((p) => `${p.path}: ${p.message}`);
}

const ICEBERG_COLUMNS = (dailyRevenue().schema as { columns: Record<string, unknown>[] }).columns;

describe('a build checked with its definition', () => {
  test('the reference build has no problem and no warning', () => {
    expect(problemsOf()).toEqual([]);
    expect(buildWarnings(meshProductOf(dailyRevenue() as ProductDefinitionInput))).toEqual([]);
  });

  test.each<[string, Overrides, Overrides, string]>([
    [
      'a build on a parquet product',
      { schema: { format: 'parquet', columns: ICEBERG_COLUMNS } },
      {},
      "schema.format: a product with a build must have format: 'iceberg', got 'parquet' (a run publishes its checked rows with one MERGE, which only an Iceberg table supports)",
    ],
    [
      'a build without a primary key',
      { schema: { format: 'iceberg', columns: ICEBERG_COLUMNS.map((c) => ({ ...c, primaryKey: false })) } },
      {},
      'schema.columns: a product with a build needs at least one column with primaryKey: true (publishing merges on the primary key, so re-running a period replaces its rows instead of duplicating them)',
    ],
    [
      'SQL reading an undeclared input',
      {},
      { sql: `${DAILY_REVENUE_SQL} UNION ALL SELECT * FROM {input:sales/refunds@1}` },
      `build.sql: {input:sales/refunds@1} is not one of the product's inputs (inputs: sales/orders@2); add "sales/refunds@1" to inputs, which grants the build read access (SQL line 6, column 61)`,
    ],
    [
      'SQL reading another major of a declared input',
      {},
      { sql: DAILY_REVENUE_SQL.replace('orders@2', 'orders@1') },
      "build.sql: {input:sales/orders@1} is not one of the product's inputs (inputs: sales/orders@2)",
    ],
    [
      'an unknown placeholder',
      {},
      { sql: `${DAILY_REVENUE_SQL} HAVING max(o.ordered_at) < {today}` },
      "build.sql: unknown placeholder {today} (allowed: {input:<domain>/<product>@<major>} (one of the product's inputs), {run_date})",
    ],
    [
      'SQL that reads no input',
      {},
      { sql: "SELECT DATE '2026-01-01' AS day, 0 AS revenue, 0 AS order_count" },
      'build.sql: the build reads no input: write {input:<domain>/<product>@<major>} for each table it reads (inputs: sales/orders@2)',
    ],
    [
      'SQL that writes',
      {},
      { sql: 'DELETE FROM {input:sales/orders@2}' },
      "build.sql: must be a read-only SELECT (or WITH ... SELECT) returning the product's columns",
    ],
    [
      'SQL that would write outside the product (UNLOAD to another location)',
      {},
      { sql: `UNLOAD (${DAILY_REVENUE_SQL}) TO 's3://elsewhere/' WITH (format = 'PARQUET')` },
      "build.sql: must be a read-only SELECT (or WITH ... SELECT) returning the product's columns",
    ],
    [
      'a SELECT that hides a write',
      {},
      { sql: `WITH x AS (SELECT 1) INSERT INTO t ${DAILY_REVENUE_SQL}` },
      'build.sql: must be read-only; found "INSERT"',
    ],
    [
      'two statements',
      {},
      { sql: `${DAILY_REVENUE_SQL}; SELECT 1` },
      'build.sql: must be a single statement (found ";" inside)',
    ],
    [
      'a schedule Scheduler refuses',
      {},
      { schedule: 'cron(0 5 * * * *)' },
      'build.schedule: cron(0 5 * * * *): exactly one of day-of-month ("*") and day-of-week ("*") must be "?"',
    ],
    [
      'a one-off schedule',
      {},
      { schedule: 'at(2027-01-01T05:00:00)' },
      'build.schedule: at(2027-01-01T05:00:00) runs once; a build needs a recurring schedule: rate(...) or cron(...)',
    ],
    [
      'a rate in the wrong number',
      {},
      { schedule: 'rate(1 days)' },
      'build.schedule: write rate(1 day): a value of 1 takes the singular unit',
    ],
    [
      'an unknown time zone',
      {},
      { timezone: 'Europe/Berln' },
      'build.timezone: unknown time zone "Europe/Berln", did you mean "Europe/Berlin"?',
    ],
    [
      'partition-overwrite on an unpartitioned table',
      {},
      { mode: 'partition-overwrite' },
      'build.mode: mode "partition-overwrite" replaces the partitions a run produced, but no column has partition: true',
    ],
    [
      'a monitor beside a build',
      { monitor: { schedule: 'rate(1 day)' } },
      {},
      'monitor: a product with a build is checked by every run of its build; remove monitor',
    ],
  ])('%s', (_, overrides, build, message) => {
    const problems = problemsOf(overrides, build);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test.each([
    ['cron(0 6 * * *)', 'monitor.schedule: cron(0 6 * * *): a cron expression has 6 fields'],
    [
      'at(2027-01-01T06:00:00)',
      'monitor.schedule: at(2027-01-01T06:00:00) runs once; a monitor needs a recurring schedule',
    ],
  ])('a monitor scheduled %s is refused too', (schedule, message) => {
    const definition = ProductDefinitionSchema.parse({ ...ORDERS, monitor: { schedule } });
    const problems = checkProduct('orders.ts', definition, 'orders').map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  test.each([
    [
      'o.ordered_at::date',
      'the :: cast runs in DuckDB but not on Athena (Trino), where the build is deployed; write CAST(x AS type)',
    ],
    ["o.channel ILIKE 'w%'", 'ILIKE runs in DuckDB but not on Athena (Trino)'],
    ['1 QUALIFY row_number() OVER (ORDER BY o.order_id) = 1', 'QUALIFY runs in DuckDB but not on Athena (Trino)'],
  ])('DuckDB-only syntax is refused: %s', (expression, message) => {
    const sql = DAILY_REVENUE_SQL.replace('FROM', `, ${expression} AS x\nFROM`);
    expect(problemsOf({}, { sql })).toEqual([expect.stringContaining(`build.sql: ${message}`)]);
  });

  test.each([
    ['GROUP BY ALL', 'GROUP BY ALL / ORDER BY ALL runs in DuckDB but not on Athena'],
    ['GROUP BY ALL o.channel', undefined],
  ])('%s', (groupBy, message) => {
    const sql = DAILY_REVENUE_SQL.replace('GROUP BY CAST(o.ordered_at AS DATE)', groupBy);
    expect(problemsOf({}, { sql })).toEqual(message ? [expect.stringContaining(message)] : []);
  });

  test('the same text in a string literal or a comment is not read as syntax', () => {
    const sql = `${DAILY_REVENUE_SQL} HAVING max(o.channel) <> 'a::b ILIKE' -- QUALIFY`;
    expect(problemsOf({}, { sql })).toEqual([]);
  });

  test('comments are allowed in build SQL; a placeholder in one is not read', () => {
    const sql = `-- revenue per day {not a placeholder}\n${DAILY_REVENUE_SQL} /* UTC days */`;
    expect(problemsOf({}, { sql })).toEqual([]);
  });

  test('partition-overwrite on an identity-partitioned table is fine', () => {
    const columns = ICEBERG_COLUMNS.map((c) => (c.name === 'day' ? { ...c, partition: true } : c));
    expect(problemsOf({ schema: { format: 'iceberg', columns } }, { mode: 'partition-overwrite' })).toEqual([]);
  });
});

describe('build warnings', () => {
  const warningsOf = (overrides: Overrides = {}, build: Overrides = {}) =>
    buildWarnings(meshProductOf(dailyRevenue(overrides, build) as ProductDefinitionInput)).map(
      (w) => `${w.path}: ${w.message}`,
    );

  test.each<[string, Overrides, Overrides, string]>([
    [
      'a declared input the SQL never reads',
      { inputs: ['sales/orders@2', 'sales/refunds@1'] },
      {},
      'inputs[1]: input "sales/refunds@1" is declared but the build SQL never reads it; use {input:sales/refunds@1} or remove it (the build\'s role is granted read access to every input)',
    ],
    [
      'an hourly schedule for a daily product',
      {},
      { schedule: 'rate(1 hour)' },
      'build.schedule: rate(1 hour) runs every 1 hour, more often than sla.updateFrequency "daily" needs (every 1 day); each run is billed for the Athena bytes it scans',
    ],
    [
      'a cron every 15 minutes for a daily product',
      {},
      { schedule: 'cron(0/15 * * * ? *)' },
      'build.schedule: cron(0/15 * * * ? *) runs every 15 minutes, more often than sla.updateFrequency "daily" needs',
    ],
    [
      'a weekly schedule for a daily product',
      {},
      { schedule: 'cron(0 5 ? * MON *)' },
      'build.schedule: cron(0 5 ? * MON *) leaves up to 7 days between runs, but sla.updateFrequency "daily" promises an update every 1 day',
    ],
    [
      'a daily schedule for a monthly product',
      { sla: { updateFrequency: 'monthly', retention: '1 year' } },
      {},
      'build.schedule: cron(0 5 * * ? *) runs every 1 day, more often than sla.updateFrequency "monthly" needs (every 28 days)',
    ],
  ])('%s', (_, overrides, build, message) => {
    const warnings = warningsOf(overrides, build);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(message);
  });

  test.each([
    ['monthly', 'cron(0 3 1 * ? *)'],
    ['weekly', 'cron(0 3 ? * MON *)'],
    ['hourly', 'rate(1 hour)'],
    ['realtime', 'rate(5 minutes)'],
    ['on-demand', 'rate(1 day)'],
  ])('a %s product on %s is not warned about', (updateFrequency, schedule) => {
    expect(warningsOf({ sla: { updateFrequency, retention: '1 year' } }, { schedule })).toEqual([]);
  });
});

describe('build problems in a loaded mesh', () => {
  // One project for every case, loaded once (definitions are evaluated in a sandbox).
  const root = makeTempProject({
    domains: {
      sales: {
        domain: validDomain('sales'),
        products: {
          orders: ORDERS,
          retired_read: dailyRevenue(
            { name: 'retired_read', inputs: ['sales/orders@1'] },
            { sql: DAILY_REVENUE_SQL.replace('orders@2', 'orders@1') },
          ),
          legacy_orders: { ...ORDERS, name: 'legacy_orders', status: 'retired', sunset: '2026-01-31' },
          reads_retired: dailyRevenue(
            { name: 'reads_retired', inputs: ['sales/legacy_orders@2'] },
            { sql: DAILY_REVENUE_SQL.replace('orders@2', 'legacy_orders@2') },
          ),
          no_key: dailyRevenue({
            name: 'no_key',
            schema: { format: 'iceberg', columns: ICEBERG_COLUMNS.map((c) => ({ ...c, primaryKey: false })) },
          }),
        },
      },
    },
  });
  const result = tryLoadMesh({ root });
  const lines = result.problems.map(formatProblem);

  test('a major that is no longer served is refused where the input is declared', () => {
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^domains\/sales\/products\/retired_read\.ts:\d+:\d+: inputs\[0\]: "sales\/orders@1": sales\/orders has no live major 1 \(live: @2;/,
      ),
    );
  });

  test('a retired product is refused as an input', () => {
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^domains\/sales\/products\/reads_retired\.ts:\d+:\d+: inputs\[0\]: "sales\/legacy_orders@2" is retired \(domains\/sales\/products\/legacy_orders\.ts: status "retired"\); it accepts no consumers$/,
      ),
    );
  });

  test('problems point at the line and column of the field', () => {
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^domains\/sales\/products\/no_key\.ts:\d+:\d+: schema\.columns: a product with a build needs/,
      ),
    );
    expect(result.blocked.get('sales')).toHaveLength(3);
  });
});
