import { conceptColumns, typeFitsConcept } from '../../../concepts/columns';
import { type Concept, DECIMAL_FAMILY } from '../../concept-registry';
import { CONCEPT_REGISTRY } from '../../concepts';
import type { MeshRule } from '../../model';
import type { LocatedColumn } from '../mesh/schema-paths';

/** MESH-CPT-001: a column named like a shared concept references it, so it joins what other domains mean by it. */
export const conceptsReferenced: MeshRule = {
  kind: 'mesh',
  id: 'MESH-CPT-001',
  // The guild decides how strictly join keys are held to the shared meaning (lib/policies/concepts.ts).
  severity: CONCEPT_REGISTRY.unreferencedSeverity,
  title: 'Columns named like a shared concept reference it',
  explanation:
    "A column named customer_id, country or order_id is read as the mesh's shared concept of that name (lib/policies/concepts.ts): consumers join on it across domains. Referencing the concept (concept: '<name>') makes the column take the concept's type and pattern, so the join holds; a lookalike that does not is a key nobody can rely on. Every column of every live major is checked; the guild sets the severity.",
  fix: "reference the concept (concept: '<name>') and drop the column's type, or rename the column if it means something else",
  checkProduct(product) {
    return conceptColumns(product)
      .filter((found) => !found.referenced)
      .map(({ concept, ...located }) => {
        const { column, current, major } = located;
        const other = column.concept === undefined ? 'does not reference it' : `references "${column.concept}"`;
        return {
          finding: current ? `Column::${column.name}` : `v${major}::Column::${column.name}`,
          message: `column "${column.name}"${current ? '' : ` of v${major}`} is named like concept "${concept.name}" but ${other}`,
          fix: referenceFix(concept, located),
        };
      });
  },
};

/** What to write, and what the column then inherits. */
function referenceFix(concept: Concept, { column, path }: LocatedColumn): string {
  const set = `set concept: '${concept.name}' on ${path}`;
  const rename = 'If the column means something else, rename it';
  const description = "the concept's description where the column has none";
  const pattern = concept.pattern ? `pattern ${concept.pattern} (checked as a quality rule), ` : '';
  if (concept.type === DECIMAL_FAMILY) {
    const type = typeFitsConcept(column.type, concept)
      ? `keep type ${column.type} (the concept admits any decimal(p,s))`
      : `change type ${column.type} to a decimal(p,s)`;
    const currency = concept.needsCurrency
      ? " and name its currency (currency: 'EUR') or add a currency_code column"
      : '';
    return `${set}, ${type}${currency}: the column inherits ${pattern}${description}. ${rename}`;
  }
  const change = typeFitsConcept(column.type, concept)
    ? ''
    : ` (its type becomes ${concept.type}: consumers see a new type)`;
  return `${set} and drop type ${column.type}${change}: the column inherits type ${concept.type}, ${pattern}${description}. ${rename}`;
}
