/**
 * The Iceberg metadata of a product version stored as `format: 'iceberg'`, in the shape of Glue's
 * OpenTableFormatInput: Glue writes the first metadata file at create time, so the table is queryable and
 * MERGE-able by Athena as soon as the stack deploys.
 */
import { type ColumnType, parseColumnType } from '../definition/column-type';
import type { Column } from '../definition/schema';

/** One field of an Iceberg schema (Iceberg table spec, "Schemas and Data Types"). */
export interface IcebergField {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly type: IcebergType;
  readonly doc?: string;
}

/** An Iceberg primitive type name. CloudFormation's Glue Iceberg schema takes field types as strings only. */
export type IcebergType = string;

export interface IcebergOpenTableFormatInput {
  readonly icebergInput: {
    readonly metadataOperation: 'CREATE';
    readonly version: '2';
    readonly icebergTableInput: {
      readonly location: string;
      readonly schema: {
        readonly schemaId: 0;
        readonly type: 'struct';
        readonly fields: IcebergField[];
        readonly identifierFieldIds?: number[];
      };
      readonly partitionSpec?: {
        readonly specId: 0;
        readonly fields: { name: string; sourceId: number; transform: 'identity'; fieldId: number }[];
      };
      readonly properties: Record<string, string>;
    };
  };
}

/** Iceberg limits nothing here, but Glue rejects docs over 255 characters like column comments. */
const MAX_DOC = 255;
/** Iceberg reserves partition field ids from 1000. */
const FIRST_PARTITION_FIELD_ID = 1000;

/**
 * The Iceberg type of a column type, or undefined for nested types: CloudFormation's Glue Iceberg schema
 * writes a field type as a string, so `list`/`map`/`struct` (JSON objects in the Iceberg spec) cannot be declared.
 */
export function icebergType(type: ColumnType): IcebergType | undefined {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'bigint' ? 'long' : type.name;
    case 'varchar':
      return 'string';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    default:
      return undefined;
  }
}

/**
 * The Iceberg schema and partition spec of a product version's columns. Primary key columns become the
 * table's identifier fields (required, as Iceberg demands); `partition: true` columns are identity partitions.
 */
export function icebergOpenTableFormatInput(
  columns: readonly Column[],
  location: string,
  properties: Record<string, string> = {},
): IcebergOpenTableFormatInput {
  const fields: IcebergField[] = columns.map((column, i) => ({
    id: i + 1,
    name: column.name,
    required: column.required || column.primaryKey,
    type: icebergType(parseColumnType(column.type)) ?? 'string',
    ...(column.description ? { doc: column.description.slice(0, MAX_DOC) } : {}),
  }));
  const identifierFieldIds = columns.flatMap((c, i) => (c.primaryKey ? [i + 1] : []));
  const partitionFields = columns.flatMap((c, i) =>
    c.partition === true ? [{ name: c.name, sourceId: i + 1, transform: 'identity' as const }] : [],
  );
  return {
    icebergInput: {
      metadataOperation: 'CREATE',
      version: '2',
      icebergTableInput: {
        location,
        schema: {
          schemaId: 0,
          type: 'struct',
          fields,
          ...(identifierFieldIds.length > 0 ? { identifierFieldIds } : {}),
        },
        ...(partitionFields.length > 0
          ? {
              partitionSpec: {
                specId: 0,
                fields: partitionFields.map((f, i) => ({ ...f, fieldId: FIRST_PARTITION_FIELD_ID + i })),
              },
            }
          : {}),
        // Parquet data files, compressed like the platform's other Parquet products; merge-on-read keeps MERGE cheap.
        properties: {
          'write.format.default': 'parquet',
          'write.parquet.compression-codec': 'snappy',
          'write.merge.mode': 'merge-on-read',
          'write.delete.mode': 'merge-on-read',
          'write.update.mode': 'merge-on-read',
          ...properties,
        },
      },
    },
  };
}
