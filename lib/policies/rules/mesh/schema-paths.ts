/** Field paths inside a product file, so a finding says exactly what to edit. */
import type { Column } from '../../../definition/schema';
import type { MeshProduct } from '../../../mesh/model';

export interface LocatedColumn {
  readonly column: Column;
  /** e.g. `schema.columns[4]` or `previousVersions[0].schema.columns[2]`. */
  readonly path: string;
  /** `v2` etc. */
  readonly major: number;
  readonly current: boolean;
}

/** Every column of every live major, with its path in the product file. */
export function liveColumns(product: MeshProduct): LocatedColumn[] {
  const columns: LocatedColumn[] = product.definition.schema.columns.map((column, i) => ({
    column,
    path: `schema.columns[${i}]`,
    major: product.versions[0].major,
    current: true,
  }));
  product.definition.previousVersions.forEach((previous, v) => {
    const major = Number(previous.version.split('.')[0]);
    previous.schema.columns.forEach((column, i) => {
      columns.push({ column, path: `previousVersions[${v}].schema.columns[${i}]`, major, current: false });
    });
  });
  return columns;
}
