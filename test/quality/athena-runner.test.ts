import {
  AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_MESH_CONFIG } from '../../lib/mesh/config';
import { athenaQueryApi } from '../../lib/quality/athena-client';
import { athenaBilledBytes, athenaCostUsd } from '../../lib/quality/athena-cost';
import { type AthenaProgress, AthenaQueryError, runAthenaQuery } from '../../lib/quality/athena-query';
import { athenaLocation, runAthenaQualityCheck } from '../../lib/quality/athena-runner';
import { fakeClock } from '../support/fake-clock';
import { meshProductOf, productInput } from './product-fixture';

const athena = mockClient(AthenaClient);
const api = athenaQueryApi(new AthenaClient({ region: 'eu-west-1' }));
const MB = 1024 ** 2;

function execution(
  state: string,
  extra: { reason?: string; scanned?: number } = {},
): Partial<GetQueryExecutionCommandOutput> {
  return {
    QueryExecution: {
      QueryExecutionId: 'q-1',
      Status: {
        State: state as never,
        ...(extra.reason ? { StateChangeReason: extra.reason } : {}),
        SubmissionDateTime: new Date('2025-01-01T00:00:00Z'),
      },
      ...(extra.scanned !== undefined
        ? {
            Statistics: {
              DataScannedInBytes: extra.scanned,
              EngineExecutionTimeInMillis: 1_834,
              TotalExecutionTimeInMillis: 2_210,
            },
          }
        : {}),
      WorkGroup: 'acme-sales',
    },
  };
}

/** GetQueryResults as Athena returns a SELECT: the header row first, every value as VarCharValue text, NULL as {}. */
function resultSet(columns: string[], ...rows: (string | null)[][]): Partial<GetQueryResultsCommandOutput> {
  const cells = (values: (string | null)[]) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: [cells(columns), ...rows.map(cells)],
      ResultSetMetadata: {
        ColumnInfo: columns.map((name) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: name,
          Label: name,
          Type: 'bigint',
          Precision: 19,
          Scale: 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: false,
        })),
      },
    },
  };
}

const options = { workgroup: 'acme-sales', database: 'acme_sales', label: 'aggregate' };

beforeEach(() => athena.reset());

