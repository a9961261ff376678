/**
 * Writing values into SQL text safely. Every name, literal and pattern that reaches a quality statement
 * passes through one of these functions, so no definition value or filter can change the statement's shape.
 */

/** The two engines quality statements are written for: Athena engine v3 (Trino) and DuckDB (local files). */
export type SqlDialect = 'trino' | 'duckdb';

/** Thrown when text cannot be placed in a statement safely; the message says why. */
export class QualitySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QualitySqlError';
  }
}

/** `"name"` with embedded double quotes doubled: the only escape both engines define for identifiers. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new QualitySqlError('identifiers cannot contain NUL characters');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"database"."table"`, each part quoted on its own. */
export function quoteQualifiedName(...parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

/**
 * `'text'` with embedded single quotes doubled. Neither engine treats backslashes specially in standard
 * literals, so regular expressions keep their backslashes as written.
 */
export function quoteString(text: string): string {
  if (text.includes('\0')) throw new QualitySqlError('string literals cannot contain NUL characters');
  return `'${text.replace(/'/g, "''")}'`;
}

/** A finite number as a literal both engines read the same way (no NaN, no Infinity). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new QualitySqlError(`not a finite number: ${value}`);
  return String(value);
}

/** A string or number value as a literal. */
export function valueLiteral(value: string | number): string {
  return typeof value === 'number' ? numberLiteral(value) : quoteString(value);
}

/**
 * Checks a row filter given on the command line before it is placed after `WHERE (`…`)`: one boolean
 * expression, closed quotes, balanced parentheses, no statement separator and no comments. Returns the
 * trimmed filter; throws QualitySqlError with what is wrong.
 */
export function checkRowFilter(filter: string): string {
  const trimmed = filter.trim();
  if (trimmed === '') throw new QualitySqlError('the filter is empty');
  if (trimmed.includes(';')) throw new QualitySqlError('the filter must be one condition; ";" is not allowed');
  if (trimmed.includes('\0')) throw new QualitySqlError('the filter cannot contain NUL characters');
  let depth = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === "'" || c === '"') {
      const end = closingQuote(trimmed, i);
      if (end < 0) throw new QualitySqlError(`the filter has an unclosed ${c} quote`);
      i = end;
    } else if ((c === '-' && trimmed[i + 1] === '-') || (c === '/' && trimmed[i + 1] === '*')) {
      throw new QualitySqlError('the filter must not contain SQL comments');
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      // A ")" that closes our own "WHERE (" would let the rest of the text escape the filter.
      if (depth < 0) throw new QualitySqlError('the filter has a ")" without a matching "("');
    }
  }
  if (depth > 0) throw new QualitySqlError('the filter has a "(" without a matching ")"');
  return trimmed;
}

/** Index of the quote that closes the one at `start` (doubled quotes are part of the text), or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (text[i + 1] === quote) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}
