/**
 * impactOf() and upstreamOf() on the example mesh (expected consumers worked out by hand from the inputs of every
 * product under domains/) and on small synthetic meshes for the shapes the example lacks: a diamond, paths of
 * different lengths, a consumer reading two majors, a cycle.
 */
import { registerImpactCommand } from '../../bin/commands/impact';
import type { ProductDefinitionInput } from '../../lib/definition/schema';
import { formatBreaks, impactSummary } from '../../lib/impact/format';
import { impactOf, parseProductReference, upstreamOf } from '../../lib/impact/impact';
import { loadMesh } from '../../lib/mesh/load';
import { findProduct, type Mesh } from '../../lib/mesh/model';
import { runCommand } from '../cli/support/run-command';
import { meshOf, ordersInput } from '../contracts/fixtures';
import { PROJECT_ROOT } from '../support/temp-project';

// The example's inputs: sales/orders@2 → customers/customer_segments, marketing/campaign_performance,
// sales/revenue_metrics; sales/orders@1 → fulfillment/shipments@1 → fulfillment/delivery_performance;
// customers/customer_profiles@1 → marketing/campaign_performance@2 → marketing/campaign_roi_report, which also
// reads sales/revenue_metrics@2.
const mesh = loadMesh({ root: PROJECT_ROOT });

const MARKETING = {
  owner: 'Marketing Analytics <marketing-analytics@example.com>',
  support: ['slack https://example.slack.com/archives/marketing-analytics'],
};

const brief = (report: ReturnType<typeof impactOf>) =>
  report.consumers.map((c) => ({ product: c.product, depth: c.depth, reads: c.reads, path: c.path }));

describe('impactOf on the example mesh', () => {
  test('customers/customer_profiles reaches campaign_performance directly and the ROI report through it', () => {
    expect(impactOf(mesh, 'customers/customer_profiles')).toEqual({
      product: 'customers/customer_profiles',
      consumers: [
        {
          product: 'marketing/campaign_performance',
          domain: 'marketing',
          depth: 1,
          reads: 'customers/customer_profiles@1',
          majors: [1],
          path: ['customers/customer_profiles', 'marketing/campaign_performance'],
          ...MARKETING,
          crossDomain: true,
        },
        {
          product: 'marketing/campaign_roi_report',
          domain: 'marketing',
          depth: 2,
          reads: 'marketing/campaign_performance@2',
          majors: [2],
          path: ['customers/customer_profiles', 'marketing/campaign_performance', 'marketing/campaign_roi_report'],
          ...MARKETING,
          crossDomain: true,
        },
      ],
      domains: ['marketing'],
    });
  });

  test('sales/orders reaches six products in four domains; the ROI report once, on the first shortest path', () => {
    const report = impactOf(mesh, 'sales/orders');
    expect(brief(report)).toEqual([
      {
        product: 'customers/customer_segments',
        depth: 1,
        reads: 'sales/orders@2',
        path: ['sales/orders', 'customers/customer_segments'],
      },
      {
        product: 'fulfillment/shipments',
        depth: 1,
        reads: 'sales/orders@1',
        path: ['sales/orders', 'fulfillment/shipments'],
      },
      {
        product: 'marketing/campaign_performance',
        depth: 1,
        reads: 'sales/orders@2',
        path: ['sales/orders', 'marketing/campaign_performance'],
      },
      {
        product: 'sales/revenue_metrics',
        depth: 1,
        reads: 'sales/orders@2',
        path: ['sales/orders', 'sales/revenue_metrics'],
      },
      {
        product: 'fulfillment/delivery_performance',
        depth: 2,
        reads: 'fulfillment/shipments@1',
        path: ['sales/orders', 'fulfillment/shipments', 'fulfillment/delivery_performance'],
      },
      // Also reachable through sales/revenue_metrics@2, at the same depth.
      {
        product: 'marketing/campaign_roi_report',
        depth: 2,
        reads: 'marketing/campaign_performance@2',
        path: ['sales/orders', 'marketing/campaign_performance', 'marketing/campaign_roi_report'],
      },
    ]);
    expect(report.domains).toEqual(['customers', 'fulfillment', 'marketing']);
    expect(report.consumers.filter((c) => !c.crossDomain).map((c) => c.product)).toEqual(['sales/revenue_metrics']);
    expect(report.consumers.find((c) => c.product === 'fulfillment/shipments')).toMatchObject({
      owner: 'Fulfillment Data <fulfillment-data@example.com>',
      support: ['ticket https://example.atlassian.net/jira/software/projects/FUL'],
    });
    expect(impactSummary(report)).toBe(
      '6 products would be affected: 1 in sales, 5 in 3 other domains (customers, fulfillment, marketing)',
    );
  });

  test('a major narrows the direct readers to those of that major; deeper levels follow any major', () => {
    const v1 = impactOf(mesh, 'sales/orders', 1);
    expect(v1.major).toBe(1);
    expect(brief(v1).map((c) => [c.product, c.depth])).toEqual([
      ['fulfillment/shipments', 1],
      ['fulfillment/delivery_performance', 2],
    ]);
    expect(impactSummary(v1)).toBe('2 products in 1 other domain (fulfillment) would be affected');
    expect(brief(impactOf(mesh, 'sales/orders', 2)).map((c) => c.product)).toEqual([
      'customers/customer_segments',
      'marketing/campaign_performance',
      'sales/revenue_metrics',
      'marketing/campaign_roi_report',
    ]);
  });

  test('a product nothing reads has no consumers, and says so', () => {
    const report = impactOf(mesh, 'marketing/campaign_roi_report');
    expect(report).toEqual({ product: 'marketing/campaign_roi_report', consumers: [], domains: [] });
    expect(impactSummary(report)).toBe('nothing reads marketing/campaign_roi_report');
    // Read at v1 by nobody, at v2 by the ROI report: a live major nothing reads is not an error.
    expect(impactSummary(impactOf(mesh, 'marketing/campaign_performance', 1))).toBe(
      'nothing reads marketing/campaign_performance@1',
    );
  });

  test('an unknown product names the known ones; a major that is not live names the live ones', () => {
    expect(() => impactOf(mesh, 'sales/refunds')).toThrow(
      /^unknown product "sales\/refunds" \(expected <domain>\/<product>; products: customers\/customer_profiles, .*sales\/revenue_metrics\)$/,
    );
    expect(() => impactOf(mesh, 'sales/orders', 3)).toThrow('sales/orders has no live major 3 (live: @2, @1)');
  });

  test('upstreamOf lists what a product reads, transitively, with the major read', () => {
    expect(
      upstreamOf(mesh, 'marketing/campaign_roi_report').map(({ product, depth, major }) => [product, depth, major]),
    ).toEqual([
      ['marketing/campaign_performance', 1, 2],
      ['sales/revenue_metrics', 1, 2],
      ['customers/customer_profiles', 2, 1],
      ['marketing/ad_clicks', 2, 1],
      ['marketing/ad_spend', 2, 1],
      ['sales/orders', 2, 2],
    ]);
    expect(upstreamOf(mesh, 'sales/orders')).toEqual([]);
    expect(() => upstreamOf(mesh, 'nope/nothing')).toThrow(/^unknown product "nope\/nothing"/);
  });
});

