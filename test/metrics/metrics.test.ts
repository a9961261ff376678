/**
 * The mesh's metrics (lib/metrics) on the example mesh, against a table worked out by hand from the files under
 * domains/, then each number where it changes: a stack that takes a value from another, exceptions near and
 * past their last day, majors near and past sunset, quality results with a late freshness check, an empty
 * domain. The assembly facts are written here as the assembly reader returns them (read from a real
 * assembly in test/metrics/cli.slow.test.ts).
 */
import * as path from 'node:path';
import type { Mesh } from '../../lib/mesh/model';
import { domainNames } from '../../lib/mesh/naming';
import {
  type AssemblyFacts,
  computeMeshMetrics,
  type DomainMetrics,
  type MeshMetrics,
  type ReportFacts,
  readQualityResult,
  type StackFacts,
} from '../../lib/metrics';
import { exampleMesh } from '../policies/support/apps';
import { buildMesh, domainSpec, productSpec } from '../policies/support/mesh-builder';

const TODAY = '2026-12-04';
const FIXTURES = path.join(__dirname, 'fixtures');

/** A clean policy report: every check passed. */
function cleanReport(pass: number): ReportFacts {
  return { today: TODAY, pass, fail: 0, excepted: 0, errors: 0, warnings: 0, definitionFiles: [], findings: [] };
}

function stackOf(mesh: Mesh, domain: string, facts: Partial<StackFacts> = {}): StackFacts {
  const id = domainNames(mesh.config, domain).stackName;
  return { id, templates: [`${id}.template.json`], references: [], dependsOn: [], report: cleanReport(100), ...facts };
}

function assemblyOf(stacks: readonly StackFacts[]): AssemblyFacts {
  return { dir: 'cdk.out', stacks };
}

const byDomain = (metrics: MeshMetrics) => new Map(metrics.domains.map((d) => [d.domain, d]));
const domain = (metrics: MeshMetrics, name: string): DomainMetrics => {
  const found = byDomain(metrics).get(name);
  if (!found) throw new Error(`no metrics for ${name}`);
  return found;
};

