import {
  AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { loadMesh } from '../../lib/mesh/load';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { runAthenaErasure } from '../../lib/privacy/erasure-athena';
import { planErasure } from '../../lib/privacy/erasure-plan';
import { erasureStatements } from '../../lib/privacy/erasure-statements';
import { athenaQueryApi } from '../../lib/quality/athena-client';
import { fakeClock } from '../support/fake-clock';
import { PROJECT_ROOT } from '../support/temp-project';

const mesh = loadMesh({ root: PROJECT_ROOT });
const plan = planErasure(mesh, [{ key: 'customer_id', value: 'C-000042' }], CONCEPT_REGISTRY);
const statements = erasureStatements(plan);
const athena = mockClient(AthenaClient);
const api = athenaQueryApi(new AthenaClient({ region: 'eu-west-1' }));
const match = `("customer_id" = 'C-000042')`;

interface FakeAthena {
  /** Result rows of a statement (header row added), by its text. */
  readonly results: (sql: string) => Record<string, string>[];
  /** States a query goes through, SUCCEEDED by default. */
  readonly states?: (sql: string) => { state: string; reason?: string }[];
}

/** Answers StartQueryExecution, GetQueryExecution and GetQueryResults as Athena does, per statement. */
function fakeAthena({ results, states = () => [{ state: 'SUCCEEDED' }] }: FakeAthena) {
  athena.reset();
  const queries: { id: string; sql: string; seen: number }[] = [];
  athena.on(StartQueryExecutionCommand).callsFake((input) => {
    const id = `q-${queries.length + 1}`;
    queries.push({ id, sql: input.QueryString!, seen: 0 });
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake((input): Partial<GetQueryExecutionCommandOutput> => {
    const query = queries.find((q) => q.id === input.QueryExecutionId)!;
    const path = states(query.sql);
    const { state, reason } = path[Math.min(query.seen++, path.length - 1)];
    return {
      QueryExecution: {
        QueryExecutionId: query.id,
        Query: query.sql,
        StatementType: 'DML',
        Status: {
          State: state as never,
          ...(reason ? { StateChangeReason: reason } : {}),
          SubmissionDateTime: new Date('2025-01-01T00:00:00Z'),
        },
        Statistics: { DataScannedInBytes: 1024, EngineExecutionTimeInMillis: 900 },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake((input): Partial<GetQueryResultsCommandOutput> => {
    const query = queries.find((q) => q.id === input.QueryExecutionId)!;
    const rows = results(query.sql);
    const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: [
          ...(columns.length > 0 ? [{ Data: columns.map((c) => ({ VarCharValue: c })) }] : []),
          ...rows.map((row) => ({ Data: columns.map((c) => ({ VarCharValue: row[c] })) })),
        ],
      },
    };
  });
  return queries;
}

const starts = () =>
  athena.commandCalls(StartQueryExecutionCommand).map((c) => ({
    QueryString: c.args[0].input.QueryString,
    WorkGroup: c.args[0].input.WorkGroup,
    Database: c.args[0].input.QueryExecutionContext?.Database,
  }));

/** Counts of the subject's rows: `orders` for sales/orders v2's partitions query, 2 for the Iceberg count. */
function counts(orders: number, icebergAfterDelete = 0) {
  let deleted = false;
  return (sql: string): Record<string, string>[] => {
    if (sql.startsWith('DELETE')) deleted = true;
    if (sql.includes('"acme_sales"."orders_v2"') && sql.includes(' AS path,')) {
      return orders > 0
        ? [{ order_date: '2024-05-01', path: 'order_date=2024-05-01/', subject_rows: String(orders) }]
        : [];
    }
    if (sql.includes(' AS path,')) return [];
    if (sql.startsWith('SELECT count(*) AS subject_rows FROM "acme_customers"."customer_segments_v2"')) {
      return [{ subject_rows: deleted ? String(icebergAfterDelete) : '2' }];
    }
    if (sql.startsWith('SELECT count(*) AS subject_rows')) return [{ subject_rows: '0' }];
    return [];
  };
}

describe('mesh erase on Athena', () => {
  test('erases the Iceberg table in its domain workgroup: count, DELETE, count, OPTIMIZE, VACUUM', async () => {
    fakeAthena({ results: counts(0) });
    const run = await runAthenaErasure(() => api, plan, statements, { clock: fakeClock() });
    const segments = starts().filter((s) => s.QueryString?.includes('customer_segments_v2'));
    expect(segments).toEqual([
      {
        QueryString: `SELECT count(*) AS subject_rows FROM "acme_customers"."customer_segments_v2" WHERE ${match}`,
        WorkGroup: 'acme-customers',
        Database: 'acme_customers',
      },
      {
        QueryString: `DELETE FROM "acme_customers"."customer_segments_v2" WHERE ${match}`,
        WorkGroup: 'acme-customers',
        Database: 'acme_customers',
      },
      {
        QueryString: `SELECT count(*) AS subject_rows FROM "acme_customers"."customer_segments_v2" WHERE ${match}`,
        WorkGroup: 'acme-customers',
        Database: 'acme_customers',
      },
      {
        QueryString: 'OPTIMIZE acme_customers.customer_segments_v2 REWRITE DATA USING BIN_PACK',
        WorkGroup: 'acme-customers',
        Database: 'acme_customers',
      },
      {
        QueryString: 'VACUUM acme_customers.customer_segments_v2',
        WorkGroup: 'acme-customers',
        Database: 'acme_customers',
      },
    ]);
    // File-based tables are only counted, in their own domains' workgroups; nothing deletes from them.
    const orders = starts().find((s) => s.QueryString?.includes('"acme_sales"."orders_v2"'))!;
    expect(orders).toMatchObject({ WorkGroup: 'acme-sales', Database: 'acme_sales' });
    expect(orders.QueryString).toMatch(/^SELECT "order_date", .* AS path, count\(\*\) AS subject_rows FROM/);
    expect(starts().filter((s) => /^(DELETE|CREATE|DROP)/.test(s.QueryString ?? ''))).toHaveLength(1);
    expect(run.results.map((r) => [r.step.ref, r.status, r.subjectRows])).toEqual([
      ['customers/customer_profiles@1', 'erased', 0],
      ['marketing/ad_clicks@1', 'erased', 0],
      ['sales/orders@2', 'erased', 0],
      ['sales/orders@1', 'erased', 0],
      ['customers/customer_segments@2', 'erased', 2],
      ['customers/customer_segments@1', 'erased', 0],
    ]);
  });

  test('a table derived from a file-based table that still holds the subject waits: no DELETE runs', async () => {
    fakeAthena({ results: counts(3) });
    const run = await runAthenaErasure(() => api, plan, statements, { clock: fakeClock() });
    const byRef = new Map(run.results.map((r) => [r.step.ref, r]));
    expect(byRef.get('sales/orders@2')).toMatchObject({
      status: 'rewrite',
      subjectRows: 3,
      message:
        "3 rows of the subject in 1 partition: parquet files are rewritten by the owner (Sales Data <sales-data@example.com>) with the step's statements",
    });
    expect(byRef.get('customers/customer_segments@2')).toMatchObject({
      status: 'waiting',
      waitingFor: ['sales/orders@2'],
      queries: [],
    });
    expect(starts().some((s) => s.QueryString?.includes('customer_segments'))).toBe(false);
    expect(starts().some((s) => s.QueryString?.startsWith('DELETE'))).toBe(false);
  });

  test('polls a running query until it ends, waiting longer each time', async () => {
    fakeAthena({
      results: counts(0),
      states: (sql) =>
        sql.startsWith('DELETE')
          ? [{ state: 'QUEUED' }, { state: 'RUNNING' }, { state: 'SUCCEEDED' }]
          : [{ state: 'SUCCEEDED' }],
    });
    const clock = fakeClock();
    const progress: string[] = [];
    const run = await runAthenaErasure(() => api, plan, statements, {
      clock,
      initialPollMs: 100,
      onProgress: (p) => progress.push(`${p.label} ${p.state}`),
    });
    expect(progress.filter((p) => p.startsWith('customers/customer_segments@2 delete'))).toEqual([
      'customers/customer_segments@2 delete QUEUED',
      'customers/customer_segments@2 delete RUNNING',
      'customers/customer_segments@2 delete SUCCEEDED',
    ]);
    expect(clock.sleeps.slice(0, 3)).toEqual([100, 100, 100]);
    expect(clock.sleeps).toContain(400);
    expect(run.results.every((r) => r.status === 'erased')).toBe(true);
  });

  test('a FAILED query is reported with its reason, and nothing after it runs for that table', async () => {
    fakeAthena({
      results: counts(0),
      states: (sql) =>
        sql.startsWith('DELETE')
          ? [{ state: 'FAILED', reason: 'ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table' }]
          : [{ state: 'SUCCEEDED' }],
    });
    const run = await runAthenaErasure(() => api, plan, statements, { clock: fakeClock() });
    const segments = run.results.find((r) => r.step.ref === 'customers/customer_segments@2')!;
    expect(segments.status).toBe('failed');
    expect(segments.message).toBe(
      'customers/customer_segments@2 delete: Athena query q-6 failed: ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table',
    );
    expect(starts().some((s) => s.QueryString?.startsWith('OPTIMIZE'))).toBe(false);
    // The earlier major reads the same input, not the failed table: it is still checked.
    expect(run.results.find((r) => r.step.ref === 'customers/customer_segments@1')!.status).toBe('erased');
  });

  test('rows left after the DELETE fail the step', async () => {
    fakeAthena({ results: counts(0, 1) });
    const run = await runAthenaErasure(() => api, plan, statements, { clock: fakeClock() });
    expect(run.results.find((r) => r.step.ref === 'customers/customer_segments@2')).toMatchObject({
      status: 'failed',
      message: '1 of 2 rows of the subject are still in acme_customers.customer_segments_v2 after the DELETE',
    });
  });
});
