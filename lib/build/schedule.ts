/**
 * EventBridge Scheduler expressions, checked as Scheduler reads them — `rate(value unit)`, `cron(minutes hours
 * day-of-month month day-of-week year)` and `at(yyyy-mm-ddThh:mm:ss)` — and the gaps between the runs they
 * start, so a schedule can be compared with the SLA it serves.
 */

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { readonly kind: 'rate'; readonly minutes: number }
  | { readonly kind: 'cron'; readonly cron: CronSchedule }
  | { readonly kind: 'at'; readonly at: string };

/** The six fields of a cron expression, as predicates. */
export interface CronSchedule {
  /** Minutes of the day a run starts at (0..1439), sorted. */
  readonly times: readonly number[];
  /** Whether a run starts on a day (UTC calendar arithmetic; the schedule's zone shifts every day alike). */
  readonly runsOn: (date: Date) => boolean;
  /** First year the expression allows. */
  readonly firstYear: number;
}

export const SCHEDULE_FORMS =
  'rate(<n> minute|minutes|hour|hours|day|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)';

const RATE = /^rate\((\d+)\s+([a-z]+)\)$/;
const CRON = /^cron\((.*)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE_UNITS: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** Parses a Scheduler expression; the error says what Scheduler would refuse and what it accepts. */
export function parseSchedule(text: string): { schedule: ScheduleExpression } | { error: string } {
  const expression = text.trim();
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2];
    const singular = unit.replace(/s$/, '');
    if (!(singular in RATE_UNITS)) {
      return {
        error: `unknown rate unit "${unit}" in ${expression} (allowed: minute, minutes, hour, hours, day, days)`,
      };
    }
    if (value < 1) return { error: `a rate must be at least 1, got ${expression}` };
    if (value === 1 && unit !== singular)
      return { error: `write rate(1 ${singular}): a value of 1 takes the singular unit` };
    if (value > 1 && unit === singular) {
      return { error: `write rate(${value} ${singular}s): a value above 1 takes the plural unit` };
    }
    return { schedule: { kind: 'rate', minutes: value * RATE_UNITS[singular] } };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const parsed = parseCron(cron[1].trim());
    return 'error' in parsed
      ? { error: `${expression}: ${parsed.error}` }
      : { schedule: { kind: 'cron', cron: parsed } };
  }
  const at = AT.exec(expression);
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
      return { error: `${expression} is not a real date and time` };
    }
    return { schedule: { kind: 'at', at: expression } };
  }
  if (/^(rate|cron|at)\b/.test(expression))
    return { error: `${expression} is not a valid expression (${SCHEDULE_FORMS})` };
  return { error: `"${expression}" is not an EventBridge Scheduler expression (${SCHEDULE_FORMS})` };
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  { name: 'year', min: 1970, max: 2199 },
];

type Parsed<T> = T | { error: string };

