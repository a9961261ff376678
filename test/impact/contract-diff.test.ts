/**
 * `mesh contract diff` names the consumers a breaking change would break, in-process on a temporary copy of the
 * example project whose sales/orders definition is edited (the committed lock files stay as they are).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerContractCommand } from '../../bin/commands/contract';
import { runCommand } from '../cli/support/run-command';
import { copyExampleProject } from '../support/temp-project';

const ORDERS = 'domains/sales/products/orders.ts';
const TODAY = '2026-11-22';
/** The v2 tax column; v1 has none, so removing it breaks v2 only. */
const TAX_COLUMN = /\n\s*\{ name: 'tax_amount'[^\n]*\},/;
/** The order lines, shared by both majors: removing them breaks v1 and v2. */
const LINES_COLUMN = /\n {2}\{\n {4}name: 'lines',[\s\S]*?\n {2}\},/;

let root: string;
let original: string;

beforeAll(() => {
  root = copyExampleProject();
  original = fs.readFileSync(path.join(root, ORDERS), 'utf8');
});

afterEach(() => fs.writeFileSync(path.join(root, ORDERS), original));

afterAll(() => {
  // Links first, so removing the copy can never reach the platform's own folders.
  for (const linked of ['lib', 'constructs', 'bin', 'node_modules', 'tsconfig.json']) {
    fs.unlinkSync(path.join(root, linked));
  }
  fs.rmSync(root, { recursive: true, force: true });
});

function editOrders(find: RegExp): void {
  expect(original).toMatch(find);
  fs.writeFileSync(path.join(root, ORDERS), original.replace(find, ''));
}

const diff = (...args: string[]) =>
  runCommand([registerContractCommand], ['--root', root, 'contract', 'diff', ...args, '--today', TODAY]);

describe('mesh contract diff names whom a breaking change breaks', () => {
  test('a column removed from v2: its three readers, the ROI report under campaign_performance, the owners', async () => {
    editOrders(TAX_COLUMN);
    const { stdout, exitCode } = await diff('sales/orders');
    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      [
        '  v1 1.3.0: unchanged',
        '  v2 2.0.0: 1 change',
        '    BREAKING           schema.columns.tax_amount: column tax_amount removed; consumers that select it fail',
        '    breaks 3 readers of v2 and 1 product downstream:',
        '      customers/customer_segments      Customer Data <customer-data@example.com>',
        '      marketing/campaign_performance   Marketing Analytics <marketing-analytics@example.com>',
        '        marketing/campaign_roi_report  Marketing Analytics <marketing-analytics@example.com>',
        '      sales/revenue_metrics            Sales Data <sales-data@example.com>',
        '',
        '4 consumers would break; tell their owners: Customer Data <customer-data@example.com>, Marketing Analytics <marketing-analytics@example.com>, Sales Data <sales-data@example.com>',
        '1 breaking change: publish as a new major',
      ].join('\n'),
    );
    // v1's reader is untouched by a v2 change.
    expect(stdout).not.toContain('fulfillment/shipments');
  });

  test('--json: each major carries breaks, empty for a major without a breaking change', async () => {
    editOrders(LINES_COLUMN);
    const { stdout, exitCode } = await diff('--json');
    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout) as {
      breaking: number;
      products: {
        product: string;
        majors: { major: number; breaks: { product: string; depth: number; reads: string; owner: string }[] }[];
      }[];
    };
    expect(report.breaking).toBe(2);
    const orders = report.products.find((p) => p.product === 'sales/orders')!;
    const breaks = (major: number) =>
      orders.majors.find((m) => m.major === major)!.breaks.map((b) => [b.product, b.depth, b.reads]);
    expect(breaks(1)).toEqual([
      ['fulfillment/shipments', 1, 'sales/orders@1'],
      ['fulfillment/delivery_performance', 2, 'fulfillment/shipments@1'],
    ]);
    expect(breaks(2)).toEqual([
      ['customers/customer_segments', 1, 'sales/orders@2'],
      ['marketing/campaign_performance', 1, 'sales/orders@2'],
      ['sales/revenue_metrics', 1, 'sales/orders@2'],
      ['marketing/campaign_roi_report', 2, 'marketing/campaign_performance@2'],
    ]);
    expect(orders.majors.find((m) => m.major === 1)!.breaks[0].owner).toBe(
      'Fulfillment Data <fulfillment-data@example.com>',
    );
    const others = report.products.filter((p) => p.product !== 'sales/orders');
    expect(others.flatMap((p) => p.majors.flatMap((m) => m.breaks))).toEqual([]);
  });

  test('without a breaking change nothing is named', async () => {
    const { stdout, exitCode } = await diff();
    expect(exitCode).toBeUndefined();
    expect(stdout).not.toMatch(/breaks|would break/);
    expect(stdout).toContain('no breaking changes');
  });
});
