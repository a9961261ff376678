import type { MeshRule } from '../../model';
import { liveColumns } from './schema-paths';

/** Athena's reserved keywords in SELECT statements (Athena user guide, "Reserved keywords"). */
const SELECT_RESERVED = new Set(
  `alter and as between by case cast constraint create cross cube current_date current_path current_time
   current_timestamp current_user deallocate delete describe distinct drop else end escape except execute exists
   extract false first for from full group grouping having in inner insert intersect into is join last left like
   localtime localtimestamp natural normalize not null on or order outer prepare recursive right rollup select
   table then true uescape union unnest using values when where with`.split(/\s+/),
);

/** MESH-PROD-009: column names need no quoting in queries. */
export const noReservedColumnNames: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-009',
  severity: 'warning',
  title: 'Column names are not SQL reserved words',
  explanation:
    'A column named like an Athena reserved word (order, end, from, ...) must be double-quoted in every query; consumers forget, and generated SQL has to special-case it.',
  fix: 'rename the column (in a new major, if the product is published)',
  checkProduct(product) {
    return liveColumns(product)
      .filter(({ column, current }) => current && SELECT_RESERVED.has(column.name))
      .map(({ column, path }) => ({
        finding: `Column::${column.name}`,
        message: `column "${column.name}" is an Athena reserved word`,
        fix: `rename ${path} (e.g. "${column.name}_value")`,
      }));
  },
};
