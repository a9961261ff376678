/**
 * Build SQL checked with DuckDB against the contracts: it binds over empty tables typed as its inputs, its
 * output has the product's columns, and the product's rules can run on it. Results are cached by content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BuildValidation, validateBuilds } from '../../lib/build/validate-builds';
import { blockedWithBuilds } from '../../lib/build/with-builds';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { makeTempProject, validDomain } from '../support/temp-project';
import { DAILY_REVENUE_SQL, dailyRevenue, ORDERS } from './support';

const SELECT = `CAST(o.ordered_at AS DATE) AS day,
  CAST(sum(o.net_amount) AS DECIMAL(14,2)) AS revenue,
  count(*) AS order_count`;
const FROM = 'FROM {input:sales/orders@2} AS o\nGROUP BY 1';

/** A product file written as TypeScript, its SQL a template literal (as teams write it). */
function tsProduct(name: string, sql: string): string {
  const { build, ...rest } = dailyRevenue({ name }) as { build: Record<string, unknown> };
  const json = JSON.stringify({ ...rest, build: { ...build, sql: '@SQL@' } }, null, 2);
  return `const sql = 1;\nexport default ${json.replace('"@SQL@"', `\`\n${sql}\n\``)};\n`;
}

function lineOf(root: string, file: string, text: string): { line: number; column: number } {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return { line: line + 1, column: lines[line].indexOf(text) + 1 };
}

describe('validateBuilds', () => {
  const root = makeTempProject({
    domains: {
      sales: {
        domain: validDomain('sales'),
        products: {
          orders: ORDERS,
          daily_revenue: dailyRevenue(),
          unknown_column: tsProduct(
            'unknown_column',
            `SELECT\n  ${SELECT.replace('o.net_amount', 'o.gross_amount')}\n${FROM}`,
          ),
          syntax_error: dailyRevenue(
            { name: 'syntax_error' },
            { sql: 'SELECT o.day FORM {input:sales/orders@2} AS o' },
          ),
          unknown_function: dailyRevenue(
            { name: 'unknown_function' },
            { sql: DAILY_REVENUE_SQL.replace('sum(', 'total(') },
          ),
          missing_column: dailyRevenue(
            { name: 'missing_column' },
            { sql: `SELECT CAST(o.ordered_at AS DATE) AS day, count(*) AS order_count ${FROM}` },
          ),
          extra_column: dailyRevenue(
            { name: 'extra_column' },
            { sql: `SELECT ${SELECT}, max(o.channel) AS channel ${FROM}` },
          ),
          wrong_order: dailyRevenue(
            { name: 'wrong_order' },
            {
              sql: `SELECT count(*) AS order_count, CAST(o.ordered_at AS DATE) AS day, CAST(sum(o.net_amount) AS DECIMAL(14,2)) AS revenue ${FROM.replace('GROUP BY 1', 'GROUP BY 2')}`,
            },
          ),
          wrong_type: dailyRevenue(
            { name: 'wrong_type' },
            { sql: `SELECT ${SELECT.replace('count(*)', 'CAST(count(*) AS VARCHAR)')} ${FROM}` },
          ),
          text_revenue: dailyRevenue(
            { name: 'text_revenue' },
            { sql: `SELECT ${SELECT.replace('CAST(sum(o.net_amount) AS DECIMAL(14,2))', 'max(o.channel)')} ${FROM}` },
          ),
          bad_rules: dailyRevenue({
            name: 'bad_rules',
            quality: [
              { rule: 'unique', column: 'day' },
              { rule: 'sql', name: 'no_refunds', query: 'SELECT count(*) FROM {table} WHERE net_amount < 0' },
              { rule: 'sql', name: 'bad_function', query: 'SELECT median_of(revenue) FROM {table}' },
            ],
          }),
        },
      },
      marketing: {
        domain: validDomain('marketing'),
        products: {
          campaign_revenue: dailyRevenue({ name: 'campaign_revenue' }),
        },
      },
    },
  });
  const loaded = tryLoadMesh({ root });
  let validation: BuildValidation;
  let lines: string[];
  beforeAll(async () => {
    validation = await validateBuilds(loaded.partial, { root, cacheDir: null });
    lines = validation.problems.map(formatProblem);
  });
  const of = (product: string) => lines.filter((l) => l.startsWith(`domains/sales/products/${product}.ts:`));

  test('the definitions load; every build is checked with DuckDB', () => {
    expect(loaded.problems).toEqual([]);
    expect([...validation.checked].sort()).toEqual([
      'marketing/campaign_revenue',
      'sales/bad_rules',
      'sales/daily_revenue',
      'sales/extra_column',
      'sales/missing_column',
      'sales/syntax_error',
      'sales/text_revenue',
      'sales/unknown_column',
      'sales/unknown_function',
      'sales/wrong_order',
      'sales/wrong_type',
    ]);
    expect(of('daily_revenue')).toEqual([]);
    expect(lines.filter((l) => l.includes('marketing'))).toEqual([]);
  });

  test("a column the input does not have: DuckDB's message, at its line and column in the file", () => {
    const at = lineOf(root, 'domains/sales/products/unknown_column.ts', 'o.gross_amount');
    expect(of('unknown_column')).toEqual([
      `domains/sales/products/unknown_column.ts:${at.line}:${at.column}: build.sql: DuckDB cannot run the build SQL over its inputs' schemas: Binder Error: Table "o" does not have a column named "gross_amount" (SQL line 3, column 12)`,
    ]);
  });

  test('an unknown function, placed inside the SQL even when it is a JSON string with escapes', () => {
    const [line] = of('unknown_function');
    expect(line).toContain(
      "build.sql: DuckDB cannot run the build SQL over its inputs' schemas: Catalog Error: Scalar Function with name total does not exist!",
    );
    expect(line).toContain('(SQL line 3, column 8)');
    const source = fs.readFileSync(path.join(root, 'domains/sales/products/unknown_function.ts'), 'utf8');
    const [, l, c] = /:(\d+):(\d+):/.exec(line) ?? [];
    expect(source.split('\n')[Number(l) - 1].slice(Number(c) - 1)).toMatch(/^total\(o\.net_amount/);
  });

  test('a syntax error names the input as the SQL writes it and as DuckDB read it', () => {
    expect(of('syntax_error')).toEqual([
      expect.stringMatching(
        /syntax_error\.ts:\d+:\d+: build\.sql: DuckDB cannot run the build SQL over its inputs' schemas: Parser Error: syntax error at or near ""acme_sales"" \(\{input:sales\/orders@2\} is read as "acme_sales"\."orders_v2"\) \(SQL line 1, column 19\)$/,
      ),
    ]);
  });

  test.each([
    ['missing_column', "the build's output does not match the product's schema: the output has no column revenue"],
    [
      'extra_column',
      "the build's output does not match the product's schema: the output has columns the schema does not: channel",
    ],
    [
      'wrong_order',
      "the build's output does not match the product's schema: the output columns are in another order than the schema's: got order_count, day, revenue, the schema has day, revenue, order_count",
    ],
    [
      'wrong_type',
      "the build's output does not match the product's schema: column order_count is VARCHAR (text), the schema says bigint (integer); CAST it in the SELECT",
    ],
  ])('%s: output columns that differ from the schema', (product, message) => {
    expect(of(product)).toContainEqual(
      expect.stringMatching(new RegExp(`:\\d+:\\d+: build\\.sql: ${escapeRegExp(message)}$`)),
    );
  });

  test('rules that cannot run on the output are errors of those rules', () => {
    expect(of('bad_rules')).toEqual([
      expect.stringMatching(
        /:\d+:\d+: quality\[1\]: this rule \(sql no_refunds\) cannot run on the build's output: Binder Error: Referenced column "net_amount" not found/,
      ),
      expect.stringMatching(
        /:\d+:\d+: quality\[2\]: this rule \(sql bad_function\) cannot run on the build's output: Catalog Error: Scalar Function with name median_of does not exist!/,
      ),
    ]);
  });

  test('a rule that cannot run on an output column of the wrong type is named, the others are not', () => {
    expect(of('text_revenue')).toEqual([
      expect.stringContaining(
        "build.sql: the build's output does not match the product's schema: column revenue is VARCHAR (text)",
      ),
      expect.stringMatching(
        /:\d+:\d+: quality\[1\]: this rule \(revenue >= 0\) cannot run on the build's output: Binder Error: Cannot compare values of type VARCHAR/,
      ),
    ]);
  });

  test('a failing build blocks its own domain only', () => {
    const blocked = blockedWithBuilds(loaded.blocked, validation.problems, 'domains');
    expect([...blocked.keys()]).toEqual(['sales']);
    expect(blocked.get('sales')).toHaveLength(validation.problems.length);
  });

  test('-c domain=x checks only the builds of x', async () => {
    const marketing = await validateBuilds(loaded.partial, { root, domains: ['marketing'], cacheDir: null });
    expect(marketing.checked).toEqual(['marketing/campaign_revenue']);
    expect(marketing.problems).toEqual([]);
  });
});

