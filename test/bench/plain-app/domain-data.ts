/**
 * A domain's storage and access: its KMS key, data, Athena results and access-log buckets, Glue database,
 * Athena workgroup, producer and consumer roles, the managed policies granting its inputs, and the deny
 * statements that keep its data to the mesh's roles.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SyntheticDomain } from '../synthetic-mesh';
import { inputPolicies, parseInput } from './input-grants';
import { arn, type DomainNames, roleArn, s3Arn } from './names';

export interface DomainDataProps {
  /** Prefix of every physical name of the mesh (role patterns of other domains use it). */
  readonly prefix: string;
  /** The domain to build; its products' inputs and prefixes shape the grants and fences. */
  readonly domain: SyntheticDomain;
  /** The domain's physical names. */
  readonly names: DomainNames;
}

/** Athena stops a query that scans more than this (100 GB). */
const BYTES_SCANNED_CUTOFF = 100_000_000_000;

/** Denies `kms:CreateGrant` except for AWS services acting on resources they manage. */
export function denyGrantsExceptForAwsResources(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}

export class DomainData extends Construct {
  readonly key: kms.Key;
  readonly dataBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly workgroup: athena.CfnWorkGroup;
  readonly producerRole: iam.Role;
  readonly consumerRole: iam.Role;

