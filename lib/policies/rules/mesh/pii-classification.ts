import type { Classification } from '../../../definition/schema';
import type { MeshRule } from '../../model';
import { liveColumns } from './schema-paths';

const PROTECTED: ReadonlySet<Classification> = new Set(['confidential', 'restricted']);

/** MESH-PROD-005: personal data is at least confidential. */
export const piiClassification: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-005',
  severity: 'error',
  exceptable: false,
  title: 'Columns with personal data are confidential or restricted',
  explanation:
    'Personal data (pii: true) must be classified confidential or restricted, on the column or through the product, so catalogs, tags and access reviews treat it as such.',
  fix: "set classification: 'confidential' (or 'restricted') on the column or the product",
  checkProduct(product) {
    return liveColumns(product)
      .filter(({ column }) => column.pii && !PROTECTED.has(column.classification ?? product.classification))
      .map(({ column, path }) => ({
        finding: `Column::${column.name}`,
        message: `column "${column.name}" holds personal data but is classified ${column.classification ?? product.classification}`,
        fix: `set classification: 'confidential' on ${path} (or on the product)`,
      }));
  },
};
