/**
 * A concept's pattern is checked on every column that references it: planned with the product's own rules
 * (so mesh check, builds and scheduled checks all run it), shown as the concept's, and kept out of the
 * product's locked contract, whose lock files stay byte for byte what they were.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockFilePath, planLock, readLockFile } from '../../lib/contracts/lock';
import { findProduct, type MeshProduct } from '../../lib/mesh/model';
import { planQualityChecks } from '../../lib/quality/checks';
import { runLocalQualityCheck } from '../../lib/quality/local-runner';
import { buildMesh, domainSpec, productSpec } from '../policies/support/mesh-builder';
import { PROJECT_ROOT } from '../support/temp-project';
import { exampleMesh } from './support';

const product = (id: string): MeshProduct => {
  const [domain, name] = id.split('/');
  return findProduct(exampleMesh(), domain, name)!;
};

const conceptChecks = (p: MeshProduct, major = p.versions[0].major) =>
  planQualityChecks(p, p.versions.find((v) => v.major === major)!)
    .filter((c) => c.concept !== undefined)
    .map(({ id, source, summary, concept, threshold }) => ({ id, source, summary, concept, threshold }));

describe('implied pattern checks', () => {
  test('each referencing column of a version is checked against its concept, named as the concept', () => {
    expect(conceptChecks(product('customers/customer_profiles'))).toEqual([
      {
        id: 'concept_pattern_customer_id',
        source: 'schema.columns[0].concept',
        summary: 'customer_id matches ^C-[0-9]{6}$ (concept customer_id)',
        concept: 'customer_id',
        threshold: { comparator: 'mustBe', value: 0 },
      },
      {
        id: 'concept_pattern_country',
        source: 'schema.columns[3].concept',
        summary: 'country matches ^[A-Z]{2}$ (concept country_code)',
        concept: 'country_code',
        threshold: { comparator: 'mustBe', value: 0 },
      },
    ]);
  });

  test("a product's own pattern rule on the column replaces the concept's; earlier majors point at their schema", () => {
    const orders = product('sales/orders');
    // orders checks order_id with its own pattern rule (quality[5]): only customer_id gets the concept's.
    expect(conceptChecks(orders).map((c) => c.source)).toEqual(['schema.columns[1].concept']);
    expect(conceptChecks(orders, 1).map((c) => c.source)).toEqual(['previousVersions[0].schema.columns[1].concept']);
  });

  test('they come after the rules the product wrote, whose ids do not move', () => {
    const ids = planQualityChecks(product('fulfillment/shipments'), product('fulfillment/shipments').versions[0]).map(
      (c) => c.id,
    );
    expect(ids).toEqual([
      'r01_unique_shipment_id',
      'r02_not_null_order_id',
      'r03_accepted_values_carrier',
      'r04_range_weight_grams',
      'r05_freshness_shipped_at',
      'sla_freshness_shipped_at',
      'concept_pattern_order_id',
    ]);
  });

  test('a column that references no concept, or one without a pattern, implies nothing', () => {
    const mesh = buildMesh([
      {
        domain: domainSpec('lab'),
        products: [
          productSpec('plain', {
            schema: {
              columns: [
                { name: 'id', type: 'string', description: 'Key.' },
                { name: 'net', concept: 'money_amount', type: 'decimal(9,2)', currency: 'EUR' },
                { name: 'updated_at', type: 'timestamp', description: 'Change.' },
              ],
            },
          }),
        ],
      },
    ]);
    const [plain] = mesh.domains[0].products;
    expect(conceptChecks(plain)).toEqual([]);
  });
});

describe('the locked contract is the product’s promise, not the concept’s', () => {
  test.each([
    'customers/customer_profiles',
    'customers/customer_segments',
    'sales/orders',
    'marketing/ad_clicks',
    'fulfillment/shipments',
  ])('the lock of %s is unchanged by its concept references', (id) => {
    const p = product(id);
    const existing = readLockFile(PROJECT_ROOT, lockFilePath(p), p.id).lock;
    expect(existing).toBeDefined();
    const plan = planLock(p, existing, '2026-06-01');
    expect(plan.changed).toBe(false);
    expect(JSON.stringify(plan.lock)).not.toContain('^C-[0-9]{6}$');
  });
});

describe('on data (DuckDB)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concept-checks-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a customer id that does not follow the concept fails the concept check, and only that check', async () => {
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
    const file = path.join(dir, 'profiles.csv');
    fs.writeFileSync(
      file,
      [
        'customer_id,email,phone,country,marketing_consent,registered_at,updated_at',
        `C-000001,a@example.com,+4915112345678,DE,true,${now},${now}`,
        `C-000002,b@example.com,+4915112345679,FR,false,${now},${now}`,
        `cust-3,c@example.com,+4915112345670,NL,true,${now},${now}`,
      ].join('\n'),
    );
    const profiles = product('customers/customer_profiles');
    const { report } = await runLocalQualityCheck(profiles, profiles.versions[0], { path: file });
    const failed = report.results.filter((r) => r.status !== 'pass');
    expect(failed.map((r) => [r.source, r.summary, r.measured])).toEqual([
      ['schema.columns[0].concept', 'customer_id matches ^C-[0-9]{6}$ (concept customer_id)', 1],
    ]);
    expect(report.results.find((r) => r.id === 'concept_pattern_customer_id')?.description).toBe(
      'pattern of the shared concept customer_id (lib/policies/concepts.ts)',
    );
  });
});
