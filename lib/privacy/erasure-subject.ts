/**
 * Who an erasure is about: the `<key>=<value>` pairs of a request, the subject keys a mesh knows (concepts
 * with `subject: true` and the columns products declare in `privacy.subjectKeys`), and the columns of a
 * product version that hold a key's values.
 */
import { isNumericType, isTextType, parseColumnType } from '../definition/column-type';
import type { Column } from '../definition/schema';
import type { Mesh, MeshProduct, ProductVersion } from '../mesh/model';
import { CONCEPTS_FILE, type Concept, type ConceptRegistry, findConcept } from '../policies/concept-registry';
import { quoteIdentifier, quoteString } from '../quality/sql-text';

/** A request that cannot be planned (malformed subject, unknown key); the message says what to pass. */
export class ErasureInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErasureInputError';
  }
}

/** One `<key>=<value>` of a request: a value of a subject key, e.g. `customer_id=C-000042`. */
export interface SubjectKeyValue {
  readonly key: string;
  readonly value: string;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Parses `<key>=<value>` (the value may itself hold `=`); throws ErasureInputError naming the fix. */
export function parseSubject(text: string): SubjectKeyValue {
  const at = text.indexOf('=');
  if (at < 0) {
    throw new ErasureInputError(
      `--subject "${text}": expected <key>=<value>, e.g. --subject customer_id=C-000042 (the key is a subject concept or a declared subject key)`,
    );
  }
  const key = text.slice(0, at).trim();
  const value = text.slice(at + 1);
  if (!SNAKE.test(key)) {
    throw new ErasureInputError(`--subject "${text}": the key "${key}" must be a snake_case column or concept name`);
  }
  if (value.trim() === '') throw new ErasureInputError(`--subject "${text}": the value after "=" is empty`);
  if (value.includes('\0')) throw new ErasureInputError(`--subject "${text}": the value cannot contain NUL characters`);
  return { key, value };
}

/** How a column was found to hold a key's values. */
export type KeyColumnMatch =
  /** The column references the subject concept. */
  | 'concept'
  /** The column is named like the subject concept (its name or a lookalike) without referencing it. */
  | 'lookalike'
  /** The product lists the column in privacy.subjectKeys. */
  | 'declared'
  /** The product derives from a holder and has a column of the key's name. */
  | 'inherited';

/** A column of a product version holding a subject key's values. */
export interface KeyColumn {
  readonly name: string;
  /** The key of the request it matches. */
  readonly key: string;
  readonly match: KeyColumnMatch;
  /** Column type, e.g. `string`. */
  readonly type: string;
}

/** A subject key of the mesh and the products that hold it. */
export interface KnownSubjectKey {
  readonly key: string;
  /** `concept`: a subject concept of the registry; `declared`: only named in products' privacy.subjectKeys. */
  readonly source: 'concept' | 'declared';
  /** `<domain>/<product>` of every product with a version holding it, sorted. */
  readonly products: readonly string[];
}

/** The subject concept of that name, if the registry has one with `subject: true`. */
export function subjectConcept(registry: ConceptRegistry, key: string): Concept | undefined {
  const concept = findConcept(registry, key);
  return concept?.subject ? concept : undefined;
}

/**
 * Columns of the version that hold `key` on their own account: referencing the subject concept, named like it
 * without referencing another concept, or declared in the product's privacy.subjectKeys. With `inherited`, a
 * column merely named `key` counts too: the version derives from a holder and most likely copied the column.
 */
export function keyColumnsOf(
  product: MeshProduct,
  version: ProductVersion,
  key: string,
  registry: ConceptRegistry,
  options: { readonly inherited?: boolean } = {},
): KeyColumn[] {
  const concept = subjectConcept(registry, key);
  const declared = product.definition.privacy?.subjectKeys.includes(key) ?? false;
  const names = concept ? new Set([concept.name, ...(concept.lookalikes ?? [])]) : new Set<string>();
  const found: KeyColumn[] = [];
  for (const column of version.schema.columns) {
    const match = matchOf(column, key, concept, names, declared, options.inherited ?? false);
    if (match) found.push({ name: column.name, key, match, type: column.type });
  }
  return found;
}

function matchOf(
  column: Column,
  key: string,
  concept: Concept | undefined,
  names: ReadonlySet<string>,
  declared: boolean,
  inherited: boolean,
): KeyColumnMatch | undefined {
  if (concept && column.concept === concept.name) return 'concept';
  // A column that references another concept means that concept, whatever it is called.
  if (column.concept !== undefined) return undefined;
  if (names.has(column.name)) return 'lookalike';
  if (column.name === key && declared) return 'declared';
  if (column.name === key && inherited) return 'inherited';
  return undefined;
}

/** Every subject key of the mesh with the products holding it: subject concepts first, then declared keys. */
export function knownSubjectKeys(mesh: Mesh, registry: ConceptRegistry): KnownSubjectKey[] {
  const products = mesh.domains.flatMap((d) => d.products);
  const holders = (key: string) =>
    products
      .filter((p) => p.versions.some((v) => keyColumnsOf(p, v, key, registry).length > 0))
      .map((p) => p.id)
      .sort();
  const concepts = registry.concepts.filter((c) => c.subject).map((c) => c.name);
  const declared = [...new Set(products.flatMap((p) => p.definition.privacy?.subjectKeys ?? []))]
    .filter((key) => !concepts.includes(key))
    .sort();
  return [
    ...concepts.map((key) => ({ key, source: 'concept' as const, products: holders(key) })),
    ...declared.map((key) => ({ key, source: 'declared' as const, products: holders(key) })),
  ];
}

/**
 * Checks that every key of the request is one the mesh holds; throws ErasureInputError listing the keys
 * that exist and where they come from.
 */
export function checkSubjectKeys(
  subjects: readonly SubjectKeyValue[],
  mesh: Mesh,
  registry: ConceptRegistry,
): KnownSubjectKey[] {
  if (subjects.length === 0) {
    throw new ErasureInputError('name the subject: --subject <key>=<value>, e.g. --subject customer_id=C-000042');
  }
  const known = knownSubjectKeys(mesh, registry);
  const held = known.filter((k) => k.products.length > 0);
  const listing =
    held.length > 0
      ? held
          .map((k) => `${k.key} (${k.source === 'concept' ? 'concept' : 'declared'}, ${k.products.length} products)`)
          .join(', ')
      : 'none';
  const where = `subject keys are concepts with subject: true in ${CONCEPTS_FILE} and columns named in a product's privacy.subjectKeys`;
  const seen = new Set<string>();
  for (const { key } of subjects) {
    if (seen.has(key)) throw new ErasureInputError(`--subject ${key} is given twice; name each key once`);
    seen.add(key);
    const entry = known.find((k) => k.key === key);
    if (entry && entry.products.length > 0) continue;
    const concept = findConcept(registry, key);
    if (concept && !concept.subject) {
      throw new ErasureInputError(
        `--subject ${key}: concept "${key}" does not identify a person (no subject: true in ${CONCEPTS_FILE}); subject keys held in this mesh: ${listing}`,
      );
    }
    throw new ErasureInputError(
      `--subject ${key}: no product holds subject key "${key}"; subject keys held in this mesh: ${listing} (${where})`,
    );
  }
  return known;
}

/** Warnings about values that no product should hold, e.g. one that does not match its concept's pattern. */
export function subjectValueWarnings(subjects: readonly SubjectKeyValue[], registry: ConceptRegistry): string[] {
  return subjects.flatMap(({ key, value }) => {
    const concept = subjectConcept(registry, key);
    if (!concept?.pattern || new RegExp(concept.pattern).test(value)) return [];
    return [
      `the value of ${key} does not match the pattern of concept ${key} (${concept.pattern}): check it, products are unlikely to hold it`,
    ];
  });
}

/**
 * The condition matching the subject's rows: `("customer_id" = 'C-000042')`, one comparison per key column.
 * Written once for Athena (Trino) and DuckDB, which quote names and literals alike.
 */
export function subjectCondition(columns: readonly KeyColumn[], subjects: readonly SubjectKeyValue[]): string {
  if (columns.length === 0) throw new ErasureInputError('no key column to match the subject on');
  const parts = columns.map((column) => {
    const subject = subjects.find((s) => s.key === column.key);
    if (!subject) throw new ErasureInputError(`no value given for key ${column.key}`);
    return `${quoteIdentifier(column.name)} = ${keyLiteral(column, subject.value)}`;
  });
  return `(${parts.join(' OR ')})`;
}

/**
 * The value as a literal of the column's type: text as a quoted string (quotes doubled, so a value cannot
 * change the statement), whole numbers as numbers. Throws ErasureInputError for a value the type cannot hold.
 */
export function keyLiteral(column: KeyColumn, value: string): string {
  const type = parseColumnType(column.type);
  if (isTextType(type)) return quoteString(value);
  if (isNumericType(type)) {
    if (!/^-?\d+(\.\d+)?$/.test(value.trim())) {
      throw new ErasureInputError(
        `${column.key}=${value}: column ${column.name} is ${column.type}, the value must be a number`,
      );
    }
    // Digits alone, checked above: written as given, so a bigint keeps every digit.
    return value.trim();
  }
  throw new ErasureInputError(
    `column ${column.name} is ${column.type}: erasure matches keys of text or number columns only`,
  );
}
