/**
 * The shape of the governance guild's shared concepts (lib/policies/concepts.ts): what a cross-domain join
 * key or value means — its type, the pattern its values follow, its description and the domain that owns it.
 * A column references a concept (`concept: 'customer_id'`) and inherits its type and description; two
 * domains that reference one concept mean the same thing by it. Parsed with zod when the module loads, so a
 * malformed registry fails every synth with the field to fix.
 */
import { z } from 'zod';
import { ColumnTypeError, parseColumnType } from '../definition/column-type';

/** Where the concepts live, for messages and CODEOWNERS. */
export const CONCEPTS_FILE = 'lib/policies/concepts.ts';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const snakeCase = z.string().regex(SNAKE, { message: 'must be snake_case' });
const nonEmptyText = z.string().trim().min(1, { message: 'must not be empty' });

/** `decimal` alone: any `decimal(p,s)`; the column then states its precision and scale. */
export const DECIMAL_FAMILY = 'decimal';

const conceptType = z.string().superRefine((text, ctx) => {
  if (text === DECIMAL_FAMILY) return;
  try {
    parseColumnType(text);
  } catch (err) {
    if (!(err instanceof ColumnTypeError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

const patternText = nonEmptyText.superRefine((text, ctx) => {
  try {
    new RegExp(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `is not a regular expression: ${(err as Error).message}` });
  }
});

export const ConceptSchema = z.strictObject({
  /** The name columns reference, snake_case; also the column name most products use for it. */
  name: snakeCase,
  /** What a value means, inherited by columns that reference the concept and do not describe themselves. */
  description: nonEmptyText,
  /** The domain that owns the concept: it decides what the values mean and issues them. */
  owner: snakeCase,
  /**
   * Column type of every column of the concept, e.g. `string` or `varchar(2)`, inherited by columns that
   * reference it; `decimal` admits any `decimal(p,s)`, and the column states which.
   */
  type: conceptType,
  /** Regular expression every value matches (RE2 syntax Athena and DuckDB share); checked as a quality rule. */
  pattern: patternText.optional(),
  /**
   * Column names that mean this concept: a column named so that does not reference it is a finding.
   * @default the concept's name
   */
  lookalikes: z.array(snakeCase).optional(),
  /** Values of this concept are amounts: the column names its currency, or the product has a currency column. */
  needsCurrency: z.boolean().default(false),
  /**
   * Values identify a data subject (a person): products that carry the concept hold that person's data, and
   * `mesh erase --subject <concept>=<value>` erases it.
   */
  subject: z.boolean().default(false),
  /** Example values, used by `mesh sample` so keys join across domains and shown in the ODCS export. */
  examples: z.array(z.union([z.string(), z.number()])).optional(),
});
export type Concept = z.infer<typeof ConceptSchema>;

export const ConceptRegistrySchema = z
  .strictObject({
    /**
     * Severity of a column that is named like a concept but does not reference it: the guild decides how
     * strictly join keys are held to the shared meaning.
     */
    unreferencedSeverity: z.enum(['error', 'warning']).default('warning'),
    /** Where a concept's definition is documented, linked from ODCS `authoritativeDefinitions`. */
    documentationUrl: z.url({ message: 'must be a URL' }),
    concepts: z.array(ConceptSchema).min(1, { message: 'must define at least one concept' }),
  })
  .superRefine((registry, ctx) => {
    const claimed = new Map<string, string>();
    registry.concepts.forEach((concept, index) => {
      for (const name of [concept.name, ...(concept.lookalikes ?? [])]) {
        const owner = claimed.get(name);
        if (owner !== undefined && owner !== concept.name) {
          ctx.addIssue({
            code: 'custom',
            path: ['concepts', index, 'lookalikes'],
            message: `"${name}" already means concept "${owner}"`,
          });
        }
        if (owner === undefined) claimed.set(name, concept.name);
      }
      if (registry.concepts.findIndex((c) => c.name === concept.name) !== index) {
        ctx.addIssue({ code: 'custom', path: ['concepts', index, 'name'], message: 'is defined twice' });
      }
    });
  });
export type ConceptRegistry = z.infer<typeof ConceptRegistrySchema>;
export type ConceptRegistryInput = z.input<typeof ConceptRegistrySchema>;

/** Parses a registry, or throws one line per problem naming the registry file and the field. */
export function defineConceptRegistry(input: ConceptRegistryInput, file = CONCEPTS_FILE): ConceptRegistry {
  const parsed = ConceptRegistrySchema.safeParse(input);
  if (parsed.success) return Object.freeze(parsed.data);
  const lines = parsed.error.issues.map((issue) => `${file}:${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid concept registry:\n${lines.join('\n')}`);
}

/** The concept of that name. */
export function findConcept(registry: ConceptRegistry, name: string): Concept | undefined {
  return registry.concepts.find((c) => c.name === name);
}

/** The concept a column name looks like (its name or one of its lookalikes). */
export function conceptNamedLike(registry: ConceptRegistry, columnName: string): Concept | undefined {
  return registry.concepts.find((c) => (c.lookalikes ?? [c.name]).includes(columnName) || c.name === columnName);
}
