import type { MeshRule } from '../../model';
import { liveColumns } from './schema-paths';

/** MESH-PROD-003: every column described. */
export const columnDescriptions: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-003',
  severity: 'error',
  title: 'Every column has a description',
  explanation:
    'The column description is the contract consumers read in the catalog (it becomes the Glue column comment). Every column of every live major needs one.',
  fix: 'add description to the column',
  checkProduct(product) {
    return liveColumns(product)
      .filter(({ column }) => !column.description?.trim())
      .map(({ column, path, current, major }) => ({
        finding: current ? `Column::${column.name}` : `v${major}::Column::${column.name}`,
        message: `column "${column.name}"${current ? '' : ` of v${major}`} has no description`,
        fix: `add description to ${path}`,
      }));
  },
};
