import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMesh as mesh } from '../support/run-mesh';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// shipments: every rule is one the sample generator understands, so a good sample passes them all (a custom
// `sql` rule, as revenue_metrics has, may or may not hold on generated data).
const good = path.join(dir, 'shipments.parquet');
const bad = path.join(dir, 'shipments-bad.parquet');

beforeAll(async () => {
  const [a, b] = await Promise.all([
    mesh(['sample', 'fulfillment/shipments', '--rows', '1000', '--out', good]),
    mesh(['sample', 'fulfillment/shipments', '--rows', '1000', '--out', bad, '--violations']),
  ]);
  expect(a.stdout).toContain(`wrote 1,000 rows of fulfillment/shipments v1 to ${good} (parquet)`);
  expect(a.stdout).toContain(`next: npx mesh check fulfillment/shipments --local ${good}`);
  expect(b.stdout).toMatch(/broken check\s+rows\n-+\s+-+\nr01_unique_shipment_id\s+11\n/);
  expect([a.code, b.code]).toEqual([0, 0]);
});

describe('npx mesh check --local', () => {
  test('prints every rule with measured value, threshold and result, the score, and exits 0', async () => {
    const json = path.join(dir, 'report.json');
    const { code, stdout } = await mesh(['check', 'fulfillment/shipments', '--local', good, '--json', json]);
    expect(stdout).toContain(`fulfillment/shipments v1 (1.0.0) on ${good} (1 parquet file, DuckDB): 1,000 rows`);
    expect(stdout).toMatch(/rule\s+check\s+measured\s+threshold\s+result/);
    expect(stdout).toMatch(/quality\[1\]\s+order_id not null\s+0 rows\s+= 0 rows\s+PASS/);
    expect(stdout).toMatch(/quality\[3\]\s+weight_grams in \[0, 31500\]\s+0 rows\s+= 0 rows\s+PASS/);
    expect(stdout).toMatch(
      /sla\.freshness\s+newest shipped_at within 3 hours \(SLA\)\s+[\d.]+ (seconds?|minutes?)\s+at most 3 hours\s+PASS/,
    );
    // order_id references its shared concept: the concept's pattern is checked too, shown as the concept's.
    expect(stdout).toMatch(
      /schema\.columns\[1\]\.concept\s+order_id matches \^ORD-\[0-9\]\{10\}\$ \(concept order_id\)\s+0 rows\s+= 0 rows\s+PASS/,
    );
    expect(stdout).toMatch(/quality score 100% \(7 of 7 pass\)/);
    expect(code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report).toMatchObject({ product: 'fulfillment/shipments', major: 1, mode: 'local', report: { score: 1 } });
    expect(report.report.results).toHaveLength(7);
  });

  test('exits 1 and marks the failing rules when the data breaks them', async () => {
    const { code, stdout } = await mesh([
      'check',
      'fulfillment/shipments',
      '--local',
      bad,
      '--where',
      'shipped_at IS NULL OR shipped_at IS NOT NULL',
    ]);
    expect(stdout).toContain('where shipped_at IS NULL OR shipped_at IS NOT NULL: 1,000 rows');
    expect(stdout).toMatch(/quality\[0\]\s+shipment_id unique\s+11 rows\s+= 0 rows\s+FAIL/);
    expect(stdout).toMatch(/quality score 0% \(0 of 7 pass, 7 fail\)/);
    expect(code).toBe(1);
  });

  test('explains what it cannot check and exits 2', async () => {
    const missing = path.join(dir, 'missing.parquet');
    const results = await Promise.all([
      mesh(['check', 'fulfillment/shipments', '--local', missing]),
      mesh([
        'check',
        'fulfillment/shipments',
        '--local',
        good,
        '--where',
        "shipped_at > TIMESTAMP '2024-01-01 00:00:00'; DROP TABLE x",
      ]),
      mesh(['check', 'sales/nope', '--local', good]),
      mesh(['check', 'sales/orders', '--version', '7', '--local', good]),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0].stderr).toContain(`mesh check: no such file or folder: ${missing}`);
    expect(results[1].stderr).toContain('mesh check: --where: the filter must be one condition; ";" is not allowed');
    expect(results[2].stderr).toMatch(
      /mesh check: unknown product "sales\/nope" \(expected <domain>\/<product>; products: .*sales\/orders/,
    );
    expect(results[3].stderr).toContain('mesh check: sales/orders has no live major 7 (live: v2, v1)');
  });
});

describe('npx mesh check on Athena', () => {
  /** Answers Athena's JSON API like the service would, for one successful aggregate query. */
  function fakeAthena(): Promise<{
    server: http.Server;
    url: string;
    requests: { target: string; body: Record<string, unknown> }[];
  }> {
    const requests: { target: string; body: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => {
        text += d;
      });
      req.on('end', () => {
        const target = String(req.headers['x-amz-target']).replace('AmazonAthena.', '');
        const body = JSON.parse(text || '{}');
        requests.push({ target, body });
        const columns = [
          'total_rows',
          'r01_unique_shipment_id',
          'r02_not_null_order_id',
          'r03_accepted_values_carrier',
          'r04_range_weight_grams',
          'r05_freshness_shipped_at',
          'sla_freshness_shipped_at',
        ];
        const values = ['730', '0', '0', '0', '2', '3600', '3600'];
        const answers: Record<string, unknown> = {
          StartQueryExecution: { QueryExecutionId: 'q-cli-1' },
          GetQueryExecution: {
            QueryExecution: {
              QueryExecutionId: 'q-cli-1',
              Status: { State: 'SUCCEEDED' },
              Statistics: { DataScannedInBytes: 52_428_800, EngineExecutionTimeInMillis: 1200 },
            },
          },
          GetQueryResults: {
            ResultSet: {
              Rows: [columns, values].map((row) => ({ Data: row.map((v) => ({ VarCharValue: v })) })),
              ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'bigint' })) },
            },
          },
        };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answers[target] ?? {}));
      });
    });
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
      ),
    );
  }

  test('queries the domain workgroup, prints bytes scanned and the cost estimate, exits 1 on a failing rule', async () => {
    const athena = await fakeAthena();
    try {
      const { code, stdout, stderr } = await mesh(
        ['check', 'fulfillment/shipments', '--where', "shipped_at >= TIMESTAMP '2025-01-01 00:00:00'"],
        {
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example-secret',
          AWS_ENDPOINT_URL_ATHENA: athena.url,
          AWS_PROFILE: '',
        },
      );
      const start = athena.requests.find((r) => r.target === 'StartQueryExecution')!.body;
      expect(start).toMatchObject({
        WorkGroup: 'acme-fulfillment',
        QueryExecutionContext: { Database: 'acme_fulfillment' },
      });
      expect(start.QueryString).toContain(
        `FROM "acme_fulfillment"."shipments_v1"\nWHERE (shipped_at >= TIMESTAMP '2025-01-01 00:00:00')`,
      );
      // stderr is not a terminal here: no progress lines (a terminal gets one rewritten line per query).
      expect(stderr).not.toContain('Athena aggregate q-cli-1');
      expect(stdout).toContain(
        `fulfillment/shipments v1 (1.0.0) on "acme_fulfillment"."shipments_v1" (Athena workgroup acme-fulfillment) where shipped_at >= TIMESTAMP '2025-01-01 00:00:00': 730 rows`,
      );
      expect(stdout).toMatch(/quality\[3\]\s+weight_grams in \[0, 31500\]\s+2 rows\s+= 0 rows\s+FAIL/);
      expect(stdout).toMatch(
        /sla\.freshness\s+newest shipped_at within 3 hours \(SLA\)\s+60\.0 minutes\s+at most 3 hours\s+PASS/,
      );
      expect(stdout).toContain(
        'Athena: 1 query, 50.0 MB scanned, 50.0 MB billed (10 MB minimum per query), estimated USD 0.000238',
      );
      expect(code).toBe(1);
    } finally {
      athena.server.close();
    }
  });
});
