import { Annotations, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { type DomainNames, domainNames, renderName } from '../lib/mesh/naming';
import { ProductGrants } from './product-grants';

/** Athena engine the workgroup pins, so an engine upgrade is a reviewed change. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

export interface DataDomainProps {
  /** The resolved mesh the domain belongs to (names of other domains are derived from it). */
  readonly mesh: Mesh;
  /** The domain to build. */
  readonly domain: MeshDomain;
  /**
   * An existing role that writes the domain's products, for companies that create roles outside IaC.
   * @default a role named `<prefix>-<domain>-producer` is created
   */
  readonly producerRole?: iam.IRole;
  /**
   * An existing role that reads the domain's products and its granted inputs.
   * @default a role named `<prefix>-<domain>-consumer` is created
   */
  readonly consumerRole?: iam.IRole;
}

/**
 * A domain's shared infrastructure: KMS key, data bucket, Athena results and access-log buckets, Glue
 * database, Athena workgroup and the producer and consumer roles. Everything stateful is retained.
 */
export class DataDomain extends Construct {
  /** Physical names, derived from the definitions. */
  readonly names: DomainNames;
  /** Customer managed key for the domain's data and query results. */
  readonly key: kms.IKey;
  /** Bucket holding every product of the domain under `products/<product>/v<major>/`. */
  readonly dataBucket: s3.IBucket;
  /** Bucket for Athena query results, expiring. */
  readonly resultsBucket: s3.IBucket;
  /** Bucket receiving S3 server access logs of the other two. */
  readonly logsBucket: s3.IBucket;
  /** Glue database name. */
  readonly databaseName: string;
  /** Athena workgroup name. */
  readonly workgroupName: string;
  /** The Athena workgroup; named queries depend on it. */
  readonly workgroup: athena.CfnWorkGroup;
  /** The Glue database; product tables depend on it. */
  readonly database: glue.CfnDatabase;
  readonly producerRole: iam.IRole;
  readonly consumerRole: iam.IRole;
  /** Grants of the domain's inputs and the fences around its own data. */
  readonly grants: ProductGrants;

