/**
 * `mesh impact` and `mesh contract diff` as a user runs them: the CLI in a child process, on the example project
 * and on a temporary copy of it with a breaking change to sales/orders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMesh } from '../support/run-mesh';
import { copyExampleProject } from '../support/temp-project';

describe('npx mesh impact', () => {
  test('lists everything downstream of sales/orders with owner and support, then the summary; exit 0', async () => {
    const { code, stdout, stderr } = await runMesh(['impact', 'sales/orders']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows = stdout.split('\n').slice(2, 8);
    expect(rows.map((r) => r.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['customers/customer_segments', '1', 'sales/orders@2'],
      ['fulfillment/shipments', '1', 'sales/orders@1'],
      ['marketing/campaign_performance', '1', 'sales/orders@2'],
      ['sales/revenue_metrics', '1', 'sales/orders@2'],
      ['fulfillment/delivery_performance', '2', 'fulfillment/shipments@1'],
      ['marketing/campaign_roi_report', '2', 'marketing/campaign_performance@2'],
    ]);
    expect(rows[3].split(/\s{2,}/).slice(3)).toEqual([
      'Sales Data <sales-data@example.com>',
      'slack https://example.slack.com/archives/sales-data',
    ]);
    expect(stdout).toMatch(
      /\n\n6 products would be affected: 1 in sales, 5 in 3 other domains \(customers, fulfillment, marketing\)\n$/,
    );
  });

  test('--json prints the report; nothing downstream is exit 0', async () => {
    const json = await runMesh(['impact', 'customers/customer_profiles@1', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      product: 'customers/customer_profiles',
      major: 1,
      consumers: [{ product: 'marketing/campaign_performance' }, { product: 'marketing/campaign_roi_report' }],
      domains: ['marketing'],
    });
    expect(await runMesh(['impact', 'marketing/campaign_roi_report'])).toEqual({
      code: 0,
      stdout: 'nothing reads marketing/campaign_roi_report\n',
      stderr: '',
    });
  });

  test('a bad reference is one line on stderr, exit 2', async () => {
    const unknown = await runMesh(['impact', 'sales/refunds']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^mesh: unknown product "sales\/refunds" \(expected <domain>\/<product>; products: [^\n]+\)\n$/,
    );
    expect(await runMesh(['impact', 'sales/orders@5'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mesh: sales/orders has no live major 5 (live: @2, @1)\n',
    });
  });
});

describe('npx mesh contract diff with a breaking change', () => {
  let root: string;
  const LINKED = ['lib', 'constructs', 'bin', 'node_modules', 'tsconfig.json'];

  beforeAll(() => {
    root = copyExampleProject();
  });

  afterAll(() => {
    for (const linked of LINKED) fs.unlinkSync(path.join(root, linked));
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('names the readers of the broken major, what they feed, and the owners to tell; exit 1', async () => {
    const file = path.join(root, 'domains/sales/products/orders.ts');
    const original = fs.readFileSync(file, 'utf8');
    const tax = /\n\s*\{ name: 'tax_amount'[^\n]*\},/;
    expect(original).toMatch(tax);
    fs.writeFileSync(file, original.replace(tax, ''));
    const { code, stdout } = await runMesh([
      '--root',
      root,
      'contract',
      'diff',
      'sales/orders',
      '--today',
      '2026-11-22',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '    breaks 3 readers of v2 and 1 product downstream:\n' +
        '      customers/customer_segments      Customer Data <customer-data@example.com>\n' +
        '      marketing/campaign_performance   Marketing Analytics <marketing-analytics@example.com>\n' +
        '        marketing/campaign_roi_report  Marketing Analytics <marketing-analytics@example.com>\n' +
        '      sales/revenue_metrics            Sales Data <sales-data@example.com>\n',
    );
    expect(stdout).toContain('4 consumers would break; tell their owners: ');
  });
});
