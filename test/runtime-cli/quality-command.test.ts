/**
 * `mesh quality` to the Athena SDK boundary. Athena is played by DuckDB: each statement the command starts is
 * run on a DuckDB quality_results table and answered in Athena's response shapes (the header row first on the
 * first page), so the SQL, the calls and the parsing are tested together.
 */
import * as fs from 'node:fs';
import {
  AthenaClient,
  AthenaServiceException,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { registerQualityCommands } from '../../bin/commands/quality';
import { runCommand } from '../cli/support/run-command';
import { createQualityResults, insertRuns, literal, textResult } from './quality-results-fixture';
import { MARKETING_REGION, REGION, runtimeProject } from './support';

const athena = mockClient(AthenaClient);
const root = runtimeProject();
let instance: DuckDBInstance;
let duck: DuckDBConnection;

/** checked_at `hours` before now, as a SQL timestamp literal. */
const hoursAgo = (hours: number) =>
  `TIMESTAMP ${literal(new Date(Date.now() - hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' '))}`;

const ORDERS = (r02: boolean, sla: boolean): [string, string, boolean, boolean][] => [
  ['r01_not_null_id', 'quality[0]', true, true],
  ['r02_unique_id', 'quality[1]', r02, true],
  ['sla_freshness_updated_at', 'sla.freshness', sla, false],
];

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
  await createQualityResults(duck);
  await insertRuns(duck, [
    { product: 'sales/orders', runId: 'run-1', at: hoursAgo(50), results: ORDERS(true, true), kind: 'check' },
    { product: 'sales/orders', runId: 'run-2', at: hoursAgo(26), results: ORDERS(false, true), kind: 'check' },
    { product: 'sales/orders', runId: 'run-3', at: hoursAgo(2), results: ORDERS(true, false), kind: 'check' },
    { product: 'sales/orders', runId: 'run-old', at: hoursAgo(24 * 40), results: ORDERS(false, false), kind: 'check' },
    { product: 'sales/refunds', runId: 'run-r', at: hoursAgo(3), results: ORDERS(true, true), kind: 'check' },
  ]);
});
afterAll(() => {
  duck.closeSync();
  instance.closeSync();
  fs.rmSync(root, { recursive: true, force: true });
});
afterEach(() => athena.reset());

const quality = (...args: string[]) =>
  runCommand([registerQualityCommands], ['-C', root, 'quality', ...args, '--region', REGION]);

function columnInfo(names: readonly string[], types: readonly string[]) {
  return names.map((name, i) => ({
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: types[i] ?? 'varchar',
    Precision: 0,
    Scale: 0,
    Nullable: 'UNKNOWN' as const,
    CaseSensitive: false,
  }));
}

const cells = (values: readonly (string | null)[]) => ({
  Data: values.map((v) => (v === null ? {} : { VarCharValue: v })),
});

function succeeded(id: string, sql: string) {
  return {
    QueryExecution: {
      QueryExecutionId: id,
      Query: sql,
      StatementType: 'DML' as const,
      ResultConfiguration: { OutputLocation: `s3://acme-sales-athena-123456789012-eu-west-1/results/${id}.csv` },
      QueryExecutionContext: { Database: 'acme_sales', Catalog: 'awsdatacatalog' },
      Status: {
        State: 'SUCCEEDED' as const,
        SubmissionDateTime: new Date(),
        CompletionDateTime: new Date(),
      },
      Statistics: {
        EngineExecutionTimeInMillis: 812,
        DataScannedInBytes: 18_432,
        TotalExecutionTimeInMillis: 1040,
        QueryQueueTimeInMillis: 95,
      },
      WorkGroup: 'acme-sales',
      EngineVersion: {
        SelectedEngineVersion: 'Athena engine version 3',
        EffectiveEngineVersion: 'Athena engine version 3',
      },
    },
    $metadata: { httpStatusCode: 200 },
  };
}

/** Athena answered by DuckDB: every statement started is run there. */
function athenaOnDuckDb(): Map<string, string> {
  const started = new Map<string, string>();
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    const id = `0f3c${String(started.size).padStart(4, '0')}-7a1e-4c9b-8d2f-6b5e4a3c2d1e`;
    started.set(id, input.QueryString);
    return { QueryExecutionId: id, $metadata: { httpStatusCode: 200 } };
  });
  athena
    .on(GetQueryExecutionCommand)
    .callsFake((input: { QueryExecutionId: string }) =>
      succeeded(input.QueryExecutionId, started.get(input.QueryExecutionId) as string),
    );
  athena.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId: string }) => {
    const { columns, types, rows } = await textResult(duck, started.get(input.QueryExecutionId) as string);
    return {
      ResultSet: {
        // Athena repeats the column names as the first row of the first page of a SELECT.
        Rows: [cells(columns), ...rows.map((r) => cells(columns.map((c) => r[c] ?? null)))],
        ResultSetMetadata: { ColumnInfo: columnInfo(columns, types) },
      },
      UpdateCount: 0,
      $metadata: { httpStatusCode: 200 },
    };
  });
  return started;
}

