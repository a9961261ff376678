/**
 * `npx mesh check <product> --local <file> --scan-pii` as a user runs it: the quality rules, then the scan;
 * exit 1 for unmarked personal data even when every rule passes, 0 for a clean file, 2 for a scan that
 * cannot run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMesh as mesh } from '../support/run-mesh';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pii-scan-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A German IBAN for an 18-digit BBAN, its check digits computed with BigInt (ISO 13616: 98 - BBAN·DE00 mod 97). */
function germanIban(bban: string): string {
  const check = 98n - (BigInt(`${bban}131400`) % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

/**
 * fulfillment/shipments rows that pass every quality rule (shipped within the last hours, known carriers);
 * `personal` puts IBANs into shipment_id and customers' email addresses into warehouse, neither marked pii.
 */
function shipmentsCsv(file: string, personal: boolean): string {
  const lines = ['shipment_id,order_id,warehouse,carrier,shipped_at,delivered_at,weight_grams,ship_date'];
  const now = Date.now();
  for (let i = 0; i < 300; i++) {
    const shippedAt = new Date(now - i * 20_000).toISOString().replace('T', ' ').slice(0, 19);
    const shipment = personal ? germanIban(`37040044${String(i).padStart(10, '0')}`) : `SHP-${i}`;
    const warehouse = personal ? `buyer${i}@example.com` : `WH-${i % 4}`;
    lines.push(
      `${shipment},ORD-${String(i).padStart(10, '0')},${warehouse},dhl,${shippedAt},,${500 + i},${shippedAt.slice(0, 10)}`,
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('unmarked columns of IBANs and email addresses fail the check with exit 1, in text and in JSON', async () => {
  const file = shipmentsCsv(path.join(dir, 'personal.csv'), true);
  const [text, json] = await Promise.all([
    mesh(['check', 'fulfillment/shipments', '--local', file, '--scan-pii']),
    mesh(['check', 'fulfillment/shipments', '--local', file, '--scan-pii', '--json']),
  ]);
  expect(text.stdout).toMatch(/quality score 100% \(\d+ of \d+ pass\)/);
  expect(text.stdout).toContain(
    'personal data scan: 5 text columns of all 300 rows (sample limit 10,000), threshold 50%',
  );
  expect(text.stdout).toMatch(/warehouse\s+email address\s+300 of 300 \(100%\)\s+NOT MARKED/);
  expect(text.stdout).toContain(
    `error domains/fulfillment/products/shipments.ts: schema.columns[2]: 100% of the sampled values of column "warehouse" look like email addresses, but it is not marked pii. Fix: set pii: true and classification: 'confidential' on schema.columns[2].`,
  );
  expect(text.stdout).toContain('2 columns with unmarked personal data');
  expect(text.code).toBe(1);

  const document = JSON.parse(json.stdout);
  expect(document.report.passed).toBe(true);
  expect(document.piiScan).toMatchObject({
    product: 'fulfillment/shipments',
    major: 1,
    threshold: 0.5,
    rowsScanned: 300,
    totalRows: 300,
    columns: ['shipment_id', 'order_id', 'warehouse', 'carrier', 'ship_date'],
    confirmed: [],
    passed: false,
  });
  expect(document.piiScan.findings.map((f: { column: string; category: string }) => [f.column, f.category])).toEqual([
    ['shipment_id', 'iban'],
    ['warehouse', 'email'],
  ]);
  expect(json.code).toBe(1);
});

test('a file without personal data passes with exit 0; a scan without --local cannot run (exit 2)', async () => {
  const file = shipmentsCsv(path.join(dir, 'clean.csv'), false);
  const [clean, athena, threshold] = await Promise.all([
    mesh(['check', 'fulfillment/shipments', '--local', file, '--scan-pii', '--pii-threshold', '10']),
    mesh(['check', 'fulfillment/shipments', '--scan-pii']),
    mesh(['check', 'fulfillment/shipments', '--local', file, '--scan-pii', '--pii-threshold', '150']),
  ]);
  expect(clean.stdout).toContain('threshold 10%');
  expect(clean.stdout).toContain('no unmarked personal data');
  expect(clean.code).toBe(0);
  expect(athena.stderr).toContain('mesh check: --scan-pii scans local files: add --local <path>');
  expect(threshold.stderr).toContain('mesh check: --pii-threshold takes a percent in (0, 100], e.g. 50, got "150"');
  expect([athena.code, threshold.code]).toEqual([2, 2]);
});