describe('the example mesh, by hand', () => {
  const mesh = exampleMesh();
  const metrics = computeMeshMetrics({ mesh, today: TODAY });

  /**
   * Worked out from domains/: live majors are the current one plus every previousVersions entry; an edge is one
   * declared input (`inputs: ['sales/orders@2', …]`), counted in where the consumer lives and out where the
   * producer lives when the two domains differ.
   *
   *   customers: customer_profiles v1; customer_segments v2 (+v1)           reads sales/orders@2; read by marketing
   *   fulfillment: delivery_performance v2 (+v1), inventory_history v1,
   *                shipments v1 (reads sales/orders@1)                        in 1 (delivery reads shipments: same domain)
   *   marketing: ad_clicks v1, ad_spend v1, campaign_performance v2 (+v1)
   *              (reads sales/orders@2, customers/customer_profiles@1 and two of its own), campaign_roi_report v2 (+v1)
   *              (reads its own campaign_performance and sales/revenue_metrics@2)                in 3
   *   sales: orders v2 (+v1), revenue_metrics v2 (+v1, reads its own orders)  read 4 times by other domains
   */
  test('products, live majors and cross-domain edges per domain', () => {
    const table = metrics.domains.map((d) => [d.domain, d.products, d.liveMajors, d.edgesIn, d.edgesOut]);
    expect(table).toEqual([
      ['customers', 2, 3, 1, 1],
      ['fulfillment', 3, 4, 1, 0],
      ['marketing', 4, 6, 3, 0],
      ['sales', 2, 4, 0, 4],
    ]);
    expect(metrics.mesh).toMatchObject({ domains: 4, domainStacks: 4, products: 11, liveMajors: 17 });
    // Every cross-domain edge is in one domain's "in" and one domain's "out".
    expect(metrics.mesh.crossDomainEdges).toBe(5);
  });

  test('no exception in the definitions; the earlier majors end in 2027, beyond the 30-day warning', () => {
    for (const d of metrics.domains) {
      expect(d.exceptions).toEqual({ open: 0, expiringWithin30Days: 0, expired: 0 });
      expect([d.majorsNearSunset, d.majorsPastSunset]).toEqual([0, 0]);
    }
  });

  test('the earlier majors come near their sunset in the last 30 days and past it the day after', () => {
    // sales/orders v1 ends 2027-03-31; every other earlier major ends 2027-06-30.
    const march = computeMeshMetrics({ mesh, today: '2027-03-15' });
    expect(domain(march, 'sales')).toMatchObject({ majorsNearSunset: 1, majorsPastSunset: 0 });
    expect(march.mesh).toMatchObject({ majorsNearSunset: 1, majorsPastSunset: 0 });
    const assembly = assemblyOf(mesh.domains.map((d) => stackOf(mesh, d.name)));
    const july = computeMeshMetrics({ mesh, today: '2027-07-01', assembly });
    expect(july.domains.map((d) => [d.domain, d.majorsPastSunset])).toEqual([
      ['customers', 1],
      ['fulfillment', 1],
      ['marketing', 2],
      ['sales', 2],
    ]);
    // Serving a major after its sunset holds the domain at Contracted, with the major to retire named.
    expect(domain(july, 'sales').maturity.level).toBe(2);
    expect(domain(july, 'sales').maturity.gaps).toEqual([
      expect.stringMatching(/^Retire sales\/orders v1: its sunset 2027-03-31 has passed/),
      expect.stringMatching(/^Retire sales\/revenue_metrics v1: its sunset 2027-06-30 has passed/),
    ]);
  });

  test('without an assembly, autonomy and compliance are unknown, never guessed', () => {
    expect(metrics.mesh).toMatchObject({ autonomousStacks: null, autonomyScore: null, compliance: null });
    for (const d of metrics.domains) expect([d.autonomous, d.compliance]).toEqual([null, null]);
    // Contract locks cannot be judged without a report: level 1, and the gap says how to get one.
    expect(domain(metrics, 'sales').maturity).toMatchObject({ level: 1, name: 'Defined' });
    expect(domain(metrics, 'sales').maturity.gaps[0]).toMatch(/^Synthesize the mesh so .* has a policy report/);
  });

  test('with clean policy reports of every stack: autonomy 4 of 4, compliance 100 %, every domain Governed', () => {
    const assembly = assemblyOf(mesh.domains.map((d) => stackOf(mesh, d.name)));
    const governed = computeMeshMetrics({ mesh, today: TODAY, assembly });
    expect(governed.mesh).toMatchObject({ autonomousStacks: 4, autonomyScore: 1 });
    expect(governed.mesh.compliance).toEqual({ rate: 1, pass: 400, fail: 0, excepted: 0, errors: 0, warnings: 0 });
    for (const d of governed.domains) {
      expect(d.maturity).toMatchObject({ level: 3, name: 'Governed' });
      // What holds a Governed domain back: quality results of its current majors.
      expect(d.maturity.gaps).toEqual([expect.stringMatching(/^Check .* \(npx mesh check <domain>\/<product> --json/)]);
    }
  });

  test('a stack that imports another stack’s export, or depends on it in the manifest, is not autonomous', () => {
    const sales = domainNames(mesh.config, 'sales').stackName;
    const assembly = assemblyOf([
      stackOf(mesh, 'customers'),
      stackOf(mesh, 'fulfillment', { dependsOn: [sales] }),
      stackOf(mesh, 'marketing', {
        references: [{ file: 'Mesh-Marketing.template.json', kind: 'Fn::ImportValue', target: 'SalesOrdersBucketArn' }],
      }),
      stackOf(mesh, 'sales'),
    ]);
    const coupled = computeMeshMetrics({ mesh, today: TODAY, assembly });
    expect(coupled.mesh).toMatchObject({ autonomousStacks: 2, autonomyScore: 0.5 });
    expect(domain(coupled, 'fulfillment').autonomyGaps).toEqual([expect.stringContaining(`depend on ${sales}`)]);
    expect(domain(coupled, 'marketing').autonomyGaps).toEqual([
      'Mesh-Marketing.template.json takes values from other stacks (Fn::ImportValue SalesOrdersBucketArn)',
    ]);
    expect(domain(coupled, 'marketing').autonomous).toBe(false);
    expect(domain(coupled, 'customers').autonomous).toBe(true);
  });

  test('a stack missing from the assembly is neither autonomous nor reported on', () => {
    const assembly = assemblyOf([stackOf(mesh, 'customers'), stackOf(mesh, 'sales')]);
    const partial = computeMeshMetrics({ mesh, today: TODAY, assembly });
    expect(partial.mesh.autonomyScore).toBe(0.5);
    expect(domain(partial, 'marketing')).toMatchObject({ autonomous: false, compliance: null });
  });

  test('compliance counts excepted checks as compliant and failed ones against the rate', () => {
    const report: ReportFacts = {
      ...cleanReport(90),
      fail: 6,
      excepted: 4,
      errors: 2,
      warnings: 4,
      findings: [
        {
          ruleId: 'MESH-PROD-010',
          severity: 'error',
          status: 'fail',
          file: 'domains/sales/products/orders.ts',
          message: 'no quality rules',
        },
      ],
    };
    const assembly = assemblyOf([
      ...['customers', 'fulfillment', 'marketing'].map((d) => stackOf(mesh, d)),
      stackOf(mesh, 'sales', { report }),
    ]);
    const failing = computeMeshMetrics({ mesh, today: TODAY, assembly });
    expect(domain(failing, 'sales').compliance).toMatchObject({ rate: 0.94, pass: 90, fail: 6, excepted: 4 });
    expect(failing.mesh.compliance?.rate).toBeCloseTo(394 / 400, 10);
    expect(domain(failing, 'sales').maturity).toMatchObject({ level: 2, name: 'Contracted' });
    expect(domain(failing, 'sales').maturity.gaps).toEqual([
      expect.stringMatching(/^Fix the 1 policy error of .* \(MESH-PROD-010\) on sales\/orders/),
    ]);
  });

  test('quality results give the quality score and SLA adherence of their domain only', () => {
    const assembly = assemblyOf(mesh.domains.map((d) => stackOf(mesh, d.name)));
    const quality = [
      readQualityResult(path.join(FIXTURES, 'orders-v2-passing.json')),
      readQualityResult(path.join(FIXTURES, 'revenue_metrics-v2-late.json')),
    ];
    const checked = computeMeshMetrics({ mesh, today: TODAY, assembly, quality });
    const sales = domain(checked, 'sales');
    // orders v2 passed all 8 checks (score 1); revenue_metrics v2 passed 5 of 7 (its SQL rule and its freshness).
    expect(sales.qualityScore).toBeCloseTo((100 * (1 + 5 / 7)) / 2, 10);
    expect(sales.slaAdherence).toBe(0.5);
    expect(sales.qualityResults).toBe(2);
    expect(checked.mesh).toMatchObject({ qualityResults: 2, slaAdherence: 0.5 });
    expect(domain(checked, 'marketing')).toMatchObject({ qualityScore: null, slaAdherence: null, qualityResults: 0 });
    // Results for every current major, but below the thresholds: Governed, with the two gaps named.
    expect(sales.maturity.level).toBe(3);
    expect(sales.maturity.gaps).toEqual([
      expect.stringMatching(
        /^Raise the quality score of sales from 85.7 to 95 or more: sales\/revenue_metrics v2 scores 71.4/,
      ),
      expect.stringMatching(/^Meet the freshness SLAs of sales \(50 % of checks pass\): sales\/revenue_metrics v2/),
    ]);
  });

  test('a result for a major the mesh does not serve is left out with a note', () => {
    const result = { ...readQualityResult(path.join(FIXTURES, 'orders-v2-passing.json')), major: 7 };
    const metrics = computeMeshMetrics({ mesh, today: TODAY, quality: [result] });
    expect(metrics.mesh.qualityResults).toBe(0);
    expect(metrics.notes).toEqual([expect.stringContaining('sales/orders v7 is not a live major of the mesh')]);
  });
});

describe('exceptions judged on the day', () => {
  const approval = { reason: 'Backfill writes quality rules next quarter.', approvedBy: 'governance-lead@example.com' };
  const mesh = buildMesh([
    {
      domain: domainSpec('lab', { exceptions: [{ rule: 'MESH-S3-006', ...approval, expires: '2027-02-01' }] }),
      products: [
        productSpec('soon', { exceptions: [{ rule: 'MESH-PROD-010', ...approval, expires: '2026-12-14' }] }),
        productSpec('lapsed', { exceptions: [{ rule: 'MESH-PROD-010', ...approval, expires: '2026-11-30' }] }),
      ],
    },
  ]);

  test('open counts the ones still holding; expiring, those within 30 days; expired, those past', () => {
    const metrics = computeMeshMetrics({ mesh, today: TODAY });
    expect(domain(metrics, 'lab').exceptions).toEqual({ open: 2, expiringWithin30Days: 1, expired: 1 });
    expect(metrics.mesh.exceptions).toEqual({ open: 2, expiringWithin30Days: 1, expired: 1 });
  });

  test("the platform's own exceptions count for the mesh, not for a domain", () => {
    const platform = [{ rule: 'MESH-S3-006', ...approval, expires: '2026-12-20' }];
    const metrics = computeMeshMetrics({ mesh, today: TODAY, platformExceptions: platform });
    expect(metrics.mesh.platformExceptions).toEqual({ open: 1, expiringWithin30Days: 1, expired: 0 });
    expect(metrics.mesh.exceptions).toEqual({ open: 3, expiringWithin30Days: 2, expired: 1 });
    expect(domain(metrics, 'lab').exceptions.open).toBe(2);
  });

  test('an expired exception holds a domain below Governed and the gap names the file and entry', () => {
    const assembly = assemblyOf([stackOf(mesh, 'lab')]);
    const lab = domain(computeMeshMetrics({ mesh, today: TODAY, assembly }), 'lab');
    expect(lab.maturity.level).toBe(2);
    expect(lab.maturity.gaps).toEqual([
      expect.stringContaining(
        'MESH-PROD-010 on lab/lapsed (exceptions[0] in domains/lab/products/lapsed.ts, expired 2026-11-30)',
      ),
    ]);
  });
});

describe('edges of the mesh', () => {
  test('a domain with no products: zeros, no rate invented, level 0 with the way out', () => {
    const mesh = buildMesh([{ domain: domainSpec('empty') }]);
    const assembly = assemblyOf([stackOf(mesh, 'empty', { report: cleanReport(0) })]);
    const metrics = computeMeshMetrics({ mesh, today: TODAY, assembly });
    expect(metrics.mesh).toMatchObject({ products: 0, liveMajors: 0, crossDomainEdges: 0, compliance: null });
    expect(domain(metrics, 'empty')).toMatchObject({ products: 0, qualityScore: null, slaAdherence: null });
    expect(domain(metrics, 'empty').maturity).toEqual({
      level: 0,
      name: 'Undefined',
      gaps: ['Define a first product of empty (npx mesh new product empty/<name>).'],
    });
  });

  test('a blocked domain counts as a stack that does not synthesize', () => {
    const mesh = buildMesh([{ domain: domainSpec('ok'), products: [productSpec('p')] }]);
    const assembly = assemblyOf([stackOf(mesh, 'ok')]);
    const metrics = computeMeshMetrics({ mesh, today: TODAY, assembly, blocked: new Map([['broken', [{}, {}]]]) });
    expect(metrics.mesh).toMatchObject({ domainStacks: 2, autonomousStacks: 1, autonomyScore: 0.5 });
    expect(domain(metrics, 'broken')).toMatchObject({ problems: 2, autonomous: false });
    expect(domain(metrics, 'broken').maturity.gaps[0]).toMatch(/^Fix the 2 definition problems of broken/);
  });
});
