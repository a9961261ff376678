/**
 * `mesh sample` draws concept columns from one pool per concept and seed: samples of different products
 * (default seed, default rows) share their customer_id and order_id values, so they join across domains.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conceptValues, SHARED_POOL_SIZE } from '../../lib/concepts/value-pool';
import { findProduct } from '../../lib/mesh/model';
import { findConcept } from '../../lib/policies/concept-registry';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { withDuckDb } from '../../lib/quality/local-runner';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { quoteString } from '../../lib/quality/sql-text';
import { exampleMesh } from './support';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concept-samples-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PRODUCTS = [
  'customers/customer_profiles',
  'sales/orders',
  'customers/customer_segments',
  'marketing/ad_clicks',
  'fulfillment/shipments',
] as const;
const files = new Map<string, string>();

beforeAll(async () => {
  for (const id of PRODUCTS) {
    const [domain, name] = id.split('/');
    const product = findProduct(exampleMesh(), domain, name)!;
    const file = path.join(dir, `${name}.parquet`);
    await writeQualitySample(product, product.versions[0], file);
    files.set(id, file);
  }
}, 60_000);

/** Distinct non-null values of a column of a sample. */
async function values(id: string, column: string): Promise<Set<string>> {
  return withDuckDb(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT ${column} AS v FROM read_parquet(${quoteString(files.get(id)!)}) WHERE ${column} IS NOT NULL`,
    );
    return new Set(reader.getRowObjectsJS().map((row) => String(row.v)));
  });
}

const share = (from: Set<string>, into: Set<string>) => [...from].filter((v) => into.has(v)).length / from.size;

describe('samples join on their shared concepts', () => {
  test('customer_profiles, orders, customer_segments and ad_clicks share customer_id values', async () => {
    const [profiles, orders, segments, clicks] = await Promise.all(
      PRODUCTS.slice(0, 4).map((id) => values(id, 'customer_id')),
    );
    // The owner's product holds every key; the others' foreign keys all find one.
    expect(profiles.size).toBe(1_000);
    expect(share(orders, profiles)).toBe(1);
    expect(share(clicks, profiles)).toBe(1);
    expect(share(segments, profiles)).toBe(1);
    const inAll = [...orders].filter((v) => profiles.has(v) && segments.has(v) && clicks.has(v));
    expect(inAll.length).toBeGreaterThan(250);
    for (const value of inAll) expect(value).toMatch(/^C-[0-9]{6}$/);
  });

  test('shipments find their orders on order_id', async () => {
    const [orders, shipments] = await Promise.all([
      values('sales/orders', 'order_id'),
      values('fulfillment/shipments', 'order_id'),
    ]);
    expect(orders.size).toBe(1_000);
    expect(share(shipments, orders)).toBe(1);
  });

  test("a unique column holds the pool's first values, starting with the concept's examples", async () => {
    const customer = findConcept(CONCEPT_REGISTRY, 'customer_id')!;
    const pool = conceptValues(customer, 1_000, 1);
    expect(pool.slice(0, 2)).toEqual(['C-000001', 'C-004711']);
    expect(await values('customers/customer_profiles', 'customer_id')).toEqual(new Set(pool));
  });
});

describe('concept pools', () => {
  const customer = findConcept(CONCEPT_REGISTRY, 'customer_id')!;

  test('are distinct, match the pattern, and a longer pool starts with a shorter one', () => {
    const long = conceptValues(customer, 2_000, 1);
    expect(new Set(long).size).toBe(2_000);
    for (const value of long) expect(value).toMatch(new RegExp(customer.pattern!));
    expect(conceptValues(customer, SHARED_POOL_SIZE, 1)).toEqual(long.slice(0, SHARED_POOL_SIZE));
  });

  test('differ by seed and by concept', () => {
    const one = conceptValues(customer, 50, 1);
    const two = conceptValues(customer, 50, 2);
    expect(two.slice(0, 2)).toEqual(one.slice(0, 2)); // the examples come first for every seed
    expect(two.slice(2)).not.toEqual(one.slice(2));
    const order = findConcept(CONCEPT_REGISTRY, 'order_id')!;
    for (const value of conceptValues(order, 50, 1)) expect(value).toMatch(/^ORD-[0-9]{10}$/);
  });

  test('every example of the registry matches its concept’s pattern', () => {
    for (const concept of CONCEPT_REGISTRY.concepts) {
      for (const example of concept.examples ?? []) {
        if (concept.pattern) expect(String(example)).toMatch(new RegExp(concept.pattern));
      }
    }
  });
});
