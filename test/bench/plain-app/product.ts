/**
 * A data product's catalog entry: its Glue table (current major only; synthetic products have one) and its
 * quality checks saved as one Athena query.
 */
import { Aws, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import type { SyntheticDomain, SyntheticProduct } from '../synthetic-mesh';
import type { DomainNames, ProductNames } from './names';
import { qualityQuery } from './sql';
import { icebergInput, productTableInput } from './tables';

export interface ProductProps {
  /** The owning domain. */
  readonly domain: SyntheticDomain;
  /** The product to catalog. */
  readonly product: SyntheticProduct;
  /** The owning domain's physical names. */
  readonly names: DomainNames;
  /** The product's physical names. */
  readonly productNames: ProductNames;
}

export class Product extends Construct {
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: ProductProps) {
    super(scope, id);
    const { domain, product, names } = props;
    Tags.of(this).add('mesh:product', product.name);
    const location = `s3://${names.dataBucket}/${props.productNames.prefix}`;
    const iceberg = product.format === 'iceberg';
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: names.database,
      tableInput: productTableInput({
        domain: domain.name,
        product,
        owner: `${domain.owner.team} <${domain.owner.email}>`,
        table: props.productNames.table,
        location,
      }),
      ...(iceberg ? { openTableFormatInput: icebergInput(product.columns, location) } : {}),
    });
    // An Iceberg table's Glue entry points to its current metadata: losing it loses the table.
    if (iceberg) this.table.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const query = new athena.CfnNamedQuery(this, 'QualityQuery', {
      name: `${props.productNames.table}_quality`,
      description: `Quality checks of ${domain.name}/${product.name} v1 (${product.version}), one scan`,
      database: names.database,
      workGroup: names.workgroup,
      queryString: qualityQuery({
        domain: domain.name,
        database: names.database,
        product,
        table: props.productNames.table,
        stagingTable: props.productNames.stagingTable,
      }),
    });
    query.addResourceDependency(this.table);
  }
}
