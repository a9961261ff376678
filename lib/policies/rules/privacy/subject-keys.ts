import type { MeshRule } from '../../model';
import { liveColumns } from '../mesh/schema-paths';

/** MESH-PRIV-002: a product with personal data says whose data it is, so an erasure request can find it. */
export const subjectKeysDeclared: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PRIV-002',
  severity: 'error',
  exceptable: false,
  title: 'Products with personal data declare their subject keys',
  explanation:
    'Personal data is about someone. A product with pii columns names the columns that identify that person (privacy.subjectKeys), so `mesh erase --subject <key>=<value>` finds every row of the person in it and in what is built from it (GDPR article 17).',
  fix: "declare privacy: { subjectKeys: ['<column identifying the person>'] }",
  checkProduct(product) {
    const personal = liveColumns(product).filter(({ column }) => column.pii);
    if (personal.length === 0 || (product.definition.privacy?.subjectKeys.length ?? 0) > 0) return [];
    const keyLike = product.definition.schema.columns.find((c) => c.primaryKey && !c.pii) ?? undefined;
    return [
      {
        finding: 'privacy.subjectKeys',
        message: `holds personal data (${personal.map(({ column }) => column.name).join(', ')}) but declares no subject key`,
        fix: `declare privacy: { subjectKeys: ['${keyLike?.name ?? '<column identifying the person>'}'] }, the column that identifies the person`,
      },
    ];
  },
};