describe('mesh quality history', () => {
  test("a product's runs in the window, newest first, and the rules that failed", async () => {
    const started = athenaOnDuckDb();
    const result = await quality('history', 'sales/orders', '--days', '30');
    expect(result.exitCode).toBeUndefined();
    for (const call of athena.commandCalls(StartQueryExecutionCommand)) {
      expect(call.args[0].input).toMatchObject({
        WorkGroup: 'acme-sales',
        QueryExecutionContext: { Database: 'acme_sales' },
        ClientRequestToken: expect.any(String),
      });
    }
    expect([...started.values()].every((sql) => sql.includes(`FROM "acme_sales"."quality_results"`))).toBe(true);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^sales\/orders: 3 runs since \d{4}-\d{2}-\d{2} 00:00:00 UTC, quality score 77\.8% \(7\/9 rules passed\)$/,
    );
    const runLines = lines.filter((l) => /\brun-\d\b/.test(l));
    expect(runLines.map((l) => l.split(/\s{2,}/).slice(1))).toEqual([
      ['run-3', 'check', '1.0.0', '2/3', '66.7%', '0'],
      ['run-2', 'check', '1.0.0', '2/3', '66.7%', '1'],
      ['run-1', 'check', '1.0.0', '3/3', '100.0%', '0'],
    ]);
    expect(result.stdout).toMatch(/rules that failed:\n/);
    expect(result.stdout).toMatch(/sla_freshness_updated_at\s+sla\.freshness\s+1 of 3 runs/);
    expect(result.stdout).toMatch(/r02_unique_id\s+quality\[1\]\s+1 of 3 runs/);
    expect(result.stdout).not.toContain('run-old');
  });

  test('--json: runs, failed rules and the queries with their bytes scanned', async () => {
    athenaOnDuckDb();
    const result = await quality('history', 'sales/orders', '--days', '2', '--json');
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ product: 'sales/orders', days: 2, table: 'acme_sales.quality_results' });
    // Two days, today included, start at midnight yesterday: run-2 (26 hours ago) may or may not be inside.
    expect(json.runs[0]).toMatchObject({ runId: 'run-3', passedRules: 2, rules: 3, qualityScore: 66.7 });
    expect(json.runs.map((r: { runId: string }) => r.runId)).not.toContain('run-1');
    expect(json.queries).toEqual([
      { queryExecutionId: expect.any(String), dataScannedInBytes: 18_432 },
      { queryExecutionId: expect.any(String), dataScannedInBytes: 18_432 },
    ]);
  });

  test('results over several pages: the header row is only on the first', async () => {
    const header = [
      'run_id',
      'run_kind',
      'version',
      'checked_at',
      'passed_rules',
      'rules',
      'blocking_failures',
      'quality_score',
    ];
    const info = columnInfo(header, [
      'varchar',
      'varchar',
      'varchar',
      'timestamp(6)',
      'bigint',
      'bigint',
      'bigint',
      'double',
    ]);
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => ({
      QueryExecutionId: input.QueryString.includes('GROUP BY run_id') ? 'q-runs' : 'q-rules',
    }));
    athena
      .on(GetQueryExecutionCommand)
      .callsFake((input: { QueryExecutionId: string }) => succeeded(input.QueryExecutionId, ''));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-runs' })
      .resolves({
        ResultSet: {
          Rows: [
            cells(header),
            cells(['run-9', 'build', '1.0.0', '2026-12-02 06:00:03.123000', '4', '4', '0', '100.0']),
          ],
          ResultSetMetadata: { ColumnInfo: info },
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-runs', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          Rows: [cells(['run-8', 'build', '1.0.0', '2026-12-01 06:00:02.000000', '3', '4', '1', '75.0'])],
          ResultSetMetadata: { ColumnInfo: info },
        },
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-rules' })
      .resolves({
        ResultSet: {
          Rows: [cells(['rule', 'rule_source', 'runs', 'failures', 'last_failed_at'])],
          ResultSetMetadata: {
            ColumnInfo: columnInfo(['rule', 'rule_source', 'runs', 'failures', 'last_failed_at'], []),
          },
        },
      });
    const result = await quality('history', 'sales/orders', '--json');
    const json = JSON.parse(result.stdout);
    expect(json.runs).toEqual([
      {
        runId: 'run-9',
        runKind: 'build',
        version: '1.0.0',
        checkedAt: '2026-12-02T06:00:03.123Z',
        passedRules: 4,
        rules: 4,
        blockingFailures: 0,
        qualityScore: 100,
      },
      {
        runId: 'run-8',
        runKind: 'build',
        version: '1.0.0',
        checkedAt: '2026-12-01T06:00:02.000Z',
        passedRules: 3,
        rules: 4,
        blockingFailures: 1,
        qualityScore: 75,
      },
    ]);
    expect(json.failedRules).toEqual([]);
  });

  test('no runs in the window says what to do', async () => {
    athenaOnDuckDb();
    const result = await quality('history', 'sales/ledger');
    expect(result.stdout).toMatch(
      /^no runs of sales\/ledger since \S+ 00:00:00 UTC in acme_sales\.quality_results: npx mesh status shows whether it is deployed, npx mesh run sales\/ledger starts a run\n$/,
    );
  });

  test('--days is checked before any call', async () => {
    await expect(quality('history', 'sales/orders', '--days', '0')).rejects.toThrow(
      '--days takes a whole number of days from 1 to 366, got "0"',
    );
    expect(athena.calls()).toHaveLength(0);
  });
});

