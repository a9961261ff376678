/**
 * Where a build SQL uses a column of one of its inputs: every reference qualified by an alias of that input,
 * every unqualified reference of the column's name (it may resolve to the input: counted, to fail safe), and
 * every `*` that could pass the column through. Comments and string literals are skipped. Each use says
 * whether it sits inside a one-way hash, which is what pseudonymizing a column means here.
 */
import { blankComments, parsePlaceholders, quotedRanges } from '../build/placeholders';

/** Functions whose output cannot be read back to the input value (Athena/Trino and DuckDB names). */
export const HASH_FUNCTIONS: readonly string[] = [
  'sha1',
  'sha256',
  'sha512',
  'md5',
  'hmac_sha1',
  'hmac_sha256',
  'hmac_sha512',
  'hmac_md5',
  'xxhash64',
  'murmur3',
  'spooky_hash_v2_32',
  'spooky_hash_v2_64',
];

/** One place the SQL uses the column. */
export interface ColumnUse {
  /** Offset in the SQL as written. */
  readonly offset: number;
  /** The text found, e.g. `p.email`, `email` or `p.*`. */
  readonly text: string;
  readonly kind: 'qualified' | 'unqualified' | 'star';
  /** Inside the arguments of one of HASH_FUNCTIONS (at any depth). */
  readonly hashed: boolean;
}

const KEYWORDS_BEFORE_ALIAS = new Set(['on', 'where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross']);
const KEYWORDS_BEFORE_STAR = new Set(['select', 'distinct', 'all']);

/**
 * Uses of `column` of the input `reference` in `sql`: qualified by an alias of `{input:reference}`,
 * unqualified by name, and stars (`alias.*`, or a bare `*` in a select list).
 */
export function columnUses(sql: string, reference: string, column: string): ColumnUse[] {
  const code = blankStrings(blankComments(sql));
  const aliases = aliasesOf(code, reference);
  const scanned = blankPlaceholders(code);
  const uses: ColumnUse[] = [];
  const target = column.toLowerCase();
  // An identifier, optionally qualified (`p.email`, `"p"."email"`), or a star (`p.*`, `*`).
  const token = /("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)(\s*\.\s*("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*|\*))?|\*/g;
  for (const match of scanned.matchAll(token)) {
    const offset = match.index;
    const before = code[offset - 1];
    // Part of a longer name (`x.p.email` is read from its last two parts) or of a number.
    if (before !== undefined && /[A-Za-z0-9_$.]/.test(before)) continue;
    if (match[0] === '*') {
      if (isSelectListStar(code, offset)) {
        uses.push({ offset, text: '*', kind: 'star', hashed: false });
      }
      continue;
    }
    const first = unquote(match[1]);
    const second = match[3] === undefined ? undefined : match[3] === '*' ? '*' : unquote(match[3]);
    if (second === undefined) {
      if (first === target && !isFunctionName(code, offset + match[0].length) && !isAliasDefinition(code, offset)) {
        uses.push({ offset, text: match[0], kind: 'unqualified', hashed: insideHash(code, offset) });
      }
    } else if (aliases.has(first) && (second === target || second === '*')) {
      uses.push({
        offset,
        text: match[0].replace(/\s+/g, ''),
        kind: second === '*' ? 'star' : 'qualified',
        hashed: second !== '*' && insideHash(code, offset),
      });
    }
  }
  return uses;
}

/** Names the SQL gives `{input:reference}`: `{input:x} AS p`, `{input:x} p`. */
export function aliasesOf(code: string, reference: string): Set<string> {
  const aliases = new Set<string>();
  for (const placeholder of parsePlaceholders(code)) {
    if (placeholder.kind !== 'input' || placeholder.reference !== reference) continue;
    const rest = code.slice(placeholder.offset + placeholder.text.length);
    const alias = /^\s+(?:as\s+)?("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*)/i.exec(rest);
    if (alias && !KEYWORDS_BEFORE_ALIAS.has(alias[1].toLowerCase()) && !isClauseKeyword(alias[1])) {
      aliases.add(unquote(alias[1]));
    }
  }
  return aliases;
}

const CLAUSE_KEYWORDS = new Set(['where', 'group', 'order', 'limit', 'union', 'having', 'using', 'natural', 'window']);

function isClauseKeyword(word: string): boolean {
  return CLAUSE_KEYWORDS.has(word.toLowerCase());
}

/** The SQL with string literals replaced by spaces, so a value that reads like a column is not one. */
function blankStrings(sql: string): string {
  const chars = sql.split('');
  for (const range of quotedRanges(sql)) {
    if (range.kind !== 'string') continue;
    for (let i = range.start; i <= range.end; i++) if (chars[i] !== '\n') chars[i] = ' ';
  }
  return chars.join('');
}

/** Placeholders replaced by spaces: their text (`{input:sales/orders@2}`) holds no column. */
function blankPlaceholders(code: string): string {
  let blanked = code;
  for (const placeholder of parsePlaceholders(code)) {
    blanked =
      blanked.slice(0, placeholder.offset) +
      ' '.repeat(placeholder.text.length) +
      blanked.slice(placeholder.offset + placeholder.text.length);
  }
  return blanked;
}

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

/** `email(` is a call, not the column. */
function isFunctionName(code: string, end: number): boolean {
  return /^\s*\(/.test(code.slice(end));
}

/** `... AS email`: the output is named like the column; what it holds is judged by its expression. */
function isAliasDefinition(code: string, offset: number): boolean {
  return /\bas\s+$/i.test(code.slice(Math.max(0, offset - 8), offset));
}

/** A bare `*` that lists columns (`SELECT *`, `, *`), not a product or `count(*)`. */
function isSelectListStar(code: string, offset: number): boolean {
  const before = code.slice(0, offset).trimEnd();
  if (before.endsWith(',')) return /^\s*(,|from\b|exclude\b|replace\b|$)/i.test(code.slice(offset + 1));
  const word = /([A-Za-z_]+)$/.exec(before)?.[1]?.toLowerCase();
  return word !== undefined && KEYWORDS_BEFORE_STAR.has(word);
}

/** Whether any call enclosing `offset` is a one-way hash. */
function insideHash(code: string, offset: number): boolean {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(code.slice(0, i))?.[1]?.toLowerCase();
      if (name !== undefined && HASH_FUNCTIONS.includes(name)) return true;
    }
  }
  return false;
}
