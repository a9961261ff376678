import { RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { icebergOpenTableFormatInput } from '../lib/catalog/iceberg-table';
import { glueTableInput } from '../lib/catalog/table-input';
import type { Mesh, MeshProduct, ProductVersion } from '../lib/mesh/model';
import { productVersionNames } from '../lib/mesh/naming';
import { athenaQualityStatement } from '../lib/quality/named-query';
import type { DataDomain } from './data-domain';

export interface DataProductProps {
  /** The resolved mesh. */
  readonly mesh: Mesh;
  /** The product to build. */
  readonly product: MeshProduct;
  /** Names and shared resources of the owning domain. */
  readonly domainNames: Pick<DataDomain, 'names' | 'databaseName' | 'workgroupName'>;
  /** Physical name of the owning domain's data bucket (may contain deploy-time tokens). */
  readonly dataBucketName: string;
}

/** One deployed major version of a product. */
export interface DataProductVersion {
  readonly version: ProductVersion;
  readonly table: glue.CfnTable;
  readonly tableName: string;
  /** The version's quality checks as one Athena statement, saved in the domain workgroup. */
  readonly qualityQuery: athena.CfnNamedQuery;
  /** Key prefix of the version's data in the domain bucket. */
  readonly prefix: string;
}

/**
 * A data product: one Glue table per live major version (the current one and earlier ones until their
 * sunset), each reading `products/<product>/v<major>/` of the domain's bucket.
 */
export class DataProduct extends Construct {
  readonly product: MeshProduct;
  /** Live versions, current first. */
  readonly versions: readonly DataProductVersion[];
  private readonly dataBucketName: string;
  private readonly databaseName: string;

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const { mesh, product } = props;
    this.product = product;
    this.dataBucketName = props.dataBucketName;
    this.databaseName = props.domainNames.databaseName;

    Tags.of(this).add('mesh:product', product.name);
    Tags.of(this).add('mesh:owner', product.owner.email);
    Tags.of(this).add('mesh:classification', product.classification);

    const stack = Stack.of(this);
    this.versions = product.versions.map((version) => {
      const tableInput = glueTableInput(mesh, product, version, props.dataBucketName);
      // The ID carries the major, never an index, so adding or removing a version leaves the others in place.
      const table = new glue.CfnTable(this, `TableV${version.major}`, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput,
        ...(version.schema.format === 'iceberg'
          ? {
              openTableFormatInput: icebergOpenTableFormatInput(
                version.schema.columns,
                tableInput.storageDescriptor.location,
              ),
            }
          : {}),
      });
      // An Iceberg table's Glue entry holds the pointer to its current metadata: losing it loses the table's state.
      if (version.schema.format === 'iceberg') table.applyRemovalPolicy(RemovalPolicy.RETAIN);
      const names = productVersionNames(product.name, version.major);
      // One scan computing every rule, ready to run or schedule from the console (`npx mesh check` runs the same).
      const qualityQuery = new athena.CfnNamedQuery(this, `QualityQueryV${version.major}`, {
        name: `${names.table}_quality`,
        description: `Quality checks of ${product.id} v${version.major} (${version.version}), one scan`,
        database: this.databaseName,
        workGroup: props.domainNames.workgroupName,
        queryString: athenaQualityStatement(product, version, { database: this.databaseName, table: names.table }),
      });
      qualityQuery.addResourceDependency(table);
      return { version, table, tableName: names.table, qualityQuery, prefix: names.prefix };
    });
  }

  /** The current major version. */
  get current(): DataProductVersion {
    return this.versions[0];
  }

  /**
   * Grants read access to one major of this product: its objects, the listing of its prefix, its table
   * and the domain database. Key use is granted separately, scoped to S3.
   */
  grantRead(grantee: iam.IGrantable, major: number = this.current.version.major): iam.Grant {
    const stack = Stack.of(this);
    const names = productVersionNames(this.product.name, major);
    const glueArn = (resource: string) => `arn:${stack.partition}:glue:${stack.region}:${stack.account}:${resource}`;
    const objects = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [`arn:${stack.partition}:s3:::${this.dataBucketName}/${names.prefix}*`],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [`arn:${stack.partition}:s3:::${this.dataBucketName}`],
      conditions: { StringLike: { 's3:prefix': [`${names.prefix}*`] } },
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
      resourceArns: [
        glueArn('catalog'),
        glueArn(`database/${this.databaseName}`),
        glueArn(`table/${this.databaseName}/${names.table}`),
      ],
    });
    return objects;
  }
}
