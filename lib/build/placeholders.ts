/**
 * The placeholders of build SQL: `{input:<domain>/<product>@<major>}` stands for an input's table and
 * `{run_date}` for the day a run builds (a DATE). Parsing keeps each placeholder's offset, and rendering keeps
 * a map back to the written SQL, so an engine's error position can be reported in the definition file.
 */
import { INPUT_REFERENCE } from '../definition/schema';

/** One `{...}` in the SQL, where it is written. */
export type Placeholder =
  | { readonly kind: 'input'; readonly reference: string; readonly text: string; readonly offset: number }
  | { readonly kind: 'run_date'; readonly text: string; readonly offset: number }
  | { readonly kind: 'unknown'; readonly text: string; readonly offset: number; readonly reason: string };

/** The placeholders a build may use, as an error message quotes them. */
export const ALLOWED_PLACEHOLDERS = "{input:<domain>/<product>@<major>} (one of the product's inputs), {run_date}";

/** `{name}` or `{name:argument}`; a `{` not followed by a letter (a regex quantifier `{3}`) is no placeholder. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;

/**
 * Every placeholder of the SQL, in order. Placeholders in comments are left alone; one inside a string literal
 * or a quoted identifier is reported as unknown, as it would be rendered inside the quotes.
 */
export function parsePlaceholders(sql: string): Placeholder[] {
  const ranges = quotedRanges(sql);
  const within = (offset: number) => ranges.find((r) => offset > r.start && offset < r.end);
  const found: Placeholder[] = [];
  for (const match of sql.matchAll(PLACEHOLDER)) {
    const text = match[0];
    const offset = match.index;
    const [, name, argument] = match;
    const range = within(offset);
    if (range?.kind === 'comment') continue;
    if (range) {
      found.push({
        kind: 'unknown',
        text,
        offset,
        reason: `${text} is inside quotes; write placeholders bare (${
          name === 'run_date' ? '{run_date} already is a DATE' : 'an input stands for a table'
        })`,
      });
    } else if (name === 'run_date' && argument === undefined) {
      found.push({ kind: 'run_date', text, offset });
    } else if (name === 'input' && argument !== undefined && INPUT_REFERENCE.test(argument.trim())) {
      found.push({ kind: 'input', reference: argument.trim(), text, offset });
    } else if (name === 'input') {
      found.push({
        kind: 'unknown',
        text,
        offset,
        reason: `${text} must name an input as {input:<domain>/<product>@<major>}, e.g. {input:sales/orders@2}`,
      });
    } else {
      found.push({
        kind: 'unknown',
        text,
        offset,
        reason: `unknown placeholder ${text} (allowed: ${ALLOWED_PLACEHOLDERS})`,
      });
    }
  }
  return found;
}

/** A part of the SQL that is not code: `[start, end]` inclusive. */
export interface QuotedRange {
  readonly kind: 'string' | 'identifier' | 'comment';
  readonly start: number;
  readonly end: number;
}

/** String literals, quoted identifiers and comments, in order. */
export function quotedRanges(sql: string): QuotedRange[] {
  const ranges: QuotedRange[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const start = i;
      i++;
      while (i < sql.length && !(sql[i] === c && sql[i + 1] !== c)) i += sql[i] === c ? 2 : 1;
      ranges.push({ kind: c === "'" ? 'string' : 'identifier', start, end: Math.min(i, sql.length - 1) });
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline === -1 ? sql.length - 1 : newline - 1;
      ranges.push({ kind: 'comment', start: i, end });
      i = end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? sql.length - 1 : close + 1;
      ranges.push({ kind: 'comment', start: i, end });
      i = end + 1;
    } else {
      i++;
    }
  }
  return ranges;
}

/** The SQL with its comments replaced by spaces (line breaks kept), so offsets stay where they were. */
export function blankComments(sql: string): string {
  const chars = sql.split('');
  for (const range of quotedRanges(sql)) {
    if (range.kind !== 'comment') continue;
    for (let i = range.start; i <= range.end; i++) if (chars[i] !== '\n') chars[i] = ' ';
  }
  return chars.join('');
}

/** Rendered SQL and the way back to the written one. */
export interface RenderedSql {
  readonly sql: string;
  /** Offset in the written SQL of an offset in the rendered one. */
  readonly originalOffset: (renderedOffset: number) => number;
}

/** What each placeholder becomes; a placeholder without a replacement is an error of the caller. */
export interface PlaceholderValues {
  /** SQL relation for an input reference, e.g. `"acme_sales"."orders_v2"`. */
  readonly input: (reference: string) => string;
  /** SQL expression of the run's day, e.g. `DATE '2026-12-03'`. */
  readonly runDate: string;
}

/** Replaces every placeholder; throws on an unknown one (validation refuses them first). */
export function renderPlaceholders(sql: string, values: PlaceholderValues): RenderedSql {
  const placeholders = parsePlaceholders(sql);
  const unknown = placeholders.find((p) => p.kind === 'unknown');
  if (unknown?.kind === 'unknown') throw new Error(unknown.reason);
  /** [rendered start, written start, written length, rendered length] of each replacement. */
  const spans: [number, number, number, number][] = [];
  let out = '';
  let from = 0;
  for (const placeholder of placeholders) {
    const replacement = placeholder.kind === 'input' ? values.input(placeholder.reference) : values.runDate;
    out += sql.slice(from, placeholder.offset);
    spans.push([out.length, placeholder.offset, placeholder.text.length, replacement.length]);
    out += replacement;
    from = placeholder.offset + placeholder.text.length;
  }
  out += sql.slice(from);
  return {
    sql: out,
    originalOffset: (rendered) => {
      let shift = 0;
      for (const [renderedStart, writtenStart, writtenLength, renderedLength] of spans) {
        if (rendered < renderedStart) break;
        // Inside a replacement: the error is about the placeholder, so point at its start.
        if (rendered < renderedStart + renderedLength) return writtenStart;
        shift = writtenStart + writtenLength - (renderedStart + renderedLength);
      }
      return rendered + shift;
    },
  };
}
