/**
 * The quality_results queries, run for real in DuckDB on a table with the columns Athena's has: the SQL text
 * is exactly what Athena gets, and the rows go through the same parsers as Athena's text rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withDuckDb } from '../../lib/quality/local-runner';
import {
  daysProblem,
  parseDashboard,
  parseRuleFailures,
  parseRunHistory,
  qualityDashboardSql,
  ruleFailuresSql,
  runHistorySql,
  type TextRow,
  windowStart,
} from '../../lib/runtime/quality-history';
import { createQualityResults, insertRuns, literal, type RuleResult, textResult } from './quality-results-fixture';

const location = { database: 'acme_sales', table: 'quality_results' };
const window = { days: 30, today: '2026-12-03' };

type Result = RuleResult;
const ORDERS_RULES = (r02: boolean, sla: boolean): Result[] => [
  ['r01_not_null_order_id', 'quality[0]', true, true],
  ['r02_not_null_customer_id', 'quality[1]', r02, true],
  ['r03_unique_order_id', 'quality[2]', true, true],
  ['sla_freshness_ordered_at', 'sla.freshness', sla, false],
];

/** Rows as the state machine writes them: one per rule per run. */
const RUNS: { product: string; runId: string; at: string; results: Result[] }[] = [
  { product: 'sales/orders', runId: 'run-a', at: '2026-12-01 06:00:00', results: ORDERS_RULES(true, true) },
  { product: 'sales/orders', runId: 'run-b', at: '2026-12-02 06:00:00', results: ORDERS_RULES(false, false) },
  { product: 'sales/orders', runId: 'run-c', at: '2026-12-02 18:00:00', results: ORDERS_RULES(true, false) },
  // Before the 30 days that end on 2026-12-03 (they start on 2026-11-04).
  { product: 'sales/orders', runId: 'run-old', at: '2026-11-03 23:59:59', results: ORDERS_RULES(false, false) },
  {
    product: 'sales/revenue_metrics',
    runId: 'run-r',
    at: '2026-12-02 05:00:00',
    results: [
      ['r01_row_count', 'quality[0]', true, true],
      ['r02_range_revenue', 'quality[1]', false, true],
    ],
  },
];

async function createTable(connection: DuckDBConnection): Promise<void> {
  await createQualityResults(connection);
}

async function insert(
  connection: DuckDBConnection,
  checkedAt: (at: string) => string = (at) => `TIMESTAMP ${literal(at)}`,
): Promise<void> {
  await insertRuns(
    connection,
    RUNS.map((run) => ({ ...run, at: checkedAt(run.at) })),
  );
}

/** DuckDB's rows as Athena returns them: every value as text, NULL as null. */
async function textRows(connection: DuckDBConnection, sql: string): Promise<TextRow[]> {
  return (await textResult(connection, sql)).rows;
}

describe('quality history in DuckDB', () => {
  test('one row per run in the window, newest first, with its score and blocking failures', async () => {
    const runs = await withDuckDb(async (c) => {
      await createTable(c);
      await insert(c);
      return parseRunHistory(await textRows(c, runHistorySql(location, 'sales/orders', window)));
    });
    expect(runs).toEqual([
      {
        runId: 'run-c',
        runKind: 'build',
        version: '1.0.0',
        checkedAt: '2026-12-02T18:00:00.000Z',
        passedRules: 3,
        rules: 4,
        blockingFailures: 0,
        qualityScore: 75,
      },
      {
        runId: 'run-b',
        runKind: 'build',
        version: '1.0.0',
        checkedAt: '2026-12-02T06:00:00.000Z',
        passedRules: 2,
        rules: 4,
        blockingFailures: 1,
        qualityScore: 50,
      },
      {
        runId: 'run-a',
        runKind: 'build',
        version: '1.0.0',
        checkedAt: '2026-12-01T06:00:00.000Z',
        passedRules: 4,
        rules: 4,
        blockingFailures: 0,
        qualityScore: 100,
      },
    ]);
  });

  test('the rules that failed, most failures first; rules that always passed are left out', async () => {
    const rules = await withDuckDb(async (c) => {
      await createTable(c);
      await insert(c);
      return parseRuleFailures(await textRows(c, ruleFailuresSql(location, 'sales/orders', window)));
    });
    expect(rules).toEqual([
      {
        rule: 'sla_freshness_ordered_at',
        ruleSource: 'sla.freshness',
        runs: 3,
        failures: 2,
        lastFailedAt: '2026-12-02T18:00:00.000Z',
      },
      {
        rule: 'r02_not_null_customer_id',
        ruleSource: 'quality[1]',
        runs: 3,
        failures: 1,
        lastFailedAt: '2026-12-02T06:00:00.000Z',
      },
    ]);
  });

  test('a shorter window starts later: 2 days ending 2026-12-03 start on 2026-12-02', async () => {
    expect(windowStart({ days: 2, today: '2026-12-03' })).toBe("TIMESTAMP '2026-12-02 00:00:00'");
    const runs = await withDuckDb(async (c) => {
      await createTable(c);
      await insert(c);
      return parseRunHistory(
        await textRows(c, runHistorySql(location, 'sales/orders', { days: 2, today: '2026-12-03' })),
      );
    });
    expect(runs.map((r) => r.runId)).toEqual(['run-c', 'run-b']);
  });

  test('a product id cannot change the statement', async () => {
    const rows = await withDuckDb(async (c) => {
      await createTable(c);
      await insert(c);
      return textRows(c, runHistorySql(location, "sales/orders' OR '1'='1", window));
    });
    expect(rows).toEqual([]);
  });
});

