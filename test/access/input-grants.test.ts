import { fillPlaceholders, type PlaceholderValues } from '../../lib/access/env';
import { inputGrantStatements, inputPolicyName, inputReadsOf } from '../../lib/access/input-grants';
import type { PolicyStatementJson } from '../../lib/access/policy-json';
import { loadMesh } from '../../lib/mesh/load';
import { findDomain, type Mesh } from '../../lib/mesh/model';
import { PROJECT_ROOT } from './support/synth-mesh';
import { domain, product, removeTempProject, writeTempProject } from './support/temp-project';

const VALUES: PlaceholderValues = {
  partition: 'aws',
  account: '111111111111',
  region: 'eu-west-1',
  urlSuffix: 'amazonaws.com',
};

function grantsOf(mesh: Mesh, name: string): PolicyStatementJson[] {
  return fillPlaceholders(inputGrantStatements(mesh, findDomain(mesh, name)!), VALUES);
}

describe('input grants of the example mesh', () => {
  const mesh = loadMesh({ root: PROJECT_ROOT });

  test('marketing reads exactly the versions its products declare, from other domains only', () => {
    expect(inputReadsOf(mesh, findDomain(mesh, 'marketing')!).map((r) => `${r.product.id}@${r.major}`)).toEqual([
      'customers/customer_profiles@1',
      'sales/orders@2',
      'sales/revenue_metrics@2',
    ]);
  });

  test('objects: GetObject on each input version prefix, nothing wider', () => {
    const objects = grantsOf(mesh, 'marketing').find((s) => s.Sid === 'ReadInputObjects');
    expect(objects).toEqual({
      Sid: 'ReadInputObjects',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [
        'arn:aws:s3:::acme-customers-data-111111111111-eu-west-1/products/customer_profiles/v1/*',
        'arn:aws:s3:::acme-sales-data-111111111111-eu-west-1/products/orders/v2/*',
        'arn:aws:s3:::acme-sales-data-111111111111-eu-west-1/products/revenue_metrics/v2/*',
      ],
    });
  });

  test('listing: ListBucket on each producer bucket, limited to the prefixes read there', () => {
    const lists = grantsOf(mesh, 'marketing').filter((s) => s.Action === 's3:ListBucket');
    expect(lists).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [
          'arn:aws:s3:::acme-customers-data-111111111111-eu-west-1',
          'arn:aws:s3:::acme-sales-data-111111111111-eu-west-1',
        ],
        Condition: {
          StringLike: {
            's3:prefix': ['products/customer_profiles/v1/*', 'products/orders/v2/*', 'products/revenue_metrics/v2/*'],
          },
        },
      },
    ]);
  });

  test('catalog: Glue reads on the exact catalog, database and table ARNs', () => {
    const catalog = grantsOf(mesh, 'marketing').find((s) => s.Sid === 'ReadInputCatalog');
    expect(catalog?.Action).toEqual(['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions']);
    expect(catalog?.Resource).toEqual([
      'arn:aws:glue:eu-west-1:111111111111:catalog',
      'arn:aws:glue:eu-west-1:111111111111:database/acme_customers',
      'arn:aws:glue:eu-west-1:111111111111:database/acme_sales',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_customers/customer_profiles_v1',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_sales/orders_v2',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_sales/revenue_metrics_v2',
    ]);
  });

  test('keys: Decrypt only through S3, only on keys carrying the producers’ aliases', () => {
    expect(grantsOf(mesh, 'marketing').find((s) => s.Sid === 'DecryptInputsViaS3')).toEqual({
      Sid: 'DecryptInputsViaS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*',
      Condition: {
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/acme/customers', 'alias/acme/sales'] },
      },
    });
  });

  test('no statement allows an action wildcard; the only resource pattern is the bucket-location one', () => {
    for (const statement of grantsOf(mesh, 'marketing')) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
    }
    expect(grantsOf(mesh, 'marketing').find((s) => s.Sid === 'LocateInputBuckets')?.Resource).toBe(
      'arn:aws:s3:::acme-*-data-*-*',
    );
  });

  test('inputs inside the own domain need no grant, and a domain without inputs gets none', () => {
    expect(grantsOf(mesh, 'sales')).toEqual([]);
    // fulfillment/delivery_performance reads fulfillment/shipments: only sales/orders@1 is granted.
    expect(inputReadsOf(mesh, findDomain(mesh, 'fulfillment')!).map((r) => `${r.product.id}@${r.major}`)).toEqual([
      'sales/orders@1',
    ]);
  });

  test('managed policy names are derived from the domain', () => {
    expect(inputPolicyName(mesh, 'customer_care', 2)).toBe('acme-customer-care-inputs-2');
  });

  test('ARNs of other domains are written with placeholders the consumer stack fills', () => {
    const raw = inputGrantStatements(mesh, findDomain(mesh, 'marketing')!);
    expect(JSON.stringify(raw)).toContain(
      'arn:{partition}:s3:::acme-sales-data-{account}-{region}/products/orders/v2/*',
    );
  });
});

describe('input grants across accounts and same-named products', () => {
  let root: string;
  let mesh: Mesh;
  beforeAll(() => {
    root = writeTempProject([
      {
        definition: domain('sales', { env: { account: '222222222222', region: 'us-east-1' } }),
        products: [product('orders')],
      },
      { definition: domain('stores'), products: [product('orders'), product('stock')] },
      {
        definition: domain('finance'),
        products: [product('ledger', { inputs: ['sales/orders@1', 'stores/stock@1'] })],
      },
    ]);
    mesh = loadMesh({ root });
  });
  afterAll(() => removeTempProject(root));

  test('a producer that pins its env is addressed with its account and region, others with the stack’s', () => {
    const raw = inputGrantStatements(mesh, findDomain(mesh, 'finance')!);
    const objects = raw.find((s) => s.Sid === 'ReadInputObjects')?.Resource;
    expect(objects).toEqual([
      'arn:{partition}:s3:::acme-sales-data-222222222222-us-east-1/products/orders/v1/*',
      'arn:{partition}:s3:::acme-stores-data-{account}-{region}/products/stock/v1/*',
    ]);
    const keys = raw.filter((s) => s.Action === 'kms:Decrypt');
    expect(keys.map((k) => [k.Resource, k.Condition?.StringEquals['kms:ViaService']])).toEqual([
      ['arn:{partition}:kms:us-east-1:222222222222:key/*', 's3.us-east-1.{urlSuffix}'],
      ['arn:{partition}:kms:{region}:{account}:key/*', 's3.{region}.{urlSuffix}'],
    ]);
  });

  test('a bucket never shares a listing statement that would open a same-named product it does not read', () => {
    // stores has its own "orders"; finance reads sales/orders only, so the stores bucket must not get that prefix.
    const lists = inputGrantStatements(mesh, findDomain(mesh, 'finance')!).filter((s) => s.Action === 's3:ListBucket');
    const storesList = lists.find((s) => JSON.stringify(s.Resource).includes('acme-stores-data'));
    expect(storesList?.Resource).toEqual(['arn:{partition}:s3:::acme-stores-data-{account}-{region}']);
    expect(storesList?.Condition?.StringLike['s3:prefix']).toEqual(['products/stock/v1/*']);
  });
});
