/**
 * Resource rules, table-driven: every rule has a non-compliant hand-written resource in the sales domain
 * stack (the engine checks resources, not only definitions) and compliant ones beside it. The platform's own
 * resources are the other compliant case (rules-compliant.test.ts).
 */
import { Aws, type CfnResource, Fn, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DomainStack } from '../../constructs/domain-stack';
import { PLATFORM_RULES } from '../../lib/policies';
import { allMessages, exampleMesh, governedApp, type Level, messagesOf, text } from './support/apps';
import {
  ACCOUNT_ROOT,
  addBucket,
  addKey,
  addPolicy,
  addRole,
  addTable,
  addWorkGroup,
  bucketName,
  compliantWorkGroupConfiguration,
  readOwnData,
} from './support/hand-written';

interface Case {
  readonly rule: string;
  /** Construct id of the violating resource(s). */
  readonly id: string;
  readonly build: (scope: Construct, stack: DomainStack) => void;
  readonly level?: Level;
  /** Builds under this product's construct instead of the domain stack. */
  readonly product?: string;
  /** Text the message must contain. */
  readonly says?: string;
}

const ROOT = ACCOUNT_ROOT;
const RUNTIME_RULE_IDS = PLATFORM_RULES.filter((r) => r.id.startsWith('MESH-RUN-')).map((r) => r.id);

