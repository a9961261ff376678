/**
 * End to end: `mesh contract diff|lock|export` on a temporary copy of the example project (domains/, cdk.json
 * and the committed lock files copied; lib and node_modules linked), so definitions can be edited freely.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './fixtures';

const ORDERS = 'domains/sales/products/orders.ts';
const ORDERS_LOCK = 'domains/sales/products/orders.contract.lock.json';
const TODAY = '2026-11-22';

let root: string;
let originalOrders: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-contract-cli-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'domains'), path.join(root, 'domains'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'cdk.json'), path.join(root, 'cdk.json'));
  for (const linked of ['lib', 'node_modules'])
    fs.symlinkSync(path.join(PROJECT_ROOT, linked), path.join(root, linked));
  originalOrders = fs.readFileSync(path.join(root, ORDERS), 'utf8');
});

afterEach(() => fs.writeFileSync(path.join(root, ORDERS), originalOrders));

afterAll(() => {
  // Unlink the links first so removing the copy can never reach the real lib or node_modules.
  for (const linked of ['lib', 'node_modules']) fs.unlinkSync(path.join(root, linked));
  fs.rmSync(root, { recursive: true, force: true });
});

function mesh(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), '--root', root, ...args], {
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Edits the copied orders definition; fails loudly if the text to replace is gone. */
function editOrders(find: RegExp, replace: string): void {
  expect(originalOrders).toMatch(find);
  fs.writeFileSync(path.join(root, ORDERS), originalOrders.replace(find, replace));
}

const TAX_COLUMN = /\s*\{ name: 'tax_amount'[^\n]*\},/;

describe('npx mesh contract diff', () => {
  test('exits 0 when the definitions match their locks', () => {
    const { code, stdout } = mesh('contract', 'diff', '--today', TODAY);
    expect(code).toBe(0);
    expect(stdout).toContain('sales/orders against domains/sales/products/orders.contract.lock.json');
    expect(stdout).toContain('  v1 1.3.0: unchanged\n  v2 2.0.0: unchanged');
    expect(stdout).toContain('no breaking changes');
  });

  test('exits 1 and marks the change BREAKING when a column is removed from a published major', () => {
    editOrders(TAX_COLUMN, '');
    const { code, stdout } = mesh('contract', 'diff', 'sales/orders', '--today', TODAY);
    expect(code).toBe(1);
    expect(stdout).toMatch(/BREAKING\s+schema\.columns\.tax_amount: column tax_amount removed/);
    expect(stdout).toContain('1 breaking change: publish as a new major');

    const json = mesh('contract', 'diff', 'sales/orders', '--json', '--today', TODAY);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.breaking).toBe(1);
    expect(report.products[0].majors[1].changes[0]).toMatchObject({
      kind: 'column-removed',
      path: 'schema.columns.tax_amount',
      breaking: true,
    });
  });

  test('exits 0 for a compatible change, marked compatible', () => {
    editOrders(TAX_COLUMN, `$&\n      { name: 'coupon', type: 'string', description: 'Coupon code.' },`);
    const { code, stdout } = mesh('contract', 'diff', 'sales/orders', '--today', TODAY);
    expect(code).toBe(0);
    expect(stdout).toMatch(/compatible\s+schema\.columns\.coupon: optional column coupon added/);
  });
});

describe('npx mesh contract lock', () => {
  test('refuses a breaking change in a published major and leaves the lock as it was', () => {
    const before = fs.readFileSync(path.join(root, ORDERS_LOCK), 'utf8');
    editOrders(TAX_COLUMN, '');
    const { code, stderr } = mesh('contract', 'lock', 'sales/orders', '--today', TODAY);
    expect(code).toBe(1);
    expect(stderr).toContain('not locked sales/orders:');
    expect(stderr).toContain('v2: column tax_amount removed');
    expect(fs.readFileSync(path.join(root, ORDERS_LOCK), 'utf8')).toBe(before);
  });
});

