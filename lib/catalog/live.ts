/**
 * `mesh show --live`: compares what Glue holds with what the definitions say, through a thin adapter over
 * the Glue API so the comparison stays a plain function.
 */
import { EntityNotFoundException, GetTableCommand, GlueClient, type Table } from '@aws-sdk/client-glue';
import type { GlueTableInput } from './table-input';

/** The one Glue call the catalog needs. */
export interface GlueTableReader {
  /** The table, or undefined when it does not exist. */
  getTable(database: string, table: string): Promise<Table | undefined>;
}

export class SdkGlueTableReader implements GlueTableReader {
  constructor(private readonly client: GlueClient = new GlueClient({})) {}

  async getTable(database: string, table: string): Promise<Table | undefined> {
    try {
      const response = await this.client.send(new GetTableCommand({ DatabaseName: database, Name: table }));
      return response.Table;
    } catch (err) {
      if (err instanceof EntityNotFoundException || (err as Error).name === 'EntityNotFoundException') return undefined;
      throw err;
    }
  }
}

export interface TableDrift {
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

const columnList = (columns: readonly { name?: string; Name?: string; type?: string; Type?: string }[] | undefined) =>
  (columns ?? []).map((c) => `${c.name ?? c.Name}:${c.type ?? c.Type}`).join(', ');

/** Differences between the definition's table and the deployed one; empty when in sync. */
export function compareTable(expected: GlueTableInput, actual: Table | undefined): TableDrift[] {
  if (!actual) return [{ field: 'table', expected: expected.name, actual: 'not deployed' }];
  const drift: TableDrift[] = [];
  const check = (field: string, want: string, have: string) => {
    if (want !== have) drift.push({ field, expected: want, actual: have });
  };
  check('columns', columnList(expected.storageDescriptor.columns), columnList(actual.StorageDescriptor?.Columns));
  check('partitionKeys', columnList(expected.partitionKeys), columnList(actual.PartitionKeys));
  check('location', expected.storageDescriptor.location, actual.StorageDescriptor?.Location ?? '');
  check('format', expected.storageDescriptor.inputFormat ?? '', actual.StorageDescriptor?.InputFormat ?? '');
  for (const key of ['mesh.version', 'mesh.classification', 'mesh.owner', 'mesh.sunset']) {
    check(`parameters.${key}`, expected.parameters[key] ?? '', actual.Parameters?.[key] ?? '');
  }
  return drift;
}