function parseCron(body: string): Parsed<CronSchedule> {
  const parts = body.split(/\s+/);
  if (parts.length !== 6) {
    return {
      error: `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    };
  }
  const [minutes, hours, dom, month, dow, year] = parts;
  const domQ = dom === '?';
  const dowQ = dow === '?';
  if (domQ === dowQ) {
    return {
      error: `exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be "?" (e.g. cron(0 5 * * ? *) every day, cron(0 5 ? * MON *) every Monday)`,
    };
  }
  const sets: number[][] = [];
  for (const [i, text] of [minutes, hours, month, year].entries()) {
    const spec = FIELDS[[0, 1, 3, 5][i]];
    const values = parseValues(text, spec);
    if ('error' in values) return values;
    sets.push(values);
  }
  const [minuteSet, hourSet, monthSet, yearSet] = sets;
  const day = domQ ? undefined : parseDayOfMonth(dom);
  if (day && 'error' in day) return day;
  const weekday = dowQ ? undefined : parseDayOfWeek(dow);
  if (weekday && 'error' in weekday) return weekday;
  const times = hourSet.flatMap((h) => minuteSet.map((m) => h * 60 + m)).sort((a, b) => a - b);
  const months = new Set(monthSet);
  const years = new Set(yearSet);
  return {
    times,
    firstYear: Math.min(...yearSet),
    runsOn: (date) =>
      years.has(date.getUTCFullYear()) &&
      months.has(date.getUTCMonth() + 1) &&
      (day ? day(date) : true) &&
      (weekday ? weekday(date) : true),
  };
}

/** Values of a plain field: `*`, `5`, `1-5`, `*\/15`, `10-50/10`, `JAN,MAR`, lists of these. */
function parseValues(text: string, spec: FieldSpec): Parsed<number[]> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) return fieldError(spec, text);
    const [, range, stepText] = match;
    let from = spec.min;
    let to = spec.max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      const start = fieldValue(a, spec);
      const end = b === undefined ? (stepText ? spec.max : start) : fieldValue(b, spec);
      if (start === undefined || end === undefined || end < start) return fieldError(spec, text);
      from = start;
      to = end;
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return fieldError(spec, text);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function fieldValue(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return value >= spec.min && value <= spec.max ? value : undefined;
}

function fieldError(spec: FieldSpec, text: string): { error: string } {
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
  const wildcards = {
    minutes: ', - * /',
    hours: ', - * /',
    'day-of-month': ', - * ? / L W',
    month: ', - * /',
    'day-of-week': ', - * ? L #',
    year: ', - * /',
  }[spec.name];
  return {
    error: `${spec.name} "${text}" is not valid (values ${spec.min}-${spec.max}${names}; wildcards ${wildcards})`,
  };
}

const daysInMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();

/** Day-of-month: plain values, `L` (last day), `LW` (last weekday), `15W` (weekday nearest the 15th). */
function parseDayOfMonth(text: string): Parsed<(date: Date) => boolean> {
  const spec = FIELDS[2];
  if (text === 'L') return (date) => date.getUTCDate() === daysInMonth(date);
  const weekday = /^(L|\d+)W$/.exec(text);
  if (weekday) {
    const target = weekday[1] === 'L' ? undefined : Number(weekday[1]);
    if (target !== undefined && (target < 1 || target > 31)) return fieldError(spec, text);
    return (date) => date.getUTCDate() === nearestWeekday(date, target ?? daysInMonth(date));
  }
  const values = parseValues(text, spec);
  if ('error' in values) return values;
  const set = new Set(values);
  return (date) => set.has(date.getUTCDate());
}

/** The weekday of the month nearest to day `target`, not crossing into another month (cron's `W`). */
function nearestWeekday(date: Date, target: number): number {
  const last = daysInMonth(date);
  const day = Math.min(target, last);
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}

/** Day-of-week, 1 = Sunday: plain values, `L` (Saturday), `6L` (last Friday), `2#1` (first Monday). */
function parseDayOfWeek(text: string): Parsed<(date: Date) => boolean> {
  const spec = FIELDS[4];
  const weekdayOf = (date: Date) => date.getUTCDay() + 1;
  if (text === 'L') return (date) => weekdayOf(date) === 7;
  const last = /^([A-Za-z0-9]+)L$/.exec(text);
  if (last) {
    const value = fieldValue(last[1], spec);
    if (value === undefined) return fieldError(spec, text);
    return (date) => weekdayOf(date) === value && date.getUTCDate() + 7 > daysInMonth(date);
  }
  const nth = /^([A-Za-z0-9]+)#([1-5])$/.exec(text);
  if (nth) {
    const value = fieldValue(nth[1], spec);
    if (value === undefined) return fieldError(spec, text);
    const n = Number(nth[2]);
    return (date) => weekdayOf(date) === value && Math.ceil(date.getUTCDate() / 7) === n;
  }
  if (text.includes('#')) return fieldError(spec, text);
  const values = parseValues(text, spec);
  if ('error' in values) return values;
  const set = new Set(values);
  return (date) => set.has(weekdayOf(date));
}

/** Shortest and longest time between two runs, in minutes; undefined when it runs fewer than twice. */
export interface RunGaps {
  readonly shortest: number;
  readonly longest: number;
}

/** Days of calendar looked at for a cron expression: two years, so monthly and leap-year rules show. */
const CRON_WINDOW_DAYS = 731;

export function runGaps(schedule: ScheduleExpression): RunGaps | undefined {
  if (schedule.kind === 'at') return undefined;
  if (schedule.kind === 'rate') return { shortest: schedule.minutes, longest: schedule.minutes };
  const { times, runsOn, firstYear } = schedule.cron;
  // A year with no leap-day oddities to start from, unless the expression pins the years.
  const start = Date.UTC(Math.max(firstYear, firstYear === 1970 ? 2030 : firstYear), 0, 1);
  const runs: number[] = [];
  for (let d = 0; d < CRON_WINDOW_DAYS; d++) {
    if (runsOn(new Date(start + d * 86_400_000))) for (const t of times) runs.push(d * 1440 + t);
  }
  if (runs.length < 2) return undefined;
  let shortest = Number.POSITIVE_INFINITY;
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    const gap = runs[i] - runs[i - 1];
    shortest = Math.min(shortest, gap);
    longest = Math.max(longest, gap);
  }
  return { shortest, longest };
}

/** `90` → `1.5 hours`; for messages. */
export function describeMinutes(minutes: number): string {
  const plural = (n: number, unit: string) => `${Number(n.toFixed(1))} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  if (minutes < 1440) return plural(minutes / 60, 'hour');
  return plural(minutes / 1440, 'day');
}
