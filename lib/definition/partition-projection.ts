/**
 * Partition projection settings checked the way Athena reads them, so a table that would fail at query time
 * never deploys. Sources: Athena's "Supported types for partition projection" (range grammar, relative
 * `NOW` expressions, interval units) and Java's DateTimeFormatter (the `format` pattern).
 *
 * Plain functions without I/O: `checkPartitionProjection` returns problems with a field path relative to
 * the `partition` object (`range`, `format`, `unit`, `values[2]`); check-product.ts prefixes the column.
 */
import type { ColumnType } from './column-type';
import type { PartitionProjection } from './schema';

export interface ProjectionProblem {
  /** Field inside `partition`, e.g. `range` or `values[1]`. */
  readonly field: string;
  readonly message: string;
}

/** Step units Athena accepts for `interval.unit`, coarsest last (ChronoUnit names). */
export const INTERVAL_UNITS = [
  'MILLISECONDS',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'DAYS',
  'WEEKS',
  'MONTHS',
  'YEARS',
] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** Athena's grammar for a relative range end (its documented regular expression, anchored). */
const NOW_EXPRESSION = /^\s*NOW\s*(?:([+-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?)\s*)?$/;
const NOW_HELP =
  'NOW, NOW-<n><unit> or NOW+<n><unit> with unit YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES or SECONDS (singular too), e.g. NOW-3YEARS';

const SECONDS_PER: Record<string, number> = {
  SECOND: 1,
  MINUTE: 60,
  HOUR: 3600,
  DAY: 86_400,
  WEEK: 7 * 86_400,
  MONTH: 30.436875 * 86_400,
  YEAR: 365.2425 * 86_400,
};

const INT_RANGE = { min: -2_147_483_648, max: 2_147_483_647 };

export function checkPartitionProjection(projection: PartitionProjection, columnType: ColumnType): ProjectionProblem[] {
  switch (projection.projection) {
    case 'date':
      return checkDateProjection(projection, columnType);
    case 'integer':
      return checkIntegerProjection(projection, columnType);
    case 'enum':
      return checkEnumProjection(projection.values);
    case 'injected':
      return [];
  }
}

// ---------------------------------------------------------------------------------------------------------
// date

type DateProjection = Extract<PartitionProjection, { projection: 'date' }>;

function checkDateProjection(projection: DateProjection, columnType: ColumnType): ProjectionProblem[] {
  const problems: ProjectionProblem[] = [];
  const report = (field: string, message: string) => problems.push({ field, message });

  const format = compileFormat(projection.format);
  for (const message of format.problems) report('format', message);
  const usable = format.problems.length === 0;

  if (columnType.kind === 'primitive' && columnType.name === 'date' && projection.format !== 'yyyy-MM-dd') {
    report(
      'format',
      `a date column holds values written yyyy-MM-dd, so its format must be "yyyy-MM-dd", got "${projection.format}" (use a string column for other formats)`,
    );
  }

  if (usable) {
    const precision = formatPrecision(format.tokens);
    if (precision && unitRank(projection.unit) < unitRank(precision)) {
      report(
        'unit',
        `"${projection.unit}" steps finer than the format "${projection.format}" writes (${precision.toLowerCase()}), so every partition value would be projected more than once; use ${precision} or a coarser unit, or add the finer field to the format`,
      );
    }
  }

  const parts = projection.range.split(',');
  if (parts.length !== 2) {
    report(
      'range',
      `must be "start,end": two values separated by one comma, got "${projection.range}" (e.g. NOW-3YEARS,NOW or 2019-01-01,NOW)`,
    );
    return problems;
  }
  const ends: (RangeEnd | undefined)[] = parts.map((text, i) => {
    const which = i === 0 ? 'start' : 'end';
    const result = readRangeEnd(text, format, usable);
    if (typeof result === 'string') report('range', result.startsWith('is ') ? `${which} ${result}` : result);
    return typeof result === 'string' ? undefined : result;
  });
  const [start, end] = ends;
  if (start && end && start.kind === end.kind && start.value > end.value) {
    report(
      'range',
      `start "${parts[0].trim()}" is after end "${parts[1].trim()}" (the range is "start,end", start first)`,
    );
  }
  return problems;
}

type RangeEnd = { kind: 'now'; value: number } | { kind: 'absolute'; value: number } | { kind: 'unchecked'; value: 0 };

/** One end of a date range: a NOW expression or a date written in the format; a string is the problem. */
function readRangeEnd(text: string, format: CompiledFormat, usable: boolean): RangeEnd | string {
  const relative = NOW_EXPRESSION.exec(text);
  if (relative) {
    const [, sign, amount, unit] = relative;
    if (!sign) return { kind: 'now', value: 0 };
    const seconds = Number(amount) * SECONDS_PER[unit.replace(/S$/, '')];
    return { kind: 'now', value: sign === '-' ? -seconds : seconds };
  }
  if (/^\s*now/i.test(text)) return `"${text}" is not a relative date: write ${NOW_HELP}`;
  if (text.trim() === '') return `is empty (write a date in the format, or ${NOW_HELP})`;
  if (!usable || !format.regex) return { kind: 'unchecked', value: 0 };
  const example = format.example ? `write it like ${format.example}, or as ` : 'write it in the format, or as ';
  const match = format.regex.exec(text);
  if (!match) {
    if (text !== text.trim() && format.regex.test(text.trim())) {
      return `"${text}" has spaces around it, which Athena reads as part of the date; remove them`;
    }
    return `"${text}" does not match the format "${format.pattern}" (${example}${NOW_HELP})`;
  }
  const instant = resolve(format.tokens, match.slice(1));
  if (instant === 'date') return `"${text}" is not a real calendar date`;
  if (instant === 'time') return `"${text}" is not a real time of day`;
  return { kind: 'absolute', value: instant };
}

// ---------------------------------------------------------------------------------------------------------
// DateTimeFormatter patterns

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

interface CompiledFormat {
  readonly pattern: string;
  readonly tokens: readonly Token[];
  readonly problems: readonly string[];
  /** Anchored regex with one group per field; absent when a field cannot be read back (names, zones). */
  readonly regex?: RegExp;
  /** 2019-01-01 00:00 written in the format, when every field can be written. */
  readonly example?: string;
}

/** Pattern letters of java.time.format.DateTimeFormatter and how many of each it accepts. */
const PATTERN_LETTERS: Record<string, { readonly meaning: string; readonly counts: readonly number[] | 'any' }> = {
  G: { meaning: 'era', counts: [1, 2, 3, 4, 5] },
  u: { meaning: 'year', counts: 'any' },
  y: { meaning: 'year of era', counts: 'any' },
  Y: { meaning: 'week-based year', counts: 'any' },
  Q: { meaning: 'quarter', counts: [1, 2, 3, 4, 5] },
  q: { meaning: 'quarter', counts: [1, 2, 3, 4, 5] },
  M: { meaning: 'month', counts: [1, 2, 3, 4, 5] },
  L: { meaning: 'month', counts: [1, 2, 3, 4, 5] },
  w: { meaning: 'week of week-based year', counts: [1, 2] },
  W: { meaning: 'week of month', counts: [1] },
  d: { meaning: 'day of month', counts: [1, 2] },
  D: { meaning: 'day of year', counts: [1, 2, 3] },
  F: { meaning: 'aligned week of month', counts: [1] },
  E: { meaning: 'day of week', counts: [1, 2, 3, 4, 5] },
  e: { meaning: 'localized day of week', counts: [1, 2, 3, 4, 5] },
  c: { meaning: 'localized day of week', counts: [1, 3, 4, 5] },
  a: { meaning: 'AM/PM', counts: [1] },
  h: { meaning: 'clock hour of AM/PM (1-12)', counts: [1, 2] },
  K: { meaning: 'hour of AM/PM (0-11)', counts: [1, 2] },
  k: { meaning: 'clock hour of day (1-24)', counts: [1, 2] },
  H: { meaning: 'hour of day (0-23)', counts: [1, 2] },
  m: { meaning: 'minute', counts: [1, 2] },
  s: { meaning: 'second', counts: [1, 2] },
  S: { meaning: 'fraction of second', counts: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
  A: { meaning: 'milli of day', counts: 'any' },
  n: { meaning: 'nano of second', counts: 'any' },
  N: { meaning: 'nano of day', counts: 'any' },
  V: { meaning: 'time-zone ID', counts: [2] },
  z: { meaning: 'time-zone name', counts: [1, 2, 3, 4] },
  O: { meaning: 'localized zone offset', counts: [1, 4] },
  X: { meaning: 'zone offset (Z for zero)', counts: [1, 2, 3, 4, 5] },
  x: { meaning: 'zone offset', counts: [1, 2, 3, 4, 5] },
  Z: { meaning: 'zone offset', counts: [1, 2, 3, 4, 5] },
};
const LETTERS_HELP =
  "pattern letters include y year, M month, d day, H hour, m minute, s second, S fraction; put other text in quotes, e.g. 'T'";
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function compileFormat(pattern: string): CompiledFormat {
  const tokens: Token[] = [];
  const problems: string[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') tokens[tokens.length - 1] = { kind: 'literal', text: last.text + text };
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) {
        problems.push(
          `the quoted text starting at position ${i + 1} is never closed (close it with ', write '' for a quote)`,
        );
        break;
      }
      literal(pattern.slice(i + 1, close).replace(/''/g, "'"));
      // A doubled quote inside quoted text continues the text.
      i = close + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern[i + count] === ch) count++;
      const letter = PATTERN_LETTERS[ch];
      const run = ch.repeat(count);
      if (ch === 'p') {
        problems.push(
          `"p" (pad) is not supported in a partition format; pad with the field's letter count instead, e.g. dd`,
        );
      } else if (!letter) {
        problems.push(`"${ch}" is not a DateTimeFormatter pattern letter (${LETTERS_HELP})`);
      } else if (letter.counts !== 'any' && !letter.counts.includes(count)) {
        problems.push(
          `"${run}" is not a valid ${letter.meaning} field (${ch} may be written ${letter.counts.map((n) => ch.repeat(n)).join(', ')})`,
        );
      } else {
        tokens.push({ kind: 'field', letter: ch, count });
      }
      i += count;
      continue;
    }
    if (ch === '[' || ch === ']') {
      problems.push(
        'optional sections [ ] give a partition value more than one spelling; write the format without [ ]',
      );
    } else if (ch === '#' || ch === '{' || ch === '}') {
      problems.push(`"${ch}" is reserved in DateTimeFormatter patterns; quote it: '${ch}'`);
    } else {
      literal(ch);
    }
    i++;
  }
  if (problems.length > 0) return { pattern, tokens, problems: [...new Set(problems)] };

  if (tokens.some((t) => t.kind === 'literal' && t.text.includes(','))) {
    problems.push('a comma in the format splits the range "start,end" in the wrong place; use another separator');
  }
  const has = (...letters: string[]) => tokens.some((t) => t.kind === 'field' && letters.includes(t.letter));
  const written = (letter: string) => {
    const token = tokens.find((t) => t.kind === 'field' && t.letter === letter) as { count: number } | undefined;
    return letter.repeat(token?.count ?? 1);
  };
  if (has('Y') && has('M', 'L', 'd')) {
    problems.push(
      `"${written('Y')}" is the week-based year, which differs from the calendar year around New Year; use yyyy`,
    );
  } else if (!has('y', 'u') && !(has('Y') && has('w'))) {
    problems.push(`format "${pattern}" has no year (yyyy), so Athena cannot read its values as dates`);
  }
  if (has('D') && has('M', 'L')) {
    problems.push(`"${written('D')}" is the day of the year; use dd for the day of the month`);
  } else if (has('d') && !has('M', 'L')) {
    problems.push(
      has('m')
        ? `"${written('m')}" is the minute; use MM for the month`
        : `format "${pattern}" has a day (d) but no month (MM)`,
    );
  }
  if (has('h', 'K') && !has('a')) {
    problems.push(`"${written(has('h') ? 'h' : 'K')}" is the hour of AM/PM, which needs AM/PM (a); use HH for 0-23`);
  }
  if (has('H', 'h', 'K', 'k', 'm', 's', 'S') && !has('d', 'D') && problems.length === 0) {
    problems.push(`format "${pattern}" has a time but no day (dd), so Athena cannot read its values as dates`);
  }
  if (problems.length > 0) return { pattern, tokens, problems };

  let source = '';
  let example = '';
  let readable = true;
  for (const token of tokens) {
    if (token.kind === 'literal') {
      source += escapeRegex(token.text);
      example += token.text;
      continue;
    }
    const field = fieldSyntax(token);
    if (!field) {
      readable = false;
      break;
    }
    source += `(${field.regex})`;
    example += field.example;
  }
  return readable
    ? { pattern, tokens, problems, regex: new RegExp(`^${source}$`), example }
    : { pattern, tokens, problems };
}