describe('impactOf on synthetic meshes', () => {
  /** A product of one column reading `inputs`; `version` and `previousVersions` make more majors. */
  const product = (name: string, inputs: string[] = [], extra: Partial<ProductDefinitionInput> = {}) =>
    ordersInput({
      name,
      version: '1.0.0',
      archetype: inputs.length > 0 ? 'aggregate' : 'source-aligned',
      inputs,
      schema: { format: 'parquet', columns: [{ name: 'id', type: 'string', description: 'Key.', required: true }] },
      sla: { updateFrequency: 'daily', retention: '1 year' },
      quality: [],
      ...extra,
    });

  // sales/src → sales/left → ops/sink (depth 2) and sales/src → sales/right → ops/mid → ops/sink (depth 3);
  // ops/tie reads both sales/left and sales/right (two shortest paths); ops/both reads src@1 and src@2.
  const diamond: Mesh = meshOf([
    {
      domain: 'sales',
      input: product('src', [], {
        version: '2.0.0',
        previousVersions: [
          {
            version: '1.0.0',
            sunset: '2099-12-31',
            schema: {
              format: 'parquet',
              columns: [{ name: 'id', type: 'string', description: 'Key.', required: true }],
            },
          },
        ],
      }),
    },
    { domain: 'sales', input: product('left', ['sales/src@2']) },
    { domain: 'sales', input: product('right', ['sales/src@2']) },
    { domain: 'ops', input: product('mid', ['sales/right@1']) },
    { domain: 'ops', input: product('sink', ['ops/mid@1', 'sales/left@1']) },
    { domain: 'ops', input: product('tie', ['sales/right@1', 'sales/left@1']) },
    { domain: 'ops', input: product('both', ['sales/src@1', 'sales/src@2']) },
  ]);

  test('a product reached on two paths is listed once, on the shortest (ties: through the smaller id)', () => {
    const report = impactOf(diamond, 'sales/src');
    expect(brief(report)).toEqual([
      { product: 'ops/both', depth: 1, reads: 'sales/src@1', path: ['sales/src', 'ops/both'] },
      { product: 'sales/left', depth: 1, reads: 'sales/src@2', path: ['sales/src', 'sales/left'] },
      { product: 'sales/right', depth: 1, reads: 'sales/src@2', path: ['sales/src', 'sales/right'] },
      { product: 'ops/mid', depth: 2, reads: 'sales/right@1', path: ['sales/src', 'sales/right', 'ops/mid'] },
      { product: 'ops/sink', depth: 2, reads: 'sales/left@1', path: ['sales/src', 'sales/left', 'ops/sink'] },
      { product: 'ops/tie', depth: 2, reads: 'sales/left@1', path: ['sales/src', 'sales/left', 'ops/tie'] },
    ]);
    expect(report.consumers.find((c) => c.product === 'ops/both')?.majors).toEqual([1, 2]);
    expect(impactSummary(report)).toBe('6 products would be affected: 2 in sales, 4 in 1 other domain (ops)');
  });

  test('a major filter keeps a reader of two majors with only the major asked about', () => {
    const v1 = impactOf(diamond, 'sales/src', 1);
    expect(v1.consumers.map((c) => [c.product, c.reads, c.majors])).toEqual([['ops/both', 'sales/src@1', [1]]]);
    expect(upstreamOf(diamond, 'ops/both')).toEqual([{ product: 'sales/src', depth: 1, major: 1, majors: [1, 2] }]);
  });

  test('a cycle (which the loader rejects) neither loops nor lists the changed product', () => {
    const src = findProduct(diamond, 'sales', 'src')!;
    const sink = findProduct(diamond, 'ops', 'sink')!;
    const cyclic: Mesh = { ...diamond, edges: [...diamond.edges, { consumer: src, producer: sink, major: 1 }] };
    const ids = impactOf(cyclic, 'sales/src').consumers.map((c) => c.product);
    expect(ids).not.toContain('sales/src');
    expect(ids).toHaveLength(6);
    expect(upstreamOf(cyclic, 'ops/sink').map((u) => u.product)).toEqual([
      'ops/mid',
      'sales/left',
      'sales/right',
      'sales/src',
    ]);
  });
});