  constructor(scope: Construct, id: string, props: DataDomainProps) {
    super(scope, id);
    const { mesh, domain } = props;
    const definition = domain.definition;
    const stack = Stack.of(this);
    this.names = domainNames(mesh.config, domain.name);
    const physical = (template: string) => renderName(template, { account: stack.account, region: stack.region });
    this.databaseName = this.names.database;
    this.workgroupName = this.names.workgroup;

    const key = new kms.Key(this, 'Key', {
      alias: this.names.keyAlias,
      description: `Data of the ${domain.name} domain (${mesh.config.prefix} data mesh)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsResources(key);
    this.key = key;

    // Server access logs cannot be delivered to SSE-KMS buckets, so this one alone uses S3-managed keys.
    const logsBucket = new s3.Bucket(this, 'AccessLogs', {
      bucketName: physical(this.names.logsBucket),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: 'ExpireAccessLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsBucket = logsBucket;

    // Both SSE-KMS buckets share the domain key, TLS-only access and access logging; only names and lifecycle differ.
    const kmsBucket = (id: string, name: string, logPrefix: string, lifecycleRules: s3.LifecycleRule[]) =>
      new s3.Bucket(this, id, {
        bucketName: physical(name),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        serverAccessLogsBucket: logsBucket,
        serverAccessLogsPrefix: logPrefix,
        lifecycleRules,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    const dataBucket = kmsBucket('Data', this.names.dataBucket, 'data/', [
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      // Overwritten or deleted objects stay recoverable for 90 days, then stop costing money.
      { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(90) },
    ]);
    // Object events go to EventBridge, so pipelines and freshness checks can react to new product data.
    // Set on the CloudFormation resource: the L2's eventBridgeEnabled would deploy a Lambda custom resource.
    (dataBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.dataBucket = dataBucket;

    const resultsBucket = kmsBucket('AthenaResults', this.names.resultsBucket, 'athena-results/', [
      {
        id: 'ExpireQueryResults',
        expiration: Duration.days(definition.athena.resultRetentionDays),
        noncurrentVersionExpiration: Duration.days(1),
      },
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ]);
    this.resultsBucket = resultsBucket;

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.names.database,
        description: `${definition.title ?? domain.name}: ${definition.description}`,
        parameters: {
          'mesh.domain': domain.name,
          'mesh.owner': `${definition.owner.team} <${definition.owner.email}>`,
          'mesh.costCenter': definition.costCenter,
        },
      },
    });
    database.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.database = database;

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.names.workgroup,
      description: `Queries of the ${domain.name} domain`,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: definition.athena.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    this.producerRole =
      props.producerRole ??
      new iam.Role(this, 'ProducerRole', {
        roleName: this.names.producerRole,
        description: `Writes the data products of the ${domain.name} domain`,
        assumedBy: new iam.AccountRootPrincipal(),
        maxSessionDuration: Duration.hours(12),
      });
    this.consumerRole =
      props.consumerRole ??
      new iam.Role(this, 'ConsumerRole', {
        roleName: this.names.consumerRole,
        description: `Reads the data products of the ${domain.name} domain and its granted inputs`,
        assumedBy: new iam.AccountRootPrincipal(),
        maxSessionDuration: Duration.hours(12),
      });

    this.checkRoleNames();
    this.grantDomainAccess();
    this.grants = new ProductGrants(this, 'Grants', {
      mesh,
      domain,
      roles: [this.producerRole, this.consumerRole],
      dataBucket,
      resultsBucket,
      logsBucket,
      key,
    });
  }

  /** Other domains address these roles by their derived names (bucket fences, key fences), so a role passed in must carry them. */
  private checkRoleNames(): void {
    for (const [role, expected] of [
      [this.producerRole, this.names.producerRole],
      [this.consumerRole, this.names.consumerRole],
    ] as const) {
      if (!Token.isUnresolved(role.roleName) && role.roleName !== expected) {
        Annotations.of(this).addError(
          `role "${role.roleName}" must be named "${expected}": other domains' bucket and key policies name it`,
        );
      }
    }
  }

  /** ARN of the domain's Glue database. */
  get databaseArn(): string {
    return `arn:${Aws.PARTITION}:glue:${Stack.of(this).region}:${Stack.of(this).account}:database/${this.databaseName}`;
  }

  /** ARN of the domain's Athena workgroup. */
  get workgroupArn(): string {
    return `arn:${Aws.PARTITION}:athena:${Stack.of(this).region}:${Stack.of(this).account}:workgroup/${this.workgroupName}`;
  }

  /** ARN pattern matching every table of the domain's database. */
  get tablesArn(): string {
    return `arn:${Aws.PARTITION}:glue:${Stack.of(this).region}:${Stack.of(this).account}:table/${this.databaseName}/*`;
  }

  /**
   * The domain's roles own the domain's whole product area, so their grants name `products/*` and
   * `table/<database>/*` once: policy size stays constant however many products the domain has.
   */
  private grantDomainAccess(): void {
    const stack = Stack.of(this);
    const catalogArn = `arn:${Aws.PARTITION}:glue:${stack.region}:${stack.account}:catalog`;
    const productObjects = this.dataBucket.arnForObjects('products/*');
    const glueRead = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'];

    for (const role of [this.producerRole, this.consumerRole]) {
      const writes = role === this.producerRole;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadDomainProducts',
          actions: writes
            ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']
            : ['s3:GetObject'],
          resources: [productObjects],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ListDomainProducts',
          actions: ['s3:ListBucket'],
          resources: [this.dataBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': ['products/*'] } },
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'LocateDomainData',
          actions: ['s3:GetBucketLocation'],
          resources: [this.dataBucket.bucketArn],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'UseDomainKey',
          actions: writes
            ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']
            : ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.key.keyArn],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadDomainCatalog',
          actions: writes
            ? [...glueRead, 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:UpdatePartition']
            : glueRead,
          resources: [catalogArn, this.databaseArn, this.tablesArn],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'QueryInDomainWorkgroup',
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
          resources: [this.workgroupArn],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteQueryResults',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.resultsBucket.arnForObjects('*')],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'LocateQueryResults',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [this.resultsBucket.bucketArn],
        }),
      );
    }
  }
}

/**
 * A grant is a standing permission outside the key policy; only AWS services (for resources they manage) may
 * create one. The account's administrative statement stays, so the key remains manageable. Every key of a
 * domain carries it.
 */
export function denyGrantsExceptForAwsResources(key: kms.IKey): void {
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