const CASES: readonly Case[] = [
  {
    rule: 'MESH-S3-001',
    id: 'PublicAccess',
    says: 'BlockPublicPolicy is false',
    build: (scope, stack) =>
      addBucket(scope, stack, 'pab', {
        props: {
          publicAccessBlockConfiguration: {
            blockPublicAcls: true,
            blockPublicPolicy: false,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          },
        },
      }),
  },
  {
    rule: 'MESH-S3-002',
    id: 'S3ManagedKey',
    says: 'encrypted with AES256, not SSE-KMS',
    build: (scope, stack) =>
      addBucket(scope, stack, 'sse', {
        props: {
          bucketEncryption: {
            serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
          },
        },
      }),
  },
  {
    rule: 'MESH-S3-002',
    id: 'AwsManagedKey',
    says: 'AWS managed key aws/s3',
    build: (scope, stack) =>
      addBucket(scope, stack, 'awskey', {
        props: {
          bucketEncryption: {
            serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
          },
        },
      }),
  },
  { rule: 'MESH-S3-003', id: 'NoTls', build: (scope, stack) => addBucket(scope, stack, 'tls', { withoutTls: true }) },
  {
    rule: 'MESH-S3-004',
    id: 'Unversioned',
    build: (scope, stack) =>
      addBucket(scope, stack, 'ver', { props: { versioningConfiguration: { status: 'Suspended' } } }),
  },
  {
    rule: 'MESH-S3-005',
    id: 'NoLifecycle',
    build: (scope, stack) => addBucket(scope, stack, 'life', { props: { lifecycleConfiguration: undefined } }),
  },
  {
    rule: 'MESH-S3-006',
    id: 'NoLogging',
    build: (scope, stack) => addBucket(scope, stack, 'log', { props: { loggingConfiguration: undefined } }),
  },
  {
    rule: 'MESH-S3-007',
    id: 'Acls',
    says: 'canned ACL PublicRead',
    build: (scope, stack) =>
      addBucket(scope, stack, 'acl', { props: { accessControl: 'PublicRead', ownershipControls: undefined } }),
  },
  {
    rule: 'MESH-S3-008',
    id: 'PublicPolicy',
    build: (scope, stack) =>
      addBucket(scope, stack, 'pub', {
        statements: (bucket) => [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: Fn.join('', [bucket.attrArn, '/*']) },
        ],
      }),
  },
  {
    rule: 'MESH-S3-009',
    id: 'NotPrincipal',
    says: 'NotPrincipal',
    build: (scope, stack) =>
      addBucket(scope, stack, 'notp', {
        statements: (bucket) => [
          {
            Effect: 'Allow',
            NotPrincipal: { AWS: ROOT },
            Action: 's3:GetObject',
            Resource: Fn.join('', [bucket.attrArn, '/*']),
          },
        ],
      }),
  },
  {
    rule: 'MESH-S3-010',
    id: 'ForeignName',
    says: 'does not start with acme-sales-',
    build: (scope, stack) => addBucket(scope, stack, 'x', { props: { bucketName: 'other-team-bucket' } }),
  },
  {
    rule: 'MESH-STATE-001',
    id: 'Destroyed',
    says: 'DeletionPolicy is Delete',
    build: (scope, stack) => addBucket(scope, stack, 'gone', { removalPolicy: RemovalPolicy.DESTROY }),
  },
  {
    rule: 'MESH-TAG-001',
    id: 'Untagged',
    says: 'no mesh:owner tag',
    build: (scope, stack) => Tags.of(addBucket(scope, stack, 'untag')).remove('mesh:owner', { priority: 300 }),
  },
  {
    rule: 'MESH-TAG-002',
    id: 'WrongTag',
    says: 'tag mesh:domain is "marketing"',
    build: (scope, stack) => Tags.of(addBucket(scope, stack, 'tag')).add('mesh:domain', 'marketing', { priority: 300 }),
  },
  { rule: 'MESH-KMS-001', id: 'NoRotation', build: (scope) => addKey(scope, [], { enableKeyRotation: false }) },
  {
    rule: 'MESH-KMS-002',
    id: 'PublicKey',
    build: (scope) =>
      addKey(scope, [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }]),
  },
  {
    rule: 'MESH-KMS-003',
    id: 'KeyNotPrincipal',
    build: (scope) =>
      addKey(scope, [{ Effect: 'Allow', NotPrincipal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' }]),
  },
  {
    rule: 'MESH-IAM-001',
    id: 'Admin',
    build: (scope) => addPolicy(scope, [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    rule: 'MESH-IAM-002',
    id: 'ServiceWildcard',
    says: 'allows s3:*',
    build: (scope, stack) =>
      addPolicy(scope, [
        { Effect: 'Allow', Action: 's3:*', Resource: stack.dataDomain.dataBucket.arnForObjects('products/*') },
      ]),
  },
  {
    rule: 'MESH-IAM-003',
    id: 'ResourceWildcard',
    says: 'glue:gettable on Resource "*"',
    build: (scope) => addPolicy(scope, [{ Effect: 'Allow', Action: 'glue:GetTable', Resource: '*' }]),
  },
  {
    rule: 'MESH-IAM-004',
    id: 'PassAnyRole',
    build: (scope) => addPolicy(scope, [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }]),
  },
  {
    rule: 'MESH-IAM-005',
    id: 'OpenTrust',
    build: (scope, stack) =>
      addRole(scope, stack, {
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
        },
      }),
  },
  {
    rule: 'MESH-IAM-006',
    id: 'ManagedAdmin',
    says: 'AdministratorAccess',
    build: (scope, stack) =>
      addRole(scope, stack, {
        managedPolicyArns: [Fn.join('', ['arn:', Aws.PARTITION, ':iam::aws:policy/AdministratorAccess'])],
      }),
  },
  {
    rule: 'MESH-IAM-007',
    id: 'ForeignRole',
    build: (scope, stack) => addRole(scope, stack, { roleName: 'someone-else' }),
  },
  {
    rule: 'MESH-ATH-001',
    id: 'Unenforced',
    build: (scope, stack) => addWorkGroup(scope, stack, { enforceWorkGroupConfiguration: false }),
  },
  {
    rule: 'MESH-ATH-002',
    id: 'ResultsSseS3',
    says: 'not SSE_KMS',
    build: (scope, stack) =>
      addWorkGroup(scope, stack, {
        resultConfiguration: {
          outputLocation: `s3://${stack.dataDomain.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      }),
  },
  {
    rule: 'MESH-ATH-003',
    id: 'ResultsElsewhere',
    says: "outside the domain's results bucket",
    build: (scope, stack) =>
      addWorkGroup(scope, stack, {
        resultConfiguration: {
          ...compliantWorkGroupConfiguration(stack).resultConfiguration,
          outputLocation: 's3://somewhere-else/results/',
        },
      }),
  },
  {
    rule: 'MESH-ATH-004',
    id: 'NoCutoff',
    build: (scope, stack) => addWorkGroup(scope, stack, { bytesScannedCutoffPerQuery: undefined }),
  },
  {
    rule: 'MESH-ATH-005',
    id: 'AutoEngine',
    build: (scope, stack) => addWorkGroup(scope, stack, { engineVersion: { selectedEngineVersion: 'AUTO' } }),
  },
  {
    rule: 'MESH-ATH-006',
    id: 'NoMetrics',
    build: (scope, stack) => addWorkGroup(scope, stack, { publishCloudWatchMetricsEnabled: false }),
  },
  {
    rule: 'MESH-ATH-007',
    id: 'PrimaryQuery',
    says: "'primary' workgroup",
    build: (scope) => new athena.CfnNamedQuery(scope, 'Query', { database: 'acme_sales', queryString: 'SELECT 1' }),
  },
  {
    rule: 'MESH-GLUE-001',
    id: 'UnnamedDatabase',
    says: 'no explicit DatabaseInput.Name',
    build: (scope, stack) =>
      new glue.CfnDatabase(scope, 'Database', { catalogId: stack.account, databaseInput: {} }).applyRemovalPolicy(
        RemovalPolicy.RETAIN,
      ),
  },
  {
    rule: 'MESH-GLUE-002',
    id: 'ForeignDatabase',
    says: "not the domain's database acme_sales",
    build: (scope, stack) => addTable(scope, stack, {}, 'acme_marketing'),
  },
  {
    rule: 'MESH-GLUE-003',
    id: 'ForeignLocation',
    build: (scope, stack) =>
      addTable(scope, stack, {
        storageDescriptor: { location: 's3://elsewhere/data/', columns: [{ name: 'id', type: 'string' }] },
      }),
  },
  {
    rule: 'MESH-GLUE-004',
    id: 'DriftedTable',
    product: 'orders',
    says: 'column "customer_id" of the contract is missing',
    build: (scope, stack) =>
      addTable(scope, stack, {
        name: 'orders_v2',
        storageDescriptor: {
          location: `s3://${bucketName(stack, 'data')}/products/orders/v2/`,
          columns: [{ name: 'order_id', type: 'string' }],
        },
      }),
  },
  {
    rule: 'MESH-DEP-001',
    id: 'UnorderedTable',
    says: 'names AWS::Glue::Database acme_sales (Mesh-Sales/Domain/Database) in DatabaseName but does not depend on it',
    build: (scope, stack) => addTable(scope, stack),
  },
  {
    rule: 'MESH-GLUE-005',
    id: 'UnprojectedPartition',
    says: 'non-primitive type array<string>',
    build: (scope, stack) =>
      addTable(scope, stack, { partitionKeys: [{ name: 'event_date', type: 'array<string>' }], parameters: {} }),
  },
];

const mesh = exampleMesh();
const { stacks } = governedApp(mesh);
const sales = stacks.get('sales') as DomainStack;
const violations = new Construct(sales, 'Violations');
const pathOf = (c: Case) => (c.product ? `/Mesh-Sales/Orders/${c.id}` : `/Mesh-Sales/Violations/${c.id}`);
for (const c of CASES) {
  const parent = c.product ? (sales.products.get(c.product) as Construct) : violations;
  c.build(new Construct(parent, c.id), sales);
}

// Compliant hand-written resources beside them: the same builders, nothing broken.
const compliant = new Construct(sales, 'Compliant');
addBucket(new Construct(compliant, 'Bucket'), sales, 'ok');
addKey(new Construct(compliant, 'Key'));
addPolicy(new Construct(compliant, 'Policy'), [readOwnData(sales)]);
addRole(new Construct(compliant, 'Role'), sales);
addWorkGroup(new Construct(compliant, 'WorkGroup'), sales);
// Resources that name the domain's database or workgroup depend on them (MESH-DEP-001).
const database = sales.dataDomain.node.findChild('Database') as CfnResource;
addTable(new Construct(compliant, 'Table'), sales).addResourceDependency(database);
const query = new athena.CfnNamedQuery(compliant, 'Query', {
  database: 'acme_sales',
  workGroup: 'acme-sales',
  queryString: 'SELECT 1',
});
query.addResourceDependency(database);
query.addResourceDependency(sales.dataDomain.workgroup);
// A product's resources carry the product tags: a bucket inside the orders product passes the tag rules.
addBucket(new Construct(sales.products.get('orders') as Construct, 'CompliantBucket'), sales, 'orders');

describe('resource rules: non-compliant resources fail', () => {
  test.each(CASES.map((c) => [c.rule, c.id, c] as const))('%s: %s', (_rule, _id, c) => {
    const messages = messagesOf(sales, c.level ?? 'error', c.rule, pathOf(c));
    expect(messages.length).toBeGreaterThan(0);
    if (c.says) expect(messages.map(text).join('\n')).toContain(c.says);
  });

  test('a finding names the file to change and the fix', () => {
    const [message] = messagesOf(sales, 'error', 'MESH-S3-004', pathOf(CASES.find((c) => c.id === 'Unversioned')!));
    expect(text(message)).toBe(
      '[MESH-S3-004] domains/sales/domain.ts: Mesh-Sales/Violations/Unversioned/Bucket (AWS::S3::Bucket) versioning is suspended. Fix: set versioned: true on the bucket.',
    );
  });

  test("a product's resource names the product file", () => {
    const [message] = messagesOf(sales, 'error', 'MESH-GLUE-004', '/Mesh-Sales/Orders/DriftedTable');
    expect(text(message)).toMatch(/^\[MESH-GLUE-004\[Column::customer_id\]\] domains\/sales\/products\/orders\.ts: /);
  });

  test('every resource rule has a non-compliant case', () => {
    // The runtime rules (MESH-RUN-*) have theirs, through the engine too, in runtime-rules.test.ts.
    const covered = new Set([...CASES.map((c) => c.rule), ...RUNTIME_RULE_IDS]);
    const resourceRules = PLATFORM_RULES.filter((r) => r.kind === 'resource').map((r) => r.id);
    expect(resourceRules.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('resource rules: compliant resources pass', () => {
  test('hand-written resources built the platform way have no findings', () => {
    expect(allMessages(sales, '/Mesh-Sales/Compliant').map(text)).toEqual([]);
  });

  test('a product-scoped resource with the product tags has no findings', () => {
    expect(allMessages(sales, '/Mesh-Sales/Orders/CompliantBucket').map(text)).toEqual([]);
  });

  test('the access-log bucket is the one SSE-S3 bucket: a log target with SSE-KMS fails', () => {
    // The platform's own access-log bucket passes with AES256 (rules-compliant.test.ts); a log target
    // encrypted with KMS would receive no logs.
    const { stacks: fresh } = governedApp(mesh);
    const freshSales = fresh.get('sales') as DomainStack;
    const kmsTarget = new Construct(freshSales, 'KmsLogTarget');
    const logs = addBucket(new Construct(kmsTarget, 'Target'), freshSales, 'kmslogs', {
      props: { loggingConfiguration: undefined },
    });
    addBucket(new Construct(kmsTarget, 'Source'), freshSales, 'src', {
      props: { loggingConfiguration: { destinationBucketName: logs.ref } },
    });
    const messages = messagesOf(freshSales, 'error', 'MESH-S3-002', '/Mesh-Sales/KmsLogTarget/Target');
    expect(messages.map(text).join('\n')).toContain('S3 delivers access logs only to SSE-S3 buckets');
    // S3-006 does not ask the log target to log into itself.
    expect(messagesOf(freshSales, 'error', 'MESH-S3-006', '/Mesh-Sales/KmsLogTarget/Target')).toEqual([]);
  });
});

describe('hand-written constructs that bypass the platform', () => {
  test('a raw public bucket added to a domain stack fails on public access, encryption and more', () => {
    // An L2 bucket with the defaults: public read, S3-managed keys, no versioning, no logs, generated name.
    const { stacks: fresh } = governedApp(mesh);
    const stack = fresh.get('sales') as DomainStack;
    new s3.Bucket(stack, 'RawPublic', {
      publicReadAccess: true,
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: false,
        blockPublicPolicy: false,
        ignorePublicAcls: false,
        restrictPublicBuckets: false,
      }),
    });
    const rules = (level: Level) =>
      ['MESH-S3-001', 'MESH-S3-002', 'MESH-S3-003', 'MESH-S3-004', 'MESH-S3-006', 'MESH-S3-008', 'MESH-S3-010'].filter(
        (rule) => messagesOf(stack, level, rule, '/Mesh-Sales/RawPublic').length > 0,
      );
    expect(rules('error')).toEqual([
      'MESH-S3-001',
      'MESH-S3-002',
      'MESH-S3-003',
      'MESH-S3-004',
      'MESH-S3-006',
      'MESH-S3-008',
      'MESH-S3-010',
    ]);
  });
});