describe('rendering', () => {
  test('contract diff shows the direct readers of a major and, indented, what each feeds, with owners', () => {
    expect(formatBreaks(2, impactOf(mesh, 'sales/orders', 2).consumers)).toEqual([
      '    breaks 3 readers of v2 and 1 product downstream:',
      '      customers/customer_segments      Customer Data <customer-data@example.com>',
      '      marketing/campaign_performance   Marketing Analytics <marketing-analytics@example.com>',
      '        marketing/campaign_roi_report  Marketing Analytics <marketing-analytics@example.com>',
      '      sales/revenue_metrics            Sales Data <sales-data@example.com>',
    ]);
    expect(formatBreaks(1, [])).toEqual(['    nothing reads v1: no consumer breaks']);
  });

  test('parseProductReference takes <domain>/<product>[@major] and names the form otherwise', () => {
    expect(parseProductReference('sales/orders')).toEqual({ product: 'sales/orders' });
    expect(parseProductReference('sales/orders@2')).toEqual({ product: 'sales/orders', major: 2 });
    for (const bad of ['orders', 'sales/orders@', 'sales/orders@v2', 'a/b/c']) {
      expect(() => parseProductReference(bad)).toThrow(`"${bad}" is not a product reference`);
    }
  });
});

describe('mesh impact, in-process', () => {
  const impact = (...args: string[]) =>
    runCommand([registerImpactCommand], ['--root', PROJECT_ROOT, 'impact', ...args]);

  test('prints a table of consumers and the summary; --json prints the report', async () => {
    const { stdout, exitCode } = await impact('customers/customer_profiles');
    expect(exitCode).toBeUndefined();
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^consumer\s+depth\s+via\s+owner\s+support$/);
    expect(lines[2]).toMatch(
      /^marketing\/campaign_performance\s+1\s+customers\/customer_profiles@1\s+Marketing Analytics <marketing-analytics@example\.com>\s+slack https:\/\/example\.slack\.com\/archives\/marketing-analytics$/,
    );
    expect(lines[3]).toMatch(/^marketing\/campaign_roi_report\s+2\s+marketing\/campaign_performance@2\s/);
    expect(stdout).toContain('\n\n2 products in 1 other domain (marketing) would be affected\n');
    const json = await impact('sales/orders@1', '--json');
    expect(JSON.parse(json.stdout)).toEqual(impactOf(mesh, 'sales/orders', 1));
  });

  test('nothing downstream is not a failure', async () => {
    expect(await impact('marketing/campaign_roi_report')).toEqual({
      stdout: 'nothing reads marketing/campaign_roi_report\n',
      stderr: '',
      exitCode: undefined,
    });
  });

  test('a reference that names nothing could not run', async () => {
    await expect(impact('sales/orders@9')).rejects.toMatchObject({
      name: 'CommandError',
      message: 'sales/orders has no live major 9 (live: @2, @1)',
    });
    await expect(impact('orders')).rejects.toThrow('"orders" is not a product reference');
  });
});
