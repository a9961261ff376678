/**
 * Positions inside build SQL: where an engine's error points (DuckDB prints the line and a caret under the
 * column), and where an offset of the SQL is written in the definition file, so a problem in the SQL is
 * reported at its own line and column, like a compiler's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateField, parseFieldPath, type SourceLocation } from '../mesh/locate';

/**
 * The offset in `statement` that a DuckDB error points at (`LINE 2:    nope FROM ...` and a caret under it),
 * or undefined when the message has no position.
 */
export function duckDbErrorOffset(message: string, statement: string): number | undefined {
  const match = /\nLINE (\d+): ([^\n]*)\n( *)\^/.exec(message);
  if (!match) return undefined;
  const lineNumber = Number(match[1]);
  const shown = match[2];
  const caret = match[3].length - `LINE ${match[1]}: `.length;
  const lines = statement.split('\n');
  const line = lines[lineNumber - 1];
  if (line === undefined || caret < 0) return undefined;
  // Long lines are shown cut, with "..." where text was left out: find the part shown in the real line.
  const lead = shown.startsWith('...') ? 3 : 0;
  const visible = shown.slice(lead).replace(/\.\.\.$/, '');
  const at = lead === 0 ? 0 : line.indexOf(visible);
  if (at < 0) return undefined;
  const column = Math.min(at + caret - lead, line.length);
  let offset = 0;
  for (let i = 0; i < lineNumber - 1; i++) offset += lines[i].length + 1;
  return offset + Math.max(0, column);
}

/** 1-based line and column of an offset in text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Where offset `offset` of a string field (after zod's trim) is written in a definition file, when the field
 * is a string or template literal there; undefined when it is built some other way (the field's own position
 * is then the best there is).
 */
export function locateStringOffset(
  root: string,
  file: string,
  fieldPath: string,
  offset: number,
): SourceLocation | undefined {
  let source: string;
  try {
    source = fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
  const start = locateField(source, file, parseFieldPath(fieldPath));
  const lines = source.split('\n');
  let index = start.column - 1;
  for (let i = 0; i < start.line - 1; i++) index += lines[i].length + 1;
  const positions = literalPositions(source, index);
  if (!positions) return undefined;
  const value = positions.map((p) => p.char).join('');
  const lead = value.length - value.trimStart().length;
  const at = positions[Math.min(lead + offset, positions.length - 1)];
  return at ? lineAndColumn(source, at.index) : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Each character of the string literal starting at `index`, with where it is written; undefined if not a plain literal. */
function literalPositions(source: string, index: number): { char: string; index: number }[] | undefined {
  const quote = source[index];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  const out: { char: string; index: number }[] = [];
  let i = index + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === quote) return out;
    if (quote === '`' && c === '$' && source[i + 1] === '{') return undefined;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === '\n') {
        i += 2;
        continue;
      }
      const unicode = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})|^x([0-9a-fA-F]{2})/.exec(source.slice(i + 1, i + 12));
      if (unicode) {
        const code = Number.parseInt(unicode[1] ?? unicode[2] ?? unicode[3], 16);
        for (const unit of String.fromCodePoint(code).split('')) out.push({ char: unit, index: i });
        i += 1 + unicode[0].length;
        continue;
      }
      out.push({ char: SIMPLE_ESCAPES[next] ?? next, index: i });
      i += 2;
      continue;
    }
    out.push({ char: c, index: i });
    i++;
  }
  return undefined;
}