/** How a field is written for parsing and in the 2019-01-01 00:00 example; undefined when not readable. */
function fieldSyntax(token: { letter: string; count: number }): { regex: string; example: string } | undefined {
  const { letter, count } = token;
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  const number = (value: number, max: number) => ({
    regex: count === 1 ? `\\d{1,${max}}` : `\\d{${count}}`,
    example: pad(value, count),
  });
  switch (letter) {
    case 'y':
    case 'u':
      if (count === 2) return { regex: '\\d{2}', example: '19' };
      return { regex: count === 1 ? '\\d{1,9}' : `\\d{${count},9}`, example: pad(2019, count) };
    case 'M':
    case 'L':
      if (count <= 2) return number(1, 2);
      if (count === 3) return { regex: MONTHS.map((m) => m.slice(0, 3)).join('|'), example: 'Jan' };
      if (count === 4) return { regex: MONTHS.join('|'), example: 'January' };
      return undefined;
    case 'd':
    case 'H':
    case 'm':
    case 's':
    case 'K':
      return number(letter === 'd' ? 1 : 0, 2);
    case 'h':
    case 'k':
      return number(12, 2);
    case 'D':
      return { regex: count === 1 ? '\\d{1,3}' : count === 2 ? '\\d{2,3}' : '\\d{3}', example: pad(1, count) };
    case 'S':
      return { regex: `\\d{${count}}`, example: pad(0, count) };
    case 'a':
      return { regex: 'AM|PM', example: 'AM' };
    default:
      return undefined;
  }
}

