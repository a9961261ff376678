/**
 * The Glue table of a product version, as plain data in the shape of Glue's TableInput. The construct
 * deploys it; `mesh show --live` compares it with what Glue holds.
 */
import { parseColumnType, renderGlueType } from '../definition/column-type';
import type { Column, PartitionProjection } from '../definition/schema';
import type { Mesh, MeshProduct, ProductVersion } from '../mesh/model';
import { productVersionNames } from '../mesh/naming';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

export interface GlueTableInput {
  readonly name: string;
  readonly description: string;
  readonly tableType: 'EXTERNAL_TABLE';
  readonly parameters: Record<string, string>;
  readonly partitionKeys: GlueColumn[];
  readonly storageDescriptor: {
    readonly columns: GlueColumn[];
    readonly location: string;
    /** Hive formats; absent for Iceberg tables, whose metadata names the files. */
    readonly inputFormat?: string;
    readonly outputFormat?: string;
    readonly compressed?: boolean;
    readonly serdeInfo?: { readonly serializationLibrary: string; readonly parameters?: Record<string, string> };
  };
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** Hive input/output formats and SerDe per storage format. */
export const STORAGE_FORMATS = {
  parquet: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    compressed: true,
  },
  json: {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    compressed: false,
  },
  csv: {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    serdeInfo: {
      serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      parameters: { 'field.delim': ',', 'serialization.format': ',' },
    },
    compressed: false,
  },
} as const;

/** Glue limits a column comment to 255 characters. */
const MAX_COMMENT = 255;

// CloudFormation's Glue column has name, type and comment only: column-level classification lives in table parameters.
function glueColumn(column: Column): GlueColumn {
  return {
    name: column.name,
    type: renderGlueType(parseColumnType(column.type)),
    comment: column.description ? column.description.slice(0, MAX_COMMENT) : undefined,
  };
}

/** Table parameters naming PII columns and columns classified differently from the product. */
export function columnClassificationParameters(
  columns: readonly Column[],
  productClassification: string,
): Record<string, string> {
  const parameters: Record<string, string> = {};
  const pii = columns.filter((c) => c.pii).map((c) => c.name);
  if (pii.length > 0) parameters['mesh.pii.columns'] = pii.join(',');
  for (const column of columns) {
    if (column.classification && column.classification !== productClassification) {
      parameters[`mesh.column.${column.name}.classification`] = column.classification;
    }
  }
  return parameters;
}

/** Table parameters for partition projection (REFERENCE.md: every partition column needs its settings). */
export function projectionParameters(columns: readonly Column[], location: string): Record<string, string> {
  const partitions = columns.filter((c) => c.partition);
  if (partitions.length === 0) return {};
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const column of partitions) {
    const key = `projection.${column.name}`;
    const projection = column.partition as PartitionProjection;
    parameters[`${key}.type`] = projection.projection;
    switch (projection.projection) {
      case 'date':
        parameters[`${key}.range`] = projection.range;
        parameters[`${key}.format`] = projection.format;
        parameters[`${key}.interval`] = String(projection.interval);
        parameters[`${key}.interval.unit`] = projection.unit;
        break;
      case 'integer':
        parameters[`${key}.range`] = projection.range.join(',');
        if (projection.digits) parameters[`${key}.digits`] = String(projection.digits);
        break;
      case 'enum':
        parameters[`${key}.values`] = projection.values.join(',');
        break;
      case 'injected':
        break;
    }
  }
  parameters['storage.location.template'] = `${location}${partitions.map((c) => `${c.name}=\${${c.name}}/`).join('')}`;
  return parameters;
}

/** S3 URI of a product version's data; `bucket` may hold deploy-time tokens. */
export function productLocation(bucket: string, product: string, major: number): string {
  return `s3://${bucket}/${productVersionNames(product, major).prefix}`;
}

/**
 * The Glue table for one live major of a product. Table parameters carry owner, version, classification and
 * SLA, so the catalog describes the product without the definition files.
 */
export function glueTableInput(
  mesh: Mesh,
  product: MeshProduct,
  version: ProductVersion,
  bucket: string,
): GlueTableInput {
  const { definition } = product;
  const location = productLocation(bucket, product.name, version.major);
  const iceberg = version.schema.format === 'iceberg';
  const columns = version.schema.columns;
  const parameters: Record<string, string> = {
    EXTERNAL: 'TRUE',
    classification: version.schema.format,
    'mesh.prefix': mesh.config.prefix,
    'mesh.domain': product.domain,
    'mesh.product': product.name,
    'mesh.version': version.version,
    'mesh.major': String(version.major),
    'mesh.status': version.current ? definition.status : 'deprecated',
    'mesh.archetype': definition.archetype,
    'mesh.owner': `${product.owner.team} <${product.owner.email}>`,
    'mesh.classification': product.classification,
    'mesh.visibility': definition.access.visibility,
    ...columnClassificationParameters(columns, product.classification),
    ...(iceberg ? {} : projectionParameters(columns, location)),
  };
  if (version.sunset) parameters['mesh.sunset'] = version.sunset;
  if (definition.sla) {
    parameters['mesh.sla.updateFrequency'] = definition.sla.updateFrequency;
    parameters['mesh.sla.retention'] = definition.sla.retention;
    if (definition.sla.freshness) {
      parameters['mesh.sla.freshness'] = `${definition.sla.freshness.within} on ${definition.sla.freshness.column}`;
    }
  }
  if (definition.tags.length > 0) parameters['mesh.tags'] = definition.tags.join(',');
  if (version.schema.format === 'parquet') parameters['parquet.compression'] = 'SNAPPY';
  if (version.schema.format === 'iceberg') {
    // Glue keeps Iceberg partitioning in the table's metadata (identity transforms), not in partition keys.
    return {
      name: productVersionNames(product.name, version.major).table,
      description: definition.description.purpose,
      tableType: 'EXTERNAL_TABLE',
      parameters,
      partitionKeys: [],
      storageDescriptor: { columns: columns.map(glueColumn), location },
    };
  }
  const format = STORAGE_FORMATS[version.schema.format];
  return {
    name: productVersionNames(product.name, version.major).table,
    description: definition.description.purpose,
    tableType: 'EXTERNAL_TABLE',
    parameters,
    partitionKeys: columns.filter((c) => c.partition).map(glueColumn),
    storageDescriptor: {
      columns: columns.filter((c) => !c.partition).map(glueColumn),
      location,
      inputFormat: format.inputFormat,
      outputFormat: format.outputFormat,
      compressed: format.compressed,
      serdeInfo: format.serdeInfo,
    },
  };
}
