/**
 * What a column inherits from the shared concept it references: its type and description. A column that
 * states a type must state the concept's; an unknown concept is named with the ones that exist.
 */
import type { z } from 'zod';
import type { ConceptRegistry } from '../policies/concept-registry';
import { ColumnTypeError, parseColumnType, renderGlueType } from './column-type';

/** A column as written, before the concept fills it in. */
interface WrittenColumn {
  readonly type?: string;
  readonly concept?: string;
  readonly currency?: string;
  readonly description?: string;
}

/** The column with the concept's type and description filled in; `z.NEVER` after reporting a problem. */
export function inheritConcept<C extends WrittenColumn>(
  column: C,
  registry: ConceptRegistry,
  ctx: z.RefinementCtx,
): C & { type: string } {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (column.concept === undefined) {
    if (column.currency !== undefined) {
      problem('currency', 'a currency belongs to an amount: reference the money_amount concept (concept) or remove it');
    }
    if (column.type === undefined) {
      problem('type', 'a column needs a type, or a concept to inherit it from (concept)');
      return undefined as never;
    }
    return column as C & { type: string };
  }
  const concept = registry.concepts.find((c) => c.name === column.concept);
  if (!concept) {
    const known = registry.concepts.map((c) => c.name).join(', ');
    problem('concept', `unknown concept "${column.concept}" (concepts in lib/policies/concepts.ts: ${known})`);
    return undefined as never;
  }
  if (column.currency !== undefined && !concept.needsCurrency) {
    problem('currency', `concept "${concept.name}" is not an amount; remove currency`);
  }
  const type = column.type ?? (concept.type === 'decimal' ? undefined : concept.type);
  if (type === undefined) {
    problem(
      'type',
      `concept "${concept.name}" admits any decimal(p,s): give the column's precision and scale, e.g. type: 'decimal(14,2)'`,
    );
    return undefined as never;
  }
  if (column.type !== undefined && !typeMatches(column.type, concept.type)) {
    problem(
      'type',
      `type "${column.type}" contradicts concept "${concept.name}", which is ${concept.type === 'decimal' ? 'a decimal(p,s)' : concept.type} (remove type to inherit it)`,
    );
  }
  return { ...column, type, description: column.description ?? concept.description };
}

/** Whether a written type is the concept's; `decimal` admits every precision and scale. */
function typeMatches(written: string, conceptType: string): boolean {
  try {
    const type = parseColumnType(written);
    if (conceptType === 'decimal') return type.kind === 'decimal';
    return renderGlueType(type) === renderGlueType(parseColumnType(conceptType));
  } catch (err) {
    // An unparsable type is reported by the type's own check.
    if (err instanceof ColumnTypeError) return true;
    throw err;
  }
}