describe('npx mesh contract export', () => {
  test('writes one ODCS YAML per product major, validated against the shipped schema', () => {
    const { code, stdout, stderr } = mesh('contract', 'export', '--out', 'out');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('wrote 17 contracts to out/, all valid against ODCS v3.1.0');
    expect(stdout).toContain('pin no env: their names keep {account} and {region} (pass --account and --region)');
    const v1 = parse(fs.readFileSync(path.join(root, 'out', 'sales', 'orders.v1.odcs.yaml'), 'utf8'));
    expect(v1).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', version: '1.3.0', status: 'deprecated' });
    expect(fs.existsSync(path.join(root, 'out', 'sales', 'orders.v2.odcs.yaml'))).toBe(true);
  });

  test('--account and --region give domains without env real addresses', () => {
    const { code, stdout } = mesh(
      'contract',
      'export',
      '--out',
      'placed',
      '--account',
      '123456789012',
      '--region',
      'eu-west-1',
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      'all valid against ODCS v3.1.0; customers, fulfillment, marketing, sales placed in 123456789012 eu-west-1',
    );
    const text = fs.readFileSync(path.join(root, 'placed', 'sales', 'orders.v2.odcs.yaml'), 'utf8');
    expect(text).not.toMatch(/\{account\}|\{region\}/);
    expect(parse(text).servers[0]).toMatchObject({
      location: 's3://acme-sales-data-123456789012-eu-west-1/products/orders/v2/',
    });
  });

  test('refuses half an environment or a malformed one, naming the option', () => {
    const half = mesh('contract', 'export', '--out', 'x', '--account', '123456789012');
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--account and --region go together');
    const bad = mesh('contract', 'export', '--out', 'x', '--account', '1234', '--region', 'eu-west-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--account must be a 12-digit AWS account id, got "1234"');
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });
});

describe('removing a product with a published contract', () => {
  const REPORT = 'domains/marketing/products/campaign_roi_report.ts';
  const REPORT_LOCK = 'domains/marketing/products/campaign_roi_report.contract.lock.json';
  let report: string;
  let reportLock: string;
  beforeAll(() => {
    report = fs.readFileSync(path.join(root, REPORT), 'utf8');
    reportLock = fs.readFileSync(path.join(root, REPORT_LOCK), 'utf8');
  });
  afterEach(() => {
    fs.writeFileSync(path.join(root, REPORT), report);
    fs.writeFileSync(path.join(root, REPORT_LOCK), reportLock);
  });

  test('is an error on the domain until the product is deprecated, locked with a sunset, and the sunset passed', () => {
    fs.rmSync(path.join(root, REPORT));
    const removed = mesh('contract', 'check', '--today', TODAY);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain(
      `error   MESH-CON-005 ${REPORT_LOCK}: ${REPORT} was removed, but ${REPORT_LOCK} records the published contract of marketing/campaign_roi_report`,
    );
    expect(removed.stdout).toContain("set status: 'deprecated' and sunset: 'YYYY-MM-DD'");

    // The safe way: deprecate with a sunset, lock, and delete the file once the sunset has passed.
    expect(report).toMatch(/\n {2}archetype: /);
    fs.writeFileSync(
      path.join(root, REPORT),
      report.replace(/\n {2}archetype: /, "\n  status: 'deprecated',\n  sunset: '2027-01-31',\n  archetype: "),
    );
    const stale = mesh('contract', 'check', '--today', TODAY);
    expect(stale.stdout).toContain('MESH-CON-002');
    expect(stale.stdout).toContain('status live → deprecated until 2027-01-31');
    const locked = mesh('contract', 'lock', 'marketing/campaign_roi_report', '--today', TODAY);
    expect(locked.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(root, REPORT_LOCK), 'utf8'))).toMatchObject({
      status: 'deprecated',
      sunset: '2027-01-31',
    });
    fs.rmSync(path.join(root, REPORT));

    const early = mesh('contract', 'check', '--today', '2027-01-31');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('its sunset 2027-01-31 has not passed (today is 2027-01-31)');
    const after = mesh('contract', 'check', '--today', '2027-02-01');
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('MESH-CON-005');
    expect(after.stdout).not.toContain('campaign_roi_report');
  });
});
