/**
 * End to end: `mesh contract diff|lock|export` on a temporary copy of the example project (domains/, cdk.json
 * and the committed lock files copied; lib and node_modules linked), so definitions can be edited freely.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { defaultOdcsSchemaPath } from '../../lib/contracts/odcs-validate';
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
  test('writes one ODCS YAML per product major', () => {
    const schema = defaultOdcsSchemaPath(PROJECT_ROOT);
    const args = fs.existsSync(schema) ? ['--schema', schema] : [];
    const { code, stdout } = mesh('contract', 'export', '--out', 'out', ...args);
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote 10 contracts to out/${args.length ? ', all valid against ODCS v3.1.0' : ''}`);
    const v1 = parse(fs.readFileSync(path.join(root, 'out', 'sales', 'orders.v1.odcs.yaml'), 'utf8'));
    expect(v1).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', version: '1.3.0', status: 'deprecated' });
    expect(fs.existsSync(path.join(root, 'out', 'sales', 'orders.v2.odcs.yaml'))).toBe(true);
  });
});
