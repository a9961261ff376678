/**
 * The quality rules a product version is held to by the concepts its columns reference: a concept with a
 * pattern implies a `pattern` rule on each such column. They are the concept's promise, not the product's,
 * so they are checked wherever quality is (mesh check, builds, scheduled checks) but are not part of the
 * product's locked contract; a product that writes its own pattern rule for the column keeps only its own.
 */
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { type ConceptRegistry, findConcept } from '../policies/concept-registry';
import { CONCEPT_REGISTRY } from '../policies/concepts';

/** A pattern a column must match because of the concept it references. */
export interface ConceptPatternRule {
  readonly column: string;
  readonly concept: string;
  readonly pattern: string;
  /** Where the reference is written in the product file, e.g. `schema.columns[0].concept`. */
  readonly source: string;
}

/** The implied pattern rules of one version, in column order. */
export function conceptPatternRules(
  product: MeshProduct,
  version: ProductVersion,
  registry: ConceptRegistry = CONCEPT_REGISTRY,
): ConceptPatternRule[] {
  const ownPatterns = new Set(
    product.definition.quality.flatMap((rule) => (rule.rule === 'pattern' ? [rule.column] : [])),
  );
  const schemaPath = versionSchemaPath(product, version);
  const rules: ConceptPatternRule[] = [];
  version.schema.columns.forEach((column, i) => {
    const concept = column.concept === undefined ? undefined : findConcept(registry, column.concept);
    if (!concept?.pattern || ownPatterns.has(column.name)) return;
    rules.push({
      column: column.name,
      concept: concept.name,
      pattern: concept.pattern,
      source: `${schemaPath}.columns[${i}].concept`,
    });
  });
  return rules;
}

/** `schema` for the current major, `previousVersions[n].schema` for an earlier one. */
function versionSchemaPath(product: MeshProduct, version: ProductVersion): string {
  if (version.current) return 'schema';
  const index = product.definition.previousVersions.findIndex((p) => p.version === version.version);
  return `previousVersions[${index}].schema`;
}
