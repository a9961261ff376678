import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a user would, from the project root. */
function mesh(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const good = path.join(dir, 'revenue.parquet');
const bad = path.join(dir, 'revenue-bad.parquet');

beforeAll(async () => {
  const [a, b] = await Promise.all([
    mesh(['sample', 'sales/revenue_metrics', '--rows', '1000', '--out', good]),
    mesh(['sample', 'sales/revenue_metrics', '--rows', '1000', '--out', bad, '--violations']),
  ]);
  expect(a.stdout).toContain(`wrote 1,000 rows of sales/revenue_metrics v1 to ${good} (parquet)`);
  expect(a.stdout).toContain(`next: npx mesh check sales/revenue_metrics --local ${good}`);
  expect(b.stdout).toMatch(/broken check\s+rows\n-+\s+-+\nr01_not_null_date\s+11\n/);
  expect([a.code, b.code]).toEqual([0, 0]);
});

describe('npx mesh check --local', () => {
  test('prints every rule with measured value, threshold and result, the score, and exits 0', async () => {
    const json = path.join(dir, 'report.json');
    const { code, stdout } = await mesh(['check', 'sales/revenue_metrics', '--local', good, '--json', json]);
    expect(stdout).toContain(`sales/revenue_metrics v1 (1.1.0) on ${good} (1 parquet file, DuckDB): 1,000 rows`);
    expect(stdout).toMatch(/rule\s+check\s+measured\s+threshold\s+result/);
    expect(stdout).toMatch(/quality\[0\]\s+date not null\s+0 rows\s+= 0 rows\s+PASS/);
    expect(stdout).toMatch(/quality\[2\]\s+revenue in \[0, 10000000\]\s+0 rows\s+= 0 rows\s+PASS/);
    expect(stdout).toMatch(
      /sla\.freshness\s+newest date within 26 hours \(SLA\)\s+[\d.]+ hours\s+at most 26 hours\s+PASS/,
    );
    expect(stdout).toMatch(/quality score 100% \(5 of 5 pass\)/);
    expect(code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report).toMatchObject({ product: 'sales/revenue_metrics', major: 1, mode: 'local', report: { score: 1 } });
    expect(report.report.results).toHaveLength(5);
  });

  test('exits 1 and marks the failing rules when the data breaks them', async () => {
    const { code, stdout } = await mesh([
      'check',
      'sales/revenue_metrics',
      '--local',
      bad,
      '--where',
      'date IS NULL OR date IS NOT NULL',
    ]);
    expect(stdout).toContain('where date IS NULL OR date IS NOT NULL: 1,000 rows');
    expect(stdout).toMatch(/quality\[1\]\s+date unique\s+11 rows\s+= 0 rows\s+FAIL/);
    expect(stdout).toMatch(/quality score 0% \(0 of 5 pass, 5 fail\)/);
    expect(code).toBe(1);
  });

  test('explains what it cannot check and exits 2', async () => {
    const missing = path.join(dir, 'missing.parquet');
    const results = await Promise.all([
      mesh(['check', 'sales/revenue_metrics', '--local', missing]),
      mesh(['check', 'sales/revenue_metrics', '--local', good, '--where', "date > '2024-01-01'; DROP TABLE x"]),
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
          'r01_not_null_date',
          'r02_unique_date',
          'r03_range_revenue',
          'r04_range_order_count',
          'sla_freshness_date',
        ];
        const values = ['730', '0', '0', '2', '0', '3600'];
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
        ['check', 'sales/revenue_metrics', '--where', "date >= DATE '2025-01-01'"],
        {
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example-secret',
          AWS_ENDPOINT_URL_ATHENA: athena.url,
          AWS_PROFILE: '',
        },
      );
      const start = athena.requests.find((r) => r.target === 'StartQueryExecution')!.body;
      expect(start).toMatchObject({ WorkGroup: 'acme-sales', QueryExecutionContext: { Database: 'acme_sales' } });
      expect(start.QueryString).toContain(`FROM "acme_sales"."revenue_metrics_v1"\nWHERE (date >= DATE '2025-01-01')`);
      // stderr is not a terminal here: no progress lines (a terminal gets one rewritten line per query).
      expect(stderr).not.toContain('Athena aggregate q-cli-1');
      expect(stdout).toContain(
        `sales/revenue_metrics v1 (1.1.0) on "acme_sales"."revenue_metrics_v1" (Athena workgroup acme-sales) where date >= DATE '2025-01-01': 730 rows`,
      );
      expect(stdout).toMatch(/quality\[2\]\s+revenue in \[0, 10000000\]\s+2 rows\s+= 0 rows\s+FAIL/);
      expect(stdout).toMatch(
        /sla\.freshness\s+newest date within 26 hours \(SLA\)\s+60\.0 minutes\s+at most 26 hours\s+PASS/,
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
