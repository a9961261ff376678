import { FENCED_READS, FENCED_WRITES } from '../../lib/access/bucket-fence';
import { fillPlaceholders, type PlaceholderValues } from '../../lib/access/env';
import { readerScope } from '../../lib/access/principals';
import {
  bucketFenceStatements,
  keyFenceStatements,
  logsBucketFenceStatements,
  resultsBucketFenceStatements,
  sharedGroups,
} from '../../lib/access/producer-fences';
import { loadMesh } from '../../lib/mesh/load';
import { findDomain, findProduct, type Mesh } from '../../lib/mesh/model';
import { PROJECT_ROOT } from './support/synth-mesh';
import { domain, product, removeTempProject, writeTempProject } from './support/temp-project';

const VALUES: PlaceholderValues = {
  partition: 'aws',
  account: '111111111111',
  region: 'eu-west-1',
  urlSuffix: 'amazonaws.com',
};
const role = (name: string) => `arn:aws:iam::111111111111:role/acme-${name}`;
const BUCKET = 'arn:aws:s3:::acme-fulfillment-data-111111111111-eu-west-1';
/** The domain's two roles and the pattern of its execution roles. */
const OWN = [role('fulfillment-producer'), role('fulfillment-consumer'), role('fulfillment.run.*')];

describe('producer fences of the example mesh (fulfillment: one private, one mesh, one consumers product)', () => {
  const mesh = loadMesh({ root: PROJECT_ROOT });
  const fulfillment = findDomain(mesh, 'fulfillment')!;
  const statements = fillPlaceholders(bucketFenceStatements(mesh, fulfillment), VALUES);
  const bySid = (sid: string) => statements.find((s) => s.Sid === sid);

  test('only the producer role and the domain’s execution roles write objects', () => {
    expect(bySid('DenyWritesOutsideProducer')).toEqual({
      Sid: 'DenyWritesOutsideProducer',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:AbortMultipartUpload'],
      Resource: `${BUCKET}/*`,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [role('fulfillment-producer'), role('fulfillment.run.*')] } },
    });
  });

  test('everything but the shared products is read by the domain’s own roles only (private products cost nothing)', () => {
    expect(bySid('DenyReadsOutsideDomain')).toEqual({
      Sid: 'DenyReadsOutsideDomain',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:GetObject*', 's3:ListBucket*'],
      NotResource: [`${BUCKET}/products/inventory_history/*`, `${BUCKET}/products/shipments/*`],
      Condition: {
        ArnNotLike: { 'aws:PrincipalArn': OWN },
        StringNotLikeIfExists: { 's3:prefix': ['products/inventory_history/*', 'products/shipments/*'] },
      },
    });
    expect(JSON.stringify(statements)).not.toContain('delivery_performance');
  });

  test('nobody outside the mesh’s role names reads anything: one constant statement, so mesh-visible products cost nothing and a new domain needs no producer deploy', () => {
    expect(bySid('DenyReadsOutsideMesh')).toMatchObject({
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn': [
            ...OWN,
            'arn:aws:iam::*:role/acme-*-producer',
            'arn:aws:iam::*:role/acme-*-consumer',
            'arn:aws:iam::*:role/acme-*.run.*',
          ],
        },
      },
    });
    expect(JSON.stringify(bySid('DenyReadsOutsideMesh'))).not.toContain('shipments');
  });

  test('other domains list only inside a product version prefix', () => {
    expect(bySid('DenyShallowListings')).toMatchObject({
      Action: 's3:ListBucket*',
      Resource: BUCKET,
      Condition: {
        ArnNotLike: { 'aws:PrincipalArn': OWN },
        StringNotLikeIfExists: { 's3:prefix': 'products/*/v*/*' },
      },
    });
  });

  test('the listed form of the private fence names the private products instead of the shared ones', () => {
    const listed = fillPlaceholders(bucketFenceStatements(mesh, fulfillment, 'listed'), VALUES);
    expect(listed.find((s) => s.Sid === 'DenyReadsOutsideDomain')).toMatchObject({
      Resource: [BUCKET, `${BUCKET}/products/delivery_performance/*`],
      Condition: { StringLikeIfExists: { 's3:prefix': ['products/delivery_performance/*'] } },
    });
  });

  test('products shared by name are fenced to the named domains’ two roles and execution roles, from the contract alone', () => {
    expect(bySid('DenyReadsOutsideConsumers1')).toMatchObject({
      Resource: [BUCKET, `${BUCKET}/products/inventory_history/*`],
      Condition: {
        // One pattern for producer and consumer (`????u?er`), one for the execution roles.
        ArnNotLike: { 'aws:PrincipalArn': [...OWN, role('sales-????u?er'), role('sales.run.*')] },
      },
    });
  });

  test('the key decrypts for the union of readers and encrypts for the own roles and execution roles only', () => {
    const [decrypt, encrypt] = fillPlaceholders(keyFenceStatements(mesh, fulfillment), VALUES);
    expect(decrypt.Action).toEqual(['kms:Decrypt', 'kms:ReEncryptFrom']);
    expect(decrypt.Condition?.ArnNotLike['aws:PrincipalArn']).toContain('arn:aws:iam::*:role/acme-*-consumer');
    expect(encrypt.Action).toEqual(['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncryptTo']);
    expect(encrypt.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': OWN } });
  });

  test('other domains decrypt only with the data bucket’s encryption context, so results under the same key stay with the domain', () => {
    const decryptOutsideData = fillPlaceholders(keyFenceStatements(mesh, fulfillment), VALUES)[2];
    expect(decryptOutsideData).toEqual({
      Sid: 'DenyDecryptOutsideDataBucket',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: {
        ArnNotLike: { 'aws:PrincipalArn': OWN },
        StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] },
      },
    });
  });

  test('the Athena results bucket is read and written by the domain’s two roles and its execution roles only', () => {
    const results = 'arn:aws:s3:::acme-fulfillment-athena-111111111111-eu-west-1';
    expect(fillPlaceholders(resultsBucketFenceStatements(mesh, fulfillment), VALUES)).toEqual([
      {
        Sid: 'DenyWritesOutsideDomain',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: FENCED_WRITES,
        Resource: `${results}/*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': OWN } },
      },
      {
        Sid: 'DenyReadsOutsideDomain',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: FENCED_READS,
        Resource: [results, `${results}/*`],
        Condition: { ArnNotLike: { 'aws:PrincipalArn': OWN } },
      },
    ]);
  });

  test('the access-log bucket is written by S3 log delivery alone, for the domain’s own buckets in its account', () => {
    const logs = 'arn:aws:s3:::acme-fulfillment-logs-111111111111-eu-west-1';
    const statements = fillPlaceholders(logsBucketFenceStatements(mesh, fulfillment), VALUES);
    expect(statements.map((s) => [s.Sid, s.Principal, s.Condition])).toEqual([
      ['DenyWritesOutsideServices', { AWS: '*' }, { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } }],
      [
        'DenyServiceWritesForOtherSources',
        { Service: 'logging.s3.amazonaws.com' },
        {
          ArnNotEquals: {
            'aws:SourceArn': [BUCKET, 'arn:aws:s3:::acme-fulfillment-athena-111111111111-eu-west-1'],
          },
        },
      ],
      [
        'DenyServiceWritesForOtherAccounts',
        { Service: 'logging.s3.amazonaws.com' },
        { StringNotEquals: { 'aws:SourceAccount': '111111111111' } },
      ],
      [
        'DenyReadsOutsideDomain',
        { AWS: '*' },
        { ArnNotEquals: { 'aws:PrincipalArn': [role('fulfillment-producer'), role('fulfillment-consumer')] } },
      ],
    ]);
    for (const write of statements.slice(0, 3))
      expect([write.Action, write.Resource]).toEqual([FENCED_WRITES, `${logs}/*`]);
  });

  test('groups come mesh first, then one per consumer list', () => {
    expect(readerScope(findProduct(mesh, 'customers', 'customer_profiles')!)).toEqual({
      kind: 'consumers',
      domains: ['marketing'],
    });
    expect(sharedGroups(findDomain(mesh, 'customers')!).map((g) => g.products)).toEqual([
      ['customer_segments'],
      ['customer_profiles'],
    ]);
  });
});

describe('reader scopes and grouping', () => {
  let root: string;
  let mesh: Mesh;
  beforeAll(() => {
    const consumers = (...domains: string[]) => ({
      visibility: 'consumers' as const,
      consumers: domains.map((d) => ({ domain: d, purpose: 'Reporting' })),
    });
    root = writeTempProject([
      {
        definition: domain('hub'),
        products: [
          product('a', { access: consumers('x', 'y') }),
          product('b', { access: consumers('y', 'x') }),
          product('c', { access: consumers('x') }),
          product('old', { status: 'retired', access: consumers('x') }),
          product('secret', { access: { visibility: 'domain' } }),
        ],
      },
      { definition: domain('x') },
      { definition: domain('y') },
    ]);
    mesh = loadMesh({ root });
  });
  afterAll(() => removeTempProject(root));

  test('products with the same consumer domains share one statement, whatever the order they are listed in', () => {
    const groups = sharedGroups(findDomain(mesh, 'hub')!);
    expect(groups.map((g) => [g.products, g.scope])).toEqual([
      [['c'], { kind: 'consumers', domains: ['x'] }],
      [['a', 'b'], { kind: 'consumers', domains: ['x', 'y'] }],
    ]);
  });

  test('a domain sharing nothing fences its whole bucket and its key to its own roles', () => {
    const x = findDomain(mesh, 'x')!;
    const reads = fillPlaceholders(bucketFenceStatements(mesh, x), VALUES).find(
      (s) => s.Sid === 'DenyReadsOutsideDomain',
    );
    expect(reads?.Resource).toEqual([
      'arn:aws:s3:::acme-x-data-111111111111-eu-west-1',
      'arn:aws:s3:::acme-x-data-111111111111-eu-west-1/*',
    ]);
    const [decrypt] = fillPlaceholders(keyFenceStatements(mesh, x), VALUES);
    expect(decrypt.Condition?.ArnNotLike['aws:PrincipalArn']).toEqual([
      role('x-producer'),
      role('x-consumer'),
      role('x.run.*'),
    ]);
  });

  test('a retired product accepts no consumers: it is fenced like a private one', () => {
    expect(readerScope(findProduct(mesh, 'hub', 'old')!)).toEqual({ kind: 'domain' });
    const fence = fillPlaceholders(bucketFenceStatements(mesh, findDomain(mesh, 'hub')!), VALUES);
    expect(JSON.stringify(fence.find((s) => s.Sid === 'DenyReadsOutsideDomain')?.NotResource)).not.toContain(
      'products/old/',
    );
  });
});
