/**
 * Definition problems, reported like compiler errors:
 * `file:line:column: field.path: what is wrong (what is allowed)` — the form editors and CI annotations read.
 */
import type { z } from 'zod';

export interface DefinitionProblem {
  /** File to change, relative to the project root. */
  readonly file: string;
  /** Field path inside the definition, e.g. `schema.columns[2].type`; empty for the file as a whole. */
  readonly path: string;
  /** What is wrong, and what is allowed. */
  readonly message: string;
  /** Line in the file (1-based) where the field is written, when known. */
  readonly line?: number;
  /** Column (1-based) where the field is written, when known. */
  readonly column?: number;
}

export function formatProblem(problem: DefinitionProblem): string {
  if (!problem.line) return `${problem.file}${problem.path ? `:${problem.path}` : ''}: ${problem.message}`;
  return `${problem.file}:${problem.line}:${problem.column ?? 1}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** Thrown by loadMesh with every problem of every file. */
export class MeshDefinitionError extends Error {
  constructor(readonly problems: readonly DefinitionProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the mesh definitions:\n${problems
        .map((p) => `  ${formatProblem(p)}`)
        .join('\n')}`,
    );
    this.name = 'MeshDefinitionError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Turns zod issues into problems; unknown fields get the list of allowed ones and a suggestion. */
export function problemsFromZod(
  file: string,
  schema: z.ZodType,
  value: unknown,
  error: z.ZodError,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, issue.path, value);
      for (const key of issue.keys) {
        const suggestion = allowed ? closest(key, allowed) : undefined;
        problems.push({
          file,
          path: formatPath([...issue.path, key]),
          message: `unknown field "${key}"${suggestion ? `, did you mean "${suggestion}"?` : ''}${
            allowed ? ` (allowed: ${allowed.join(', ')})` : ''
          }`,
        });
      }
      continue;
    }
    problems.push({ file, path: formatPath(issue.path), message: describeIssue(issue) });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // A schema's own error text says more than zod's generic one.
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      if (issue.input === undefined) return `is required (expected ${issue.expected})`;
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      if ('discriminator' in issue) {
        return `${issue.message}, got ${describeValue(issue.input)}`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

function defOf(schema: z.ZodType): ZodDefLike {
  return (schema as unknown as { def: ZodDefLike }).def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** Keys the object schema at `path` accepts, following the value through arrays and tagged unions. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[], root: unknown): string[] | undefined {
  let current = unwrap(schema);
  let value: unknown = root;
  const steps = [...path];
  for (;;) {
    const def = defOf(current);
    if (def.type === 'union' && def.options) {
      const discriminator = def.discriminator;
      const tag = discriminator && isRecord(value) ? value[discriminator] : undefined;
      const match = def.options.find((option) => {
        const shape = defOf(unwrap(option)).shape;
        const literal = discriminator && shape ? defOf(unwrap(shape[discriminator] as z.ZodType)) : undefined;
        return (literal as { values?: unknown[] } | undefined)?.values?.includes(tag);
      });
      if (!match) return undefined;
      current = unwrap(match);
      continue;
    }
    if (steps.length === 0) break;
    const step = steps.shift();
    if (def.type === 'object' && def.shape && typeof step === 'string' && def.shape[step]) {
      current = unwrap(def.shape[step]);
      value = isRecord(value) ? value[step] : undefined;
    } else if (def.type === 'array' && def.element && typeof step === 'number') {
      current = unwrap(def.element);
      value = Array.isArray(value) ? value[step] : undefined;
    } else {
      return undefined;
    }
  }
  const shape = defOf(current).shape;
  return shape ? Object.keys(shape) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The allowed word nearest to a typo, when it is near enough to be the likely intent. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
