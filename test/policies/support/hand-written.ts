/**
 * Hand-written resources for rule tests: each builder makes an L1 resource that passes every resource rule
 * in a domain stack, and takes overrides to break exactly one thing.
 */
import { Aws, CfnResource, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DomainStack } from '../../../constructs/domain-stack';

/** The account's root principal ARN, as CDK renders it. */
export const ACCOUNT_ROOT = Fn.join('', ['arn:', Aws.PARTITION, ':iam::', Aws.ACCOUNT_ID, ':root']);

/** An ARN in this stack's partition, account and region: `arn(service, resource)`. */
export function arn(service: string, resource: string, region = true): string {
  return Fn.join('', [
    'arn:',
    Aws.PARTITION,
    `:${service}:`,
    region ? Aws.REGION : '',
    ':',
    Aws.ACCOUNT_ID,
    `:${resource}`,
  ]);
}

/** `acme-<domain>-<suffix>-<account>-<region>`: the platform's bucket naming. */
export function bucketName(stack: DomainStack, suffix: string): string {
  return `acme-${stack.domain.name}-${suffix}-${stack.account}-${stack.region}`;
}

export function compliantBucketProps(stack: DomainStack, suffix: string): s3.CfnBucketProps {
  const domain = stack.dataDomain;
  return {
    bucketName: bucketName(stack, suffix),
    bucketEncryption: {
      serverSideEncryptionConfiguration: [
        {
          serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: domain.key.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    publicAccessBlockConfiguration: {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    versioningConfiguration: { status: 'Enabled' },
    lifecycleConfiguration: {
      rules: [
        {
          status: 'Enabled',
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
        },
      ],
    },
    loggingConfiguration: { destinationBucketName: domain.logsBucket.bucketName, logFilePrefix: `${suffix}/` },
    ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
  };
}

/** The statement every bucket policy needs: deny s3:* without TLS on the bucket and its objects. */
export function denyInsecureTransport(bucket: s3.CfnBucket): Record<string, unknown> {
  return {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export interface BucketOptions {
  readonly props?: Partial<s3.CfnBucketProps>;
  /** Extra statements of the bucket policy, given the bucket. */
  readonly statements?: (bucket: s3.CfnBucket) => readonly Record<string, unknown>[];
  /** Leave out the TLS statement (and the policy when nothing else is in it). */
  readonly withoutTls?: boolean;
  readonly removalPolicy?: RemovalPolicy;
}

export function addBucket(
  scope: Construct,
  stack: DomainStack,
  suffix: string,
  options: BucketOptions = {},
): s3.CfnBucket {
  const bucket = new s3.CfnBucket(scope, 'Bucket', { ...compliantBucketProps(stack, suffix), ...options.props });
  bucket.applyRemovalPolicy(options.removalPolicy ?? RemovalPolicy.RETAIN);
  const statements = [
    ...(options.withoutTls ? [] : [denyInsecureTransport(bucket)]),
    ...(options.statements?.(bucket) ?? []),
  ];
  if (statements.length > 0) {
    new s3.CfnBucketPolicy(scope, 'Policy', {
      bucket: bucket.ref,
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });
  }
  return bucket;
}

export function addKey(
  scope: Construct,
  statements: readonly Record<string, unknown>[] = [],
  props: Partial<kms.CfnKeyProps> = {},
): kms.CfnKey {
  const key = new kms.CfnKey(scope, 'Key', {
    enableKeyRotation: true,
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ACCOUNT_ROOT },
          Action: 'kms:*',
          Resource: '*',
        },
        ...statements,
      ],
    },
    ...props,
  });
  key.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return key;
}

/** A customer managed policy with the given statements. */
export function addPolicy(scope: Construct, statements: readonly Record<string, unknown>[]): iam.CfnManagedPolicy {
  return new iam.CfnManagedPolicy(scope, 'Policy', {
    policyDocument: { Version: '2012-10-17', Statement: statements },
  });
}

/** An allow statement on the domain's own data (a compliant identity statement). */
export function readOwnData(stack: DomainStack): Record<string, unknown> {
  return {
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: stack.dataDomain.dataBucket.arnForObjects('products/*'),
  };
}

export function trustAccount(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: ACCOUNT_ROOT },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

export function addRole(scope: Construct, stack: DomainStack, props: Partial<iam.CfnRoleProps> = {}): iam.CfnRole {
  return new iam.CfnRole(scope, 'Role', {
    roleName: `acme-${stack.domain.name}-extra`,
    assumeRolePolicyDocument: trustAccount(),
    ...props,
  });
}

export function compliantWorkGroupConfiguration(
  stack: DomainStack,
): athena.CfnWorkGroup.WorkGroupConfigurationProperty {
  const domain = stack.dataDomain;
  return {
    enforceWorkGroupConfiguration: true,
    publishCloudWatchMetricsEnabled: true,
    bytesScannedCutoffPerQuery: 10_000_000_000,
    engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
    resultConfiguration: {
      outputLocation: `s3://${domain.resultsBucket.bucketName}/extra/`,
      encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: domain.key.keyArn },
    },
  };
}

export function addWorkGroup(
  scope: Construct,
  stack: DomainStack,
  configuration: Partial<athena.CfnWorkGroup.WorkGroupConfigurationProperty> = {},
): athena.CfnWorkGroup {
  return new athena.CfnWorkGroup(scope, 'WorkGroup', {
    name: `acme-${stack.domain.name}-extra`,
    workGroupConfiguration: { ...compliantWorkGroupConfiguration(stack), ...configuration },
  });
}

/** A domain-level external table under products/, partitioned by a projected date. */
export function compliantTableInput(stack: DomainStack): glue.CfnTable.TableInputProperty {
  const location = `s3://${bucketName(stack, 'data')}/products/extra/v1/`;
  return {
    name: 'extra_v1',
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      'projection.enabled': 'true',
      'projection.event_date.type': 'date',
      'projection.event_date.range': 'NOW-1YEARS,NOW',
      'projection.event_date.format': 'yyyy-MM-dd',
      'projection.event_date.interval': '1',
      'projection.event_date.interval.unit': 'DAYS',
      'storage.location.template': `${location}event_date=\${event_date}/`,
    },
    partitionKeys: [{ name: 'event_date', type: 'string' }],
    storageDescriptor: { location, columns: [{ name: 'id', type: 'string' }] },
  };
}

export function addTable(
  scope: Construct,
  stack: DomainStack,
  tableInput: Partial<glue.CfnTable.TableInputProperty> = {},
  databaseName?: string,
): glue.CfnTable {
  return new glue.CfnTable(scope, 'Table', {
    catalogId: stack.account,
    databaseName: databaseName ?? stack.dataDomain.databaseName,
    tableInput: { ...compliantTableInput(stack), ...tableInput },
  });
}

/** A resource of a type no rule inspects, to fill templates in quota tests. */
export function addFiller(scope: Construct, id: string): CfnResource {
  return new CfnResource(scope, id, { type: 'AWS::CloudFormation::WaitConditionHandle' });
}