describe('mesh quality dashboard', () => {
  test("the domain's quality score and SLA adherence per product per day", async () => {
    athenaOnDuckDb();
    const result = await quality('dashboard', 'sales', '--json');
    const json = JSON.parse(result.stdout);
    expect(json.domain).toBe('sales');
    const orders = json.rows.filter((r: { product: string }) => r.product === 'sales/orders');
    expect(orders.reduce((n: number, r: { runs: number }) => n + r.runs, 0)).toBe(3);
    expect(json.rows.find((r: { product: string }) => r.product === 'sales/refunds')).toMatchObject({
      runs: 1,
      passedRules: 3,
      rules: 3,
      qualityScore: 100,
      slaAdherence: 100,
    });
    const table = await quality('dashboard', 'sales');
    expect(table.stdout.split('\n')[0]).toMatch(
      /^product\s+day\s+runs\s+rules passed\s+quality score\s+SLA adherence$/,
    );
    expect(table.stdout).toMatch(/sales\/refunds\s+\d{4}-\d{2}-\d{2}\s+1\s+3\/3\s+100\.0%\s+100\.0%/);
  });

  test('--sql prints the query to paste into Athena, relative to current_date, without calling AWS', async () => {
    const result = await quality('dashboard', 'sales', '--sql', '--days', '7');
    expect(athena.calls()).toHaveLength(0);
    expect(result.stdout).toContain('-- quality_score = 100 * passed rules / all rules;');
    expect(result.stdout).toContain('-- Athena workgroup acme-sales\n');
    expect(result.stdout).toContain(
      `FROM "acme_sales"."quality_results"\nWHERE checked_at >= CAST(current_date - INTERVAL '6' DAY AS TIMESTAMP)`,
    );
    // The printed query runs as printed.
    const sql = result.stdout.replace(/;\n$/, '');
    const { rows } = await textResult(duck, sql);
    expect(rows.length).toBeGreaterThan(0);
  });

  test('an unknown domain lists the known ones', async () => {
    await expect(quality('dashboard', 'finance')).rejects.toThrow(
      'unknown domain "finance" (domains: marketing, sales)',
    );
  });
});

describe('mesh quality: failures are one line saying what to do', () => {
  test('the table is not there yet: deploy the domain', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-missing' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q-missing',
        Status: {
          State: 'FAILED',
          StateChangeReason:
            "TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog.acme_sales.quality_results' does not exist",
          AthenaError: {
            ErrorCategory: 2,
            ErrorType: 1301,
            Retryable: false,
            ErrorMessage: "TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog.acme_sales.quality_results' does not exist",
          },
        },
        Statistics: { DataScannedInBytes: 0 },
        WorkGroup: 'acme-sales',
      },
    });
    await expect(quality('dashboard', 'sales')).rejects.toThrow(
      "dashboard: Athena query q-missing failed: TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog.acme_sales.quality_results' does not exist: the quality_results table comes with the domain's runtime; deploy it (npx cdk deploy Mesh-Sales)",
    );
  });

  test('access denied', async () => {
    athena.on(StartQueryExecutionCommand).rejects(
      new AthenaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/developer/session is not authorized to perform: athena:StartQueryExecution on resource: arn:aws:athena:eu-west-1:123456789012:workgroup/acme-sales',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(quality('history', 'sales/orders')).rejects.toThrow(
      /^Athena denied the request in eu-west-1 \(AccessDeniedException: .*athena:StartQueryExecution.*\): use a role that is allowed it/,
    );
  });

  test('throttling that outlasted the retries', async () => {
    athena.on(StartQueryExecutionCommand).rejects(
      new AthenaServiceException({
        name: 'TooManyRequestsException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(quality('dashboard', 'sales')).rejects.toThrow(
      "Athena kept throttling the requests after the SDK's adaptive retries (TooManyRequestsException: Rate exceeded)",
    );
  });
});

describe('mesh quality: the region', () => {
  test("a domain's env.region is where its results are queried, unless --region says otherwise", async () => {
    const regions: string[] = [];
    athena.on(StartQueryExecutionCommand).callsFake(async (_input, getClient) => {
      regions.push(await getClient().config.region());
      return { QueryExecutionId: 'q-region' };
    });
    athena.on(GetQueryExecutionCommand).resolves(succeeded('q-region', ''));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { Rows: [cells(['product'])], ResultSetMetadata: { ColumnInfo: columnInfo(['product'], []) } },
    });
    await runCommand([registerQualityCommands], ['-C', root, 'quality', 'dashboard', 'marketing']);
    await quality('dashboard', 'marketing');
    expect(regions).toEqual([MARKETING_REGION, REGION]);
  });
});
