/**
 * Glue table definitions: a Parquet product with date partition projection (no crawler, no partition
 * management), an Iceberg product Glue creates with its first metadata file, and the domain's quality results.
 */
import type * as glue from 'aws-cdk-lib/aws-glue';
import type { SyntheticColumn, SyntheticProduct } from '../synthetic-mesh';

/** A column of a table the app builds itself (quality results, staging). */
export interface PlainColumn {
  readonly name: string;
  /** Glue (Hive) type, e.g. `bigint`, `decimal(12,2)`. */
  readonly type: string;
  readonly description?: string;
  readonly required?: boolean;
  /** Becomes an Iceberg identifier field. */
  readonly primaryKey?: boolean;
  /** Any value makes the column an identity partition of an Iceberg table. */
  readonly partition?: unknown;
}

/** Rows of every quality rule of every run of the domain's products. */
export const QUALITY_RESULTS_COLUMNS: readonly PlainColumn[] = [
  {
    name: 'product',
    type: 'string',
    description: 'Product, <domain>/<product>; the partition.',
    required: true,
    partition: true,
  },
  { name: 'version', type: 'string', description: 'Version of the product the run checked.', required: true },
  { name: 'major', type: 'int', description: 'Major version the run checked.', required: true },
  { name: 'rule', type: 'string', description: 'Rule id, e.g. not_null_id.', required: true },
  { name: 'rule_source', type: 'string', description: 'Where the rule comes from: quality[n] or sla.', required: true },
  { name: 'measured', type: 'double', description: 'The measured value; null on an empty table.' },
  { name: 'threshold', type: 'string', description: 'What the value must meet, e.g. "= 0 rows".', required: true },
  { name: 'passed', type: 'boolean', description: 'Whether the measured value met the threshold.', required: true },
  { name: 'blocks_publish', type: 'boolean', description: 'A failure of this rule stops a publish.', required: true },
  { name: 'run_id', type: 'string', description: 'Execution the row comes from.', required: true },
  { name: 'run_kind', type: 'string', description: 'build (write-audit-publish) or check.', required: true },
  { name: 'checked_at', type: 'timestamp', description: 'When the rule was measured (UTC).', required: true },
];

/** Bookkeeping columns a build's staging table adds to the product's own. */
export const STAGING_COLUMNS: readonly PlainColumn[] = [
  { name: 'run_id', type: 'string', required: true },
  { name: 'staged_at', type: 'timestamp', required: true },
];

function icebergType(type: string): string {
  if (type === 'bigint') return 'long';
  if (type.startsWith('varchar')) return 'string';
  return type;
}

/** Glue's Iceberg input: schema with field ids, identity partitions, identifier fields from the primary key. */
export function icebergInput(
  columns: readonly PlainColumn[],
  location: string,
): glue.CfnTable.OpenTableFormatInputProperty {
  const partitions = columns.flatMap((c, i) => (c.partition ? [{ column: c, id: i + 1 }] : []));
  const keys = columns.flatMap((c, i) => (c.primaryKey ? [i + 1] : []));
  return {
    icebergInput: {
      metadataOperation: 'CREATE',
      version: '2',
      icebergTableInput: {
        location,
        schema: {
          schemaId: 0,
          type: 'struct',
          fields: columns.map((c, i) => ({
            id: i + 1,
            name: c.name,
            type: icebergType(c.type),
            required: c.required === true || c.primaryKey === true,
            ...(c.description ? { doc: c.description } : {}),
          })),
          ...(keys.length > 0 ? { identifierFieldIds: keys } : {}),
        },
        ...(partitions.length > 0
          ? {
              partitionSpec: {
                specId: 0,
                fields: partitions.map((p, i) => ({
                  name: p.column.name,
                  sourceId: p.id,
                  transform: 'identity',
                  fieldId: 1000 + i,
                })),
              },
            }
          : {}),
        properties: {
          'write.format.default': 'parquet',
          'write.parquet.compression-codec': 'zstd',
          'write.delete.mode': 'merge-on-read',
          'write.update.mode': 'merge-on-read',
          'write.merge.mode': 'merge-on-read',
        },
      },
    },
  };
}

const columnsOf = (columns: readonly SyntheticColumn[]) =>
  columns.map((c) => ({ name: c.name, type: c.type, comment: c.description }));

export interface ProductTableProps {
  /** The owning domain's name. */
  readonly domain: string;
  readonly product: SyntheticProduct;
  /** `Team <email>`, recorded in the table's parameters. */
  readonly owner: string;
  /** Glue table name. */
  readonly table: string;
  /** `s3://bucket/products/<product>/v<major>/`. */
  readonly location: string;
}

/** The table input of a product version: Parquet with partition projection, or an Iceberg table's Glue entry. */
export function productTableInput(props: ProductTableProps): glue.CfnTable.TableInputProperty {
  const { product } = props;
  const described = {
    'mesh.domain': props.domain,
    'mesh.product': product.name,
    'mesh.version': product.version,
    'mesh.owner': props.owner,
    'mesh.classification': product.classification,
    'mesh.archetype': product.archetype,
    'mesh.visibility': product.access.visibility,
    'mesh.sla.updateFrequency': product.sla.updateFrequency,
    'mesh.sla.freshness': `${product.sla.freshness.within} on ${product.sla.freshness.column}`,
    'mesh.sla.retention': product.sla.retention,
  };
  if (product.format === 'iceberg') {
    return {
      name: props.table,
      description: product.description.purpose,
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', table_type: 'ICEBERG', classification: 'iceberg', ...described },
      storageDescriptor: { columns: columnsOf(product.columns), location: props.location },
    };
  }
  const partitions = product.columns.filter((c) => c.partition !== undefined);
  const projection: Record<string, string> = {};
  for (const column of partitions) {
    const range = typeof column.partition === 'object' ? column.partition.range : 'NOW-1YEARS,NOW';
    Object.assign(projection, {
      [`projection.${column.name}.type`]: 'date',
      [`projection.${column.name}.range`]: range,
      [`projection.${column.name}.format`]: 'yyyy-MM-dd',
      [`projection.${column.name}.interval`]: '1',
      [`projection.${column.name}.interval.unit`]: 'DAYS',
    });
  }
  const template = partitions.map((c) => `${c.name}=\${${c.name}}`).join('/');
  return {
    name: props.table,
    description: product.description.purpose,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': 'SNAPPY',
      ...described,
      ...(partitions.length > 0
        ? { 'projection.enabled': 'true', ...projection, 'storage.location.template': `${props.location}${template}/` }
        : {}),
    },
    partitionKeys: columnsOf(partitions),
    storageDescriptor: {
      columns: columnsOf(product.columns.filter((c) => c.partition === undefined)),
      location: props.location,
      compressed: true,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    },
  };
}
