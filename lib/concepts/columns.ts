/**
 * Which shared concept each column of a product means: the one it references (`concept: 'customer_id'`) and
 * the one its name looks like. A column named like a concept that does not reference it is a join key no
 * other domain can rely on; rules and `mesh concepts` read both from here.
 */
import { parseColumnType, renderGlueType } from '../definition/column-type';
import type { MeshProduct } from '../mesh/model';
import {
  type Concept,
  type ConceptRegistry,
  conceptNamedLike,
  DECIMAL_FAMILY,
  findConcept,
} from '../policies/concept-registry';
import { CONCEPT_REGISTRY } from '../policies/concepts';
import { type LocatedColumn, liveColumns } from '../policies/rules/mesh/schema-paths';

/** A live column and a concept it means. */
export interface ConceptColumn extends LocatedColumn {
  readonly concept: Concept;
  /** The column references the concept; false when only its name means it. */
  readonly referenced: boolean;
}

/**
 * Every live column that references a concept or is named like one, once per concept it means: a column
 * named `customer_id` that references `order_id` appears twice, referencing one and not the other.
 */
export function conceptColumns(product: MeshProduct, registry: ConceptRegistry = CONCEPT_REGISTRY): ConceptColumn[] {
  const found: ConceptColumn[] = [];
  for (const located of liveColumns(product)) {
    const { concept: reference, name } = located.column;
    const referenced = reference === undefined ? undefined : findConcept(registry, reference);
    if (referenced) found.push({ ...located, concept: referenced, referenced: true });
    const lookalike = conceptNamedLike(registry, name);
    if (lookalike && lookalike !== referenced) found.push({ ...located, concept: lookalike, referenced: false });
  }
  return found;
}

/** Whether a column of `type` may reference the concept as it is (the definition refuses a contradiction). */
export function typeFitsConcept(type: string, concept: Concept): boolean {
  const written = parseColumnType(type);
  if (concept.type === DECIMAL_FAMILY) return written.kind === 'decimal';
  return renderGlueType(written) === renderGlueType(parseColumnType(concept.type));
}