describe('the build validation cache', () => {
  const ordersFile = 'domains/sales/products/orders.ts';
  const revenueFile = 'domains/sales/products/daily_revenue.ts';

  test('a warm run skips DuckDB; a changed input schema or SQL is checked again; positions follow the file', async () => {
    const root = makeTempProject({
      domains: { sales: { domain: validDomain('sales'), products: { orders: ORDERS, daily_revenue: dailyRevenue() } } },
    });
    const cacheDir = path.join(root, 'cache');
    const run = async () => validateBuilds(tryLoadMesh({ root }).partial, { root, cacheDir });

    const cold = await run();
    expect([cold.checked, cold.cached, cold.problems]).toEqual([['sales/daily_revenue'], [], []]);
    const warm = await run();
    expect([warm.checked, warm.cached]).toEqual([[], ['sales/daily_revenue']]);

    // The input drops a column the build reads: the cached "no problem" must not be used.
    const edit = (file: string, change: (s: string) => string) => {
      const absolute = path.join(root, file);
      fs.writeFileSync(absolute, change(fs.readFileSync(absolute, 'utf8')));
    };
    edit(ordersFile, (s) => s.replace(/"net_amount"/g, '"gross_amount"'));
    const changedInput = await run();
    expect(changedInput.checked).toEqual(['sales/daily_revenue']);
    expect(changedInput.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('Binder Error: Table "o" does not have a column named "net_amount"'),
    ]);
    const problem = changedInput.problems[0];

    // Only the layout of the file changes: the result comes from the cache, placed where the SQL now is.
    edit(revenueFile, (s) => `// Daily revenue.\n\n${s}`);
    const moved = await run();
    expect(moved.cached).toEqual(['sales/daily_revenue']);
    expect(moved.problems[0]).toEqual({ ...problem, line: (problem.line ?? 0) + 2 });

    // The SQL is fixed: checked again, and clean.
    edit(revenueFile, (s) => s.replace(/o\.net_amount/g, 'o.gross_amount'));
    const fixed = await run();
    expect([fixed.checked, fixed.problems]).toEqual([['sales/daily_revenue'], []]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