describe('runAthenaQuery', () => {
  test('starts in the workgroup, polls with exponential backoff, reads rows without the header', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING', { scanned: 4 * MB }))
      .resolvesOnce(execution('RUNNING', { scanned: 9 * MB }))
      .resolvesOnce(execution('RUNNING', { scanned: 12 * MB }))
      .resolves(execution('SUCCEEDED', { scanned: 12_345_678 }));
    athena.on(GetQueryResultsCommand).resolves(resultSet(['total_rows', 'r01_not_null_x'], ['1000', null]));
    const clock = fakeClock();
    const progress: AthenaProgress[] = [];

    const outcome = await runAthenaQuery(api, 'SELECT 1', { ...options, clock, onProgress: (p) => progress.push(p) });

    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toMatchObject({
      QueryString: 'SELECT 1',
      WorkGroup: 'acme-sales',
      QueryExecutionContext: { Database: 'acme_sales' },
      ClientRequestToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(progress.map((p) => p.state)).toEqual(['QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    expect(progress[2]).toEqual({
      label: 'aggregate',
      queryExecutionId: 'q-1',
      state: 'RUNNING',
      elapsedMs: 3_500,
      dataScannedInBytes: 4 * MB,
    });
    expect(outcome).toEqual({
      queryExecutionId: 'q-1',
      columns: ['total_rows', 'r01_not_null_x'],
      rows: [{ total_rows: '1000', r01_not_null_x: null }],
      dataScannedInBytes: 12_345_678,
      engineExecutionTimeInMillis: 1_834,
    });
  });

  test('reads every page of results; only the first page starts with the header row', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { scanned: 0 }));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({ ...resultSet(['n'], ['1']), NextToken: 'page-2' })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          Rows: [{ Data: [{ VarCharValue: '2' }] }],
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
        },
      });
    const outcome = await runAthenaQuery(api, 'SELECT n FROM t', { ...options, clock: fakeClock() });
    expect(outcome.rows).toEqual([{ n: '1' }, { n: '2' }]);
  });

  test('a FAILED query raises its StateChangeReason', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', {
        reason:
          "COLUMN_NOT_FOUND: line 3:9: Column 'order_idd' cannot be resolved or requester is not authorized to access requested resources",
      }),
    );
    const error = await runAthenaQuery(api, 'SELECT 1', { ...options, clock: fakeClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).message).toBe(
      "aggregate: Athena query q-1 failed: COLUMN_NOT_FOUND: line 3:9: Column 'order_idd' cannot be resolved or requester is not authorized to access requested resources",
    );
    expect(error).toMatchObject({ queryExecutionId: 'q-1', state: 'FAILED' });
  });

  test('a CANCELLED query says so, with the reason or the usual causes', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('CANCELLED', { reason: 'Query cancelled: bytes scanned limit was exceeded' }))
      .resolves(execution('CANCELLED'));
    await expect(runAthenaQuery(api, 'SELECT 1', { ...options, clock: fakeClock() })).rejects.toThrow(
      'aggregate: Athena query q-1 was cancelled: Query cancelled: bytes scanned limit was exceeded',
    );
    await expect(runAthenaQuery(api, 'SELECT 1', { ...options, clock: fakeClock() })).rejects.toThrow(
      'aggregate: Athena query q-1 was cancelled: no reason given (stopped by a user, or by the workgroup data limit)',
    );
  });

  test('retries throttled calls with backoff, starting again with the same idempotency token', async () => {
    const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ QueryExecutionId: 'q-1' });
    const slowDown = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    athena
      .on(GetQueryExecutionCommand)
      .rejectsOnce(slowDown)
      .resolves(execution('SUCCEEDED', { scanned: 1 }));
    athena.on(GetQueryResultsCommand).resolves(resultSet(['n'], ['7']));
    const clock = fakeClock();

    const outcome = await runAthenaQuery(api, 'SELECT 7', { ...options, clock, throttleBackoffMs: 200 });

    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(starts).toHaveLength(3);
    expect(new Set(starts).size).toBe(1);
    expect(clock.sleeps).toEqual([200, 400, 500, 200]);
    expect(outcome.rows).toEqual([{ n: '7' }]);
  });

  test('gives up on throttling after the allowed retries, and does not retry other errors', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(
      runAthenaQuery(api, 'SELECT 1', { ...options, clock: fakeClock(), throttleRetries: 2 }),
    ).rejects.toThrow(
      'Athena throttled StartQueryExecution 3 times (TooManyRequestsException: Rate exceeded); try again later or lower the concurrency',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);

    athena.reset();
    athena
      .on(StartQueryExecutionCommand)
      .rejects(Object.assign(new Error('WorkGroup acme-sales is not found.'), { name: 'InvalidRequestException' }));
    await expect(runAthenaQuery(api, 'SELECT 1', { ...options, clock: fakeClock() })).rejects.toThrow(
      'WorkGroup acme-sales is not found.',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });

  test('stops a query that outlives the timeout', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const clock = fakeClock();
    await expect(runAthenaQuery(api, 'SELECT 1', { ...options, clock, timeoutMs: 10_000 })).rejects.toThrow(
      'aggregate: Athena query q-1 did not finish within 10 s (still RUNNING); it was stopped',
    );
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 4_000, 2_500]);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({ QueryExecutionId: 'q-1' });
  });
});

describe('cost estimate', () => {
  test('USD 5 per TB, rounded up to the MB, at least 10 MB per query', () => {
    expect(athenaBilledBytes(0)).toBe(10 * MB);
    expect(athenaBilledBytes(10 * MB + 1)).toBe(11 * MB);
    expect(athenaCostUsd(1024 ** 4)).toBe(5);
    expect(athenaCostUsd(1)).toBeCloseTo((10 * MB * 5) / 1024 ** 4, 12);
  });
});