/** The instant a parsed value stands for (ms since epoch, UTC), or which part of it is impossible. */
function resolve(tokens: readonly Token[], groups: readonly string[]): number | 'date' | 'time' {
  const fields = new Map<string, string>();
  let g = 0;
  for (const token of tokens) if (token.kind === 'field') fields.set(token.letter, groups[g++]);
  const num = (letter: string) => (fields.has(letter) ? Number(fields.get(letter)) : undefined);
  const monthText = fields.get('M') ?? fields.get('L');
  const month =
    monthText === undefined
      ? 1
      : /^\d+$/.test(monthText)
        ? Number(monthText)
        : MONTHS.findIndex((m) => m === monthText || m.slice(0, 3) === monthText) + 1;
  const yearText = fields.get('y') ?? fields.get('u') ?? '1970';
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  if (month < 1 || month > 12) return 'date';
  let time = 0;
  const dayOfYear = num('D');
  if (dayOfYear !== undefined) {
    const days = isLeap(year) ? 366 : 365;
    if (dayOfYear < 1 || dayOfYear > days) return 'date';
    time = utcDay(year, 0, dayOfYear);
  } else {
    const day = num('d') ?? 1;
    if (day < 1 || day > new Date(utcDay(year, month, 0)).getUTCDate()) return 'date';
    time = utcDay(year, month - 1, day);
  }
  const pm = fields.get('a') === 'PM';
  let hour = num('H') ?? 0;
  if (fields.has('k')) hour = num('k')! % 24;
  if (fields.has('h')) hour = (num('h')! % 12) + (pm ? 12 : 0);
  if (fields.has('K')) hour = num('K')! + (pm ? 12 : 0);
  const minute = num('m') ?? 0;
  const second = num('s') ?? 0;
  const outOfRange =
    (fields.has('H') && hour > 23) ||
    (fields.has('k') && (num('k')! < 1 || num('k')! > 24)) ||
    (fields.has('h') && (num('h')! < 1 || num('h')! > 12)) ||
    (fields.has('K') && num('K')! > 11) ||
    minute > 59 ||
    second > 59;
  if (outOfRange) return 'time';
  const fraction = fields.get('S');
  const millis = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  return time + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** Date.UTC without its 1900s mapping of years 0-99. */
function utcDay(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The finest unit a format writes, e.g. DAYS for yyyy-MM-dd. */
function formatPrecision(tokens: readonly Token[]): IntervalUnit | undefined {
  const finest: Record<string, IntervalUnit> = {
    S: 'MILLISECONDS',
    n: 'MILLISECONDS',
    N: 'MILLISECONDS',
    A: 'MILLISECONDS',
    s: 'SECONDS',
    m: 'MINUTES',
    H: 'HOURS',
    h: 'HOURS',
    K: 'HOURS',
    k: 'HOURS',
    d: 'DAYS',
    D: 'DAYS',
    E: 'DAYS',
    e: 'DAYS',
    c: 'DAYS',
    w: 'WEEKS',
    W: 'WEEKS',
    M: 'MONTHS',
    L: 'MONTHS',
    y: 'YEARS',
    u: 'YEARS',
    Y: 'YEARS',
  };
  let best: IntervalUnit | undefined;
  for (const token of tokens) {
    const unit = token.kind === 'field' ? finest[token.letter] : undefined;
    if (unit && (!best || unitRank(unit) < unitRank(best))) best = unit;
  }
  return best;
}

function unitRank(unit: IntervalUnit): number {
  return INTERVAL_UNITS.indexOf(unit);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------
// integer and enum

type IntegerProjection = Extract<PartitionProjection, { projection: 'integer' }>;

function checkIntegerProjection(projection: IntegerProjection, columnType: ColumnType): ProjectionProblem[] {
  const problems: ProjectionProblem[] = [];
  const [min, max] = projection.range;
  // Bounds beyond Number.MAX_SAFE_INTEGER are refused by the schema's z.number().int().
  if (min > max) {
    problems.push({ field: 'range', message: `min ${min} is above max ${max} (the range is [min, max], inclusive)` });
  } else if (
    columnType.kind === 'primitive' &&
    columnType.name === 'int' &&
    (min < INT_RANGE.min || max > INT_RANGE.max)
  ) {
    problems.push({
      field: 'range',
      message: `[${min}, ${max}] does not fit an int column (${INT_RANGE.min}..${INT_RANGE.max}); make the column bigint`,
    });
  }
  return problems;
}

function checkEnumProjection(values: readonly string[]): ProjectionProblem[] {
  const problems: ProjectionProblem[] = [];
  if (values.length === 0) problems.push({ field: 'values', message: 'an enum projection needs at least one value' });
  values.forEach((value, i) => {
    const field = `values[${i}]`;
    if (value === '') problems.push({ field, message: 'must not be empty' });
    else if (value.includes(',')) {
      problems.push({ field, message: `"${value}" contains a comma; Athena splits values on commas` });
    } else if (value !== value.trim()) {
      problems.push({ field, message: `"${value}" has spaces around it, which Athena keeps as part of the value` });
    } else if (values.indexOf(value) !== i) {
      problems.push({ field, message: `"${value}" is listed twice; each value names one partition` });
    }
  });
  return problems;
}