  constructor(scope: Construct, id: string, props: DomainDataProps) {
    super(scope, id);
    const { domain, names, prefix } = props;

    this.key = new kms.Key(this, 'Key', {
      alias: names.keyAlias,
      description: `Data of the ${domain.name} domain`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsResources(this.key);

    // S3 cannot deliver server access logs to an SSE-KMS bucket.
    this.logsBucket = new s3.Bucket(this, 'AccessLogs', {
      bucketName: names.logsBucket,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: 'ExpireLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'AbortUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const kmsBucket = (bucketId: string, bucketName: string, logPrefix: string, rules: s3.LifecycleRule[]) =>
      new s3.Bucket(this, bucketId, {
        bucketName,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        serverAccessLogsBucket: this.logsBucket,
        serverAccessLogsPrefix: logPrefix,
        lifecycleRules: rules,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.dataBucket = kmsBucket('Data', names.dataBucket, 'data/', [
      { id: 'AbortUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(90) },
    ]);
    // EventBridge notifications on the L1: the L2 option deploys a custom resource Lambda.
    (this.dataBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.resultsBucket = kmsBucket('AthenaResults', names.resultsBucket, 'athena-results/', [
      { id: 'ExpireResults', expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) },
      { id: 'AbortUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ]);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: names.database,
        description: `${domain.name}: ${domain.description}`,
        parameters: {
          'mesh.domain': domain.name,
          'mesh.owner': `${domain.owner.team} <${domain.owner.email}>`,
          'mesh.costCenter': domain.costCenter,
        },
      },
    });
    this.database.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: names.workgroup,
      description: `Queries of the ${domain.name} domain`,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
        },
      },
    });

    const role = (roleId: string, roleName: string, description: string) =>
      new iam.Role(this, roleId, {
        roleName,
        description,
        assumedBy: new iam.AccountRootPrincipal(),
        maxSessionDuration: Duration.hours(12),
      });
    this.producerRole = role('ProducerRole', names.producerRole, `Writes the products of the ${domain.name} domain`);
    this.consumerRole = role('ConsumerRole', names.consumerRole, `Reads the products of ${domain.name} and its inputs`);
    this.grantOwnData(names);
    this.grantInputs(prefix, domain);
    this.fence(prefix, domain, names);
  }

  /** Both roles work on the whole product area of the domain, so their policies do not grow with it. */
  private grantOwnData(names: DomainNames): void {
    const glueRead = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'];
    for (const role of [this.producerRole, this.consumerRole]) {
      const writes = role === this.producerRole;
      const statements = [
        new iam.PolicyStatement({
          sid: 'DomainProducts',
          actions: writes
            ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']
            : ['s3:GetObject'],
          resources: [this.dataBucket.arnForObjects('products/*')],
        }),
        new iam.PolicyStatement({
          sid: 'ListDomainProducts',
          actions: ['s3:ListBucket'],
          resources: [this.dataBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': ['products/*'] } },
        }),
        new iam.PolicyStatement({
          sid: 'LocateDomainData',
          actions: ['s3:GetBucketLocation'],
          resources: [this.dataBucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseDomainKey',
          actions: writes
            ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']
            : ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.key.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'DomainCatalog',
          actions: writes
            ? [...glueRead, 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:UpdatePartition']
            : glueRead,
          resources: [
            arn('glue', 'catalog'),
            arn('glue', `database/${names.database}`),
            arn('glue', `table/${names.database}/*`),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'QueryInWorkgroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
            'athena:GetWorkGroup',
            'athena:ListNamedQueries',
            'athena:GetNamedQuery',
            'athena:BatchGetNamedQuery',
          ],
          resources: [arn('athena', `workgroup/${names.workgroup}`)],
        }),
        new iam.PolicyStatement({
          sid: 'QueryResults',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.resultsBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'LocateQueryResults',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [this.resultsBucket.bucketArn],
        }),
      ];
      for (const statement of statements) role.addToPrincipalPolicy(statement);
    }
  }

  /** Reads of the products of other domains the domain's products name as inputs, in policies of bounded size. */
  private grantInputs(prefix: string, domain: SyntheticDomain): void {
    const inputs = [...new Set(domain.products.flatMap((p) => p.inputs))].sort().map(parseInput);
    inputPolicies(prefix, inputs).forEach((statements, i) => {
      new iam.ManagedPolicy(this, `Inputs${i + 1}`, {
        managedPolicyName: `${prefix}-${domain.name.replace(/_/g, '-')}-inputs-${i + 1}`,
        description: `Reads of the ${domain.name} domain's inputs, part ${i + 1}`,
        // As packed: merging statements would change the sizes the packing measured.
        document: new iam.PolicyDocument({
          minimize: false,
          statements: statements.map((s) => iam.PolicyStatement.fromJson(s)),
        }),
        roles: [this.producerRole, this.consumerRole],
      });
    });
  }

  /**
   * Deny statements on the domain's buckets and key: only the domain's roles and runs write; only roles of
   * the mesh read (every product is visible to the mesh), and only under the products' prefixes.
   */
  private fence(prefix: string, domain: SyntheticDomain, names: DomainNames): void {
    const own = [roleArn(names.producerRole), roleArn(names.consumerRole), roleArn(`${names.executionRolePrefix}*`)];
    const writers = [roleArn(names.producerRole), roleArn(`${names.executionRolePrefix}*`)];
    const mesh = [
      ...own,
      roleArn(`${prefix}-*-producer`, true),
      roleArn(`${prefix}-*-consumer`, true),
      roleArn(`${prefix}-*.run.*`, true),
    ];
    const writes = ['s3:PutObject*', 's3:DeleteObject*', 's3:AbortMultipartUpload', 's3:RestoreObject'];
    const reads = ['s3:GetObject*', 's3:ListBucket*'];
    const deny = (sid: string, props: Omit<iam.PolicyStatementProps, 'sid' | 'effect' | 'principals'>) =>
      new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], ...props });
    const bucketAndObjects = (name: string) => [s3Arn(name), s3Arn(`${name}/*`)];
    const productPrefixes = domain.products.map((p) => `products/${p.name}/*`);

    this.dataBucket.addToResourcePolicy(
      deny('DenyWritesOutsideProducers', {
        actions: writes,
        resources: [s3Arn(`${names.dataBucket}/*`)],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': writers } },
      }),
    );
    this.dataBucket.addToResourcePolicy(
      deny('DenyReadsOutsideMesh', {
        actions: reads,
        resources: bucketAndObjects(names.dataBucket),
        conditions: { ArnNotLike: { 'aws:PrincipalArn': mesh } },
      }),
    );
    this.dataBucket.addToResourcePolicy(
      deny('DenyListingsAboveProducts', {
        actions: ['s3:ListBucket*'],
        resources: [s3Arn(names.dataBucket)],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': own },
          StringNotLikeIfExists: { 's3:prefix': 'products/*/v*/*' },
        },
      }),
    );
    // Other domains reach product data only: not the staging area, not the quality results.
    this.dataBucket.addToResourcePolicy(
      deny('DenyReadsOutsideProducts', {
        actions: reads,
        notResources: productPrefixes.map((p) => s3Arn(`${names.dataBucket}/${p}`)),
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': own },
          StringNotLikeIfExists: { 's3:prefix': productPrefixes },
        },
      }),
    );

    this.resultsBucket.addToResourcePolicy(
      deny('DenyWritesOutsideDomain', {
        actions: writes,
        resources: [s3Arn(`${names.resultsBucket}/*`)],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': own } },
      }),
    );
    this.resultsBucket.addToResourcePolicy(
      deny('DenyReadsOutsideDomain', {
        actions: reads,
        resources: bucketAndObjects(names.resultsBucket),
        conditions: { ArnNotLike: { 'aws:PrincipalArn': own } },
      }),
    );

    const logDelivery = new iam.ServicePrincipal('logging.s3.amazonaws.com');
    this.logsBucket.addToResourcePolicy(
      deny('DenyWritesOutsideLogDelivery', {
        actions: writes,
        resources: [s3Arn(`${names.logsBucket}/*`)],
        conditions: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    this.logsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyLogsOfOtherBuckets',
        effect: iam.Effect.DENY,
        principals: [logDelivery],
        actions: writes,
        resources: [s3Arn(`${names.logsBucket}/*`)],
        conditions: { ArnNotEquals: { 'aws:SourceArn': [s3Arn(names.dataBucket), s3Arn(names.resultsBucket)] } },
      }),
    );
    this.logsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyLogsOfOtherAccounts',
        effect: iam.Effect.DENY,
        principals: [logDelivery],
        actions: writes,
        resources: [s3Arn(`${names.logsBucket}/*`)],
        conditions: { StringNotEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.logsBucket.addToResourcePolicy(
      deny('DenyReadsOutsideDomain', {
        actions: reads,
        resources: bucketAndObjects(names.logsBucket),
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': [roleArn(names.producerRole), roleArn(names.consumerRole)] },
        },
      }),
    );

    const keyDeny = (sid: string, actions: string[], conditions: Record<string, unknown>) =>
      this.key.addToResourcePolicy(deny(sid, { actions, resources: ['*'], conditions }));
    keyDeny('DenyDecryptOutsideMesh', ['kms:Decrypt', 'kms:ReEncryptFrom'], {
      ArnNotLike: { 'aws:PrincipalArn': mesh },
    });
    keyDeny('DenyEncryptOutsideDomain', ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncryptTo'], {
      ArnNotLike: { 'aws:PrincipalArn': own },
    });
    // Other domains decrypt only what S3 decrypts for them, and only objects of the data bucket.
    keyDeny('DenyDecryptOutsideDataBucket', ['kms:Decrypt', 'kms:ReEncryptFrom'], {
      ArnNotLike: { 'aws:PrincipalArn': own },
      StringNotLike: {
        'kms:EncryptionContext:aws:s3:arn': [s3Arn(names.dataBucket), s3Arn(`${names.dataBucket}/*`)],
      },
    });
  }
}