describe('runAthenaQualityCheck', () => {
  const product = meshProductOf(
    productInput({
      quality: [
        { rule: 'notNull', column: 'order_id' },
        { rule: 'range', column: 'amount', min: 0 },
        { rule: 'sql', name: 'negative_total', query: 'SELECT count(*) FROM {table} WHERE amount < -1000' },
        { rule: 'sql', name: 'broken', query: 'SELECT count(nope) FROM {table}' },
      ],
    }),
  );
  const location = athenaLocation({ ...DEFAULT_MESH_CONFIG, prefix: 'acme' }, product, 2);

  test('finds the workgroup, database and table by the mesh naming rules', () => {
    expect(location).toEqual({ workgroup: 'acme-sales', database: 'acme_sales', table: 'orders_v2' });
  });

  test('runs the aggregate and each custom rule as queries, judges the results and adds up the cost', async () => {
    let started = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++started}` }));
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: 'q-1' })
      .resolves(execution('SUCCEEDED', { scanned: 25 * MB }));
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: 'q-2' })
      .resolves(execution('SUCCEEDED', { scanned: 3 * MB }));
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: 'q-3' })
      .resolves(execution('FAILED', { reason: "COLUMN_NOT_FOUND: line 1:14: Column 'nope' cannot be resolved" }));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1' })
      .resolves(resultSet(['total_rows', 'r01_not_null_order_id', 'r02_range_amount'], ['5000', '0', '3']));
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q-2' }).resolves(resultSet(['_col0'], ['0']));

    const run = await runAthenaQualityCheck(api, product, product.versions[0], location, {
      clock: fakeClock(),
      where: "order_date = '2025-01-01'",
    });

    const sql = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
    expect(sql[0]).toContain('FROM "acme_sales"."orders_v2"\nWHERE (order_date = \'2025-01-01\')');
    expect(sql[1]).toBe(
      `SELECT count(*) FROM (SELECT * FROM "acme_sales"."orders_v2" WHERE (order_date = '2025-01-01')) WHERE amount < -1000`,
    );
    expect(run.report.results.map((r) => [r.id, r.status, r.measured])).toEqual([
      ['r01_not_null_order_id', 'pass', 0],
      ['r02_range_amount', 'fail', 3],
      ['r03_sql_negative_total', 'pass', 0],
      ['r04_sql_broken', 'error', null],
    ]);
    expect(run.report.results[3].message).toBe(
      "r04_sql_broken: Athena query q-3 failed: COLUMN_NOT_FOUND: line 1:14: Column 'nope' cannot be resolved",
    );
    expect(run.report.totalRows).toBe(5_000);
    expect(run.report.score).toBe(0.5);
    expect(run.queries.map((q) => [q.label, q.queryExecutionId, q.dataScannedInBytes, q.billedBytes])).toEqual([
      ['aggregate', 'q-1', 25 * MB, 25 * MB],
      ['r03_sql_negative_total', 'q-2', 3 * MB, 10 * MB],
      ['r04_sql_broken', 'q-3', 0, 0],
    ]);
    expect(run.dataScannedInBytes).toBe(28 * MB);
    expect(run.billedBytes).toBe(35 * MB);
    expect(run.costUsd).toBeCloseTo((35 * MB * 5) / 1024 ** 4, 12);
  });

  test('a failing aggregate query fails the run', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', {
        reason: 'TABLE_NOT_FOUND: line 16:6: Table awsdatacatalog.acme_sales.orders_v2 does not exist',
      }),
    );
    await expect(
      runAthenaQualityCheck(api, product, product.versions[0], location, { clock: fakeClock() }),
    ).rejects.toThrow(
      'aggregate: Athena query q-9 failed: TABLE_NOT_FOUND: line 16:6: Table awsdatacatalog.acme_sales.orders_v2 does not exist',
    );
  });
});
