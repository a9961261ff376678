import * as fs from 'node:fs';
import { type OdcsContract, type OdcsProperty, toOdcsContract } from '../../lib/contracts/odcs';
import { BUNDLED_ODCS_SCHEMA, createOdcsValidator, loadOdcsValidator } from '../../lib/contracts/odcs-validate';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts, findProduct } from '../../lib/mesh/model';
import { meshOf, ordersInput, PROJECT_ROOT } from './fixtures';

const mesh = loadMesh({ root: PROJECT_ROOT });
const orders = findProduct(mesh, 'sales', 'orders')!;
const [ordersV2, ordersV1] = orders.versions;

/** JSON round trip: what a YAML or JSON reader of the export sees. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const property = (doc: OdcsContract, name: string): OdcsProperty =>
  doc.schema[0].properties.find((p) => p.name === name)!;

const SCHEMA = JSON.parse(fs.readFileSync(BUNDLED_ODCS_SCHEMA, 'utf8')) as Record<string, unknown>;

describe('validation against the official ODCS v3.1.0 JSON schema', () => {
  test('every major of every example product validates', () => {
    const validate = createOdcsValidator(SCHEMA);
    const results = allProducts(mesh).flatMap((product) =>
      product.versions.map((version) => [
        `${product.id}@${version.major}`,
        validate(plain(toOdcsContract(mesh, product, version))),
      ]),
    );
    expect(results).toHaveLength(17);
    expect(results.filter(([, errors]) => errors.length > 0)).toEqual([]);
  });

  test('a domain with env validates with stock format checks, no placeholders left', () => {
    const strict = createOdcsValidator(SCHEMA, { allowUriTemplates: false });
    const pinned = meshOf([{ domain: 'sales', input: ordersInput() }], {
      sales: { env: { account: '123456789012', region: 'eu-west-1' } },
    });
    const product = pinned.domains[0].products[0];
    const doc = plain(toOdcsContract(pinned, product, product.versions[0]));
    expect(strict(doc)).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/\{account\}|\{region\}/);
  });

  test('the validator rejects what the standard does not allow', () => {
    const validate = createOdcsValidator(SCHEMA);
    const doc = plain(toOdcsContract(mesh, orders, ordersV2));
    doc.kind = 'Contract';
    doc.schema[0].properties[0].logicalType = 'text';
    delete doc.servers[0].location;
    const errors = validate(doc);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/kind: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/schema\/0\/properties\/0\/logicalType: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/servers\/0: must have required property 'location'/),
      ]),
    );
  });
});

describe('the shipped schema', () => {
  test('loads by default and validates, so no export is ever written unchecked', () => {
    const validate = loadOdcsValidator();
    expect(validate(plain(toOdcsContract(mesh, orders, ordersV2)))).toEqual([]);
    expect(validate({ kind: 'DataContract' }).length).toBeGreaterThan(0);
  });

  test('a schema file that cannot be read is an error naming the file, not a silent skip', () => {
    expect(() => loadOdcsValidator('no/such/odcs.json')).toThrow('cannot read the ODCS schema no/such/odcs.json');
  });
});

describe('toOdcsContract', () => {
  const v2 = toOdcsContract(mesh, orders, ordersV2);
  const v1 = toOdcsContract(mesh, orders, ordersV1);

  test('identifies the product major', () => {
    expect(v2).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'acme.sales.orders.v2',
      name: 'Orders',
      version: '2.0.0',
      status: 'active',
      domain: 'sales',
      dataProduct: 'orders',
      description: { purpose: expect.stringContaining('Every order'), usage: expect.any(String) },
      team: { name: 'Sales Data', members: [{ username: 'sales-data@example.com', role: 'owner' }] },
      tags: ['orders', 'revenue'],
    });
    expect(v2.support).toEqual([
      expect.objectContaining({ channel: 'slack', url: 'https://example.slack.com/archives/sales-data' }),
    ]);
  });

  test('one schema object: the Glue table, its columns with types, keys, partitions and classification', () => {
    expect(v2.schema).toHaveLength(1);
    expect(v2.schema[0]).toMatchObject({ name: 'orders', physicalName: 'orders_v2', physicalType: 'table' });
    expect(property(v2, 'order_id')).toMatchObject({
      logicalType: 'string',
      physicalType: 'string',
      required: true,
      unique: true,
      primaryKey: true,
      primaryKeyPosition: 1,
      classification: 'internal',
      logicalTypeOptions: { pattern: '^ORD-[0-9]{10}$' },
    });
    expect(property(v2, 'net_amount')).toMatchObject({
      logicalType: 'number',
      physicalType: 'decimal(12,2)',
      logicalTypeOptions: { minimum: -100000, maximum: 100000 },
    });
    expect(property(v2, 'order_date')).toMatchObject({ partitioned: true, partitionKeyPosition: 1 });
    expect(property(v2, 'order_id').partitioned).toBeUndefined();
  });

  test('arrays and structs get items and properties', () => {
    expect(property(v2, 'lines')).toMatchObject({
      logicalType: 'array',
      physicalType: 'array<struct<sku:string,quantity:int,unit_price:decimal(12,2)>>',
      items: {
        logicalType: 'object',
        properties: [
          { name: 'sku', logicalType: 'string', physicalType: 'string' },
          { name: 'quantity', logicalType: 'integer', physicalType: 'int' },
          { name: 'unit_price', logicalType: 'number', physicalType: 'decimal(12,2)' },
        ],
      },
    });
  });

  test('quality rules use library metrics where ODCS has them, SQL otherwise', () => {
    const rules = [...(v2.schema[0].quality ?? []), ...v2.schema[0].properties.flatMap((p) => p.quality ?? [])];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId.table_rowCount).toMatchObject({ type: 'library', metric: 'rowCount', mustBeGreaterThan: 0 });
    expect(byId.order_id_notNull).toMatchObject({ type: 'library', metric: 'nullValues', mustBe: 0 });
    expect(byId.order_id_unique).toMatchObject({ type: 'library', metric: 'duplicateValues', mustBe: 0 });
    expect(byId.channel_acceptedValues).toMatchObject({
      metric: 'invalidValues',
      arguments: { validValues: ['web', 'store', 'phone'] },
    });
    expect(byId.net_amount_range).toMatchObject({
      type: 'sql',
      query: 'SELECT count(*) FROM acme_sales.orders_v2 WHERE net_amount < -100000 OR net_amount > 100000',
      mustBe: 0,
    });
    expect(byId.order_id_pattern).toMatchObject({
      type: 'sql',
      query: "SELECT count(*) FROM acme_sales.orders_v2 WHERE NOT regexp_like(order_id, '^ORD-[0-9]{10}$')",
    });
  });

  test('SLA: latency on the freshness column, frequency and retention', () => {
    expect(v2.slaProperties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: 'latency', value: 2, unit: 'hours', element: 'orders_v2.ordered_at' }),
        expect.objectContaining({ property: 'frequency', value: 1, unit: 'hours' }),
        expect.objectContaining({ property: 'retention', value: 10, unit: 'years' }),
      ]),
    );
  });

  test('servers: the S3 prefix and the Athena database, account and region resolved at deploy', () => {
    expect(v2.servers).toEqual([
      expect.objectContaining({
        type: 's3',
        location: 's3://acme-sales-data-{account}-{region}/products/orders/v2/',
        format: 'parquet',
      }),
      expect.objectContaining({
        type: 'athena',
        schema: 'acme_sales',
        catalog: 'awsdatacatalog',
        stagingDir: 's3://acme-sales-athena-{account}-{region}/',
      }),
    ]);
    expect(v2.customProperties).toContainEqual(expect.objectContaining({ property: 'resolvedAtDeploy' }));
  });

  test('with env: concrete names, region and a Glue server', () => {
    const pinned = meshOf([{ domain: 'sales', input: ordersInput() }], {
      sales: { env: { account: '123456789012', region: 'eu-west-1' } },
    });
    const product = pinned.domains[0].products[0];
    const doc = toOdcsContract(pinned, product, product.versions[0]);
    expect(doc.servers).toEqual([
      expect.objectContaining({
        type: 's3',
        location: 's3://acme-sales-data-123456789012-eu-west-1/products/orders/v2/',
      }),
      expect.objectContaining({ type: 'athena', regionName: 'eu-west-1' }),
      expect.objectContaining({ type: 'glue', account: '123456789012', database: 'acme_sales' }),
    ]);
  });

  test('an export env places domains that pin none: real addresses, valid with stock format checks', () => {
    const strict = createOdcsValidator(SCHEMA, { allowUriTemplates: false });
    const env = { account: '210987654321', region: 'eu-central-1' };
    const doc = plain(toOdcsContract(mesh, orders, ordersV2, { env }));
    expect(strict(doc)).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/\{account\}|\{region\}/);
    expect(doc.servers).toEqual([
      expect.objectContaining({ location: 's3://acme-sales-data-210987654321-eu-central-1/products/orders/v2/' }),
      expect.objectContaining({
        stagingDir: 's3://acme-sales-athena-210987654321-eu-central-1/',
        regionName: 'eu-central-1',
      }),
      expect.objectContaining({ type: 'glue', account: '210987654321' }),
    ]);
    expect(doc.customProperties).not.toContainEqual(expect.objectContaining({ property: 'resolvedAtDeploy' }));
  });

  test("a domain's own env wins over the export env", () => {
    const pinned = meshOf([{ domain: 'sales', input: ordersInput() }], {
      sales: { env: { account: '123456789012', region: 'eu-west-1' } },
    });
    const product = pinned.domains[0].products[0];
    const doc = toOdcsContract(pinned, product, product.versions[0], {
      env: { account: '210987654321', region: 'eu-central-1' },
    });
    expect(doc.servers[0]).toMatchObject({ server: 'acme-sales-data-123456789012-eu-west-1' });
    expect(JSON.stringify(doc)).not.toContain('210987654321');
  });

  test('a deprecated product publishes its sunset as the end of life of its current major', () => {
    const ending = meshOf([{ domain: 'sales', input: ordersInput({ status: 'deprecated', sunset: '2027-06-30' }) }]);
    const product = ending.domains[0].products[0];
    const doc = toOdcsContract(ending, product, product.versions[0]);
    expect(doc.status).toBe('deprecated');
    expect(doc.customProperties).toContainEqual({
      property: 'sunset',
      value: '2027-06-30',
      description: 'last day this product is served',
    });
    expect(doc.customProperties).not.toContainEqual(expect.objectContaining({ property: 'supersededBy' }));
    expect(doc.slaProperties).toContainEqual(expect.objectContaining({ property: 'endOfLife', value: '2027-06-30' }));
    expect(createOdcsValidator(SCHEMA)(plain(doc))).toEqual([]);
  });

  test('roles: producer writes, consumer roles read, including domains that read this major', () => {
    expect(v2.roles.map((r) => [r.role, r.access])).toEqual([
      ['acme-sales-producer', 'write'],
      ['acme-sales-consumer', 'read'],
      ['acme-customers-consumer', 'read'],
      ['acme-marketing-consumer', 'read'],
    ]);
    expect(v1.roles.map((r) => r.role)).toEqual([
      'acme-sales-producer',
      'acme-sales-consumer',
      'acme-fulfillment-consumer',
    ]);
  });

  test('an earlier major is deprecated, carries its sunset, its own table and no quality rules', () => {
    expect(v1).toMatchObject({ version: '1.3.0', status: 'deprecated' });
    expect(v1.schema[0]).toMatchObject({ physicalName: 'orders_v1' });
    expect(v1.schema[0].quality).toBeUndefined();
    expect(property(v1, 'total_amount')).toMatchObject({ physicalType: 'decimal(12,2)' });
    expect(v1.customProperties).toEqual(
      expect.arrayContaining([
        { property: 'sunset', value: '2027-03-31', description: 'last day this major is served' },
        { property: 'supersededBy', value: 'sales/orders@2' },
      ]),
    );
    expect(v1.slaProperties).toContainEqual(expect.objectContaining({ property: 'endOfLife', value: '2027-03-31' }));
  });

  test('custom properties carry what ODCS lacks: archetype, visibility, inputs', () => {
    const shipments = findProduct(mesh, 'fulfillment', 'shipments')!;
    const doc = toOdcsContract(mesh, shipments, shipments.versions[0]);
    expect(doc.customProperties).toEqual(
      expect.arrayContaining([
        { property: 'archetype', value: 'source-aligned' },
        { property: 'visibility', value: 'mesh' },
        { property: 'inputs', value: ['sales/orders@1'] },
      ]),
    );
  });
});