describe('the domain dashboard in DuckDB', () => {
  test('quality score and SLA adherence per product per day', async () => {
    const days = await withDuckDb(async (c) => {
      await createTable(c);
      await insert(c);
      return parseDashboard(await textRows(c, qualityDashboardSql(location, window)));
    });
    expect(days).toEqual([
      // 4 of 4 rules; the one run's freshness check passed.
      {
        product: 'sales/orders',
        day: '2026-12-01',
        runs: 1,
        passedRules: 4,
        rules: 4,
        qualityScore: 100,
        slaAdherence: 100,
      },
      // 5 of 8 rules; neither run's freshness check passed.
      {
        product: 'sales/orders',
        day: '2026-12-02',
        runs: 2,
        passedRules: 5,
        rules: 8,
        qualityScore: 62.5,
        slaAdherence: 0,
      },
      // No SLA freshness check: adherence is not 0, it is unknown.
      {
        product: 'sales/revenue_metrics',
        day: '2026-12-02',
        runs: 1,
        passedRules: 1,
        rules: 2,
        qualityScore: 50,
        slaAdherence: null,
      },
    ]);
  });

  test('the pasted query (relative to current_date) covers today and the days before, and no more', async () => {
    // Each run moved so that run-old falls just before the window and the others inside it.
    const shifted: Record<string, string> = {
      'run-a': 'CAST(current_date AS TIMESTAMP) + INTERVAL 1 HOUR',
      'run-b': "CAST(current_date - INTERVAL '29' DAY AS TIMESTAMP)",
      'run-c': 'CAST(current_date AS TIMESTAMP) + INTERVAL 2 HOUR',
      'run-old': "CAST(current_date - INTERVAL '29' DAY AS TIMESTAMP) - INTERVAL 1 SECOND",
      'run-r': 'CAST(current_date AS TIMESTAMP)',
    };
    const sql = qualityDashboardSql(location, { days: 30 });
    expect(sql).toContain("checked_at >= CAST(current_date - INTERVAL '29' DAY AS TIMESTAMP)");
    const days = await withDuckDb(async (c) => {
      await createTable(c);
      const at = new Map(RUNS.map((r) => [r.at, r.runId]));
      await insert(c, (stamp) => shifted[at.get(stamp) as string]);
      return parseDashboard(await textRows(c, sql));
    });
    expect(days.map((d) => [d.product, d.runs])).toEqual([
      ['sales/orders', 1],
      ['sales/orders', 2],
      ['sales/revenue_metrics', 1],
    ]);
  });
});

describe('--days', () => {
  test.each([
    ['30', undefined],
    ['1', undefined],
    ['366', undefined],
    ['0', '--days takes a whole number of days from 1 to 366, got "0"'],
    ['367', '--days takes a whole number of days from 1 to 366, got "367"'],
    ['7.5', '--days takes a whole number of days from 1 to 366, got "7.5"'],
    ['week', '--days takes a whole number of days from 1 to 366, got "week"'],
  ])('%s', (text, problem) => {
    expect(daysProblem(text)).toBe(problem);
  });
});
