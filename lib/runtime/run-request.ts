/**
 * A manual run of a product's state machine: the day it builds, the execution's name and input, and where
 * the console shows it. Plain functions, so the rules are tested without Step Functions.
 */
import { randomBytes } from 'node:crypto';

/** Step Functions limit on execution names. */
export const EXECUTION_NAME_LIMIT = 80;

/** Characters Step Functions allows in execution names (no whitespace, brackets, wildcards or `"#%\^|~`$&,;:/`). */
const EXECUTION_NAME = /^[A-Za-z0-9_.-]+$/;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's date in UTC, YYYY-MM-DD. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Checks a `--date`: a real calendar day written YYYY-MM-DD, not after today (UTC). Returns the problem as a
 * sentence, or undefined when the date is fine.
 */
export function runDateProblem(text: string, now: Date): string | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return `--date takes a day written YYYY-MM-DD, e.g. ${utcDate(now)}; got "${text}"`;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return `--date ${text} is not a calendar day`;
  }
  if (text > utcDate(now)) {
    return `--date ${text} is after today (${utcDate(now)} UTC): a run builds a day that has begun`;
  }
  return undefined;
}

/** The state machine input of a run: `{}` (the day of the start) or `{ "runDate": … }`. */
export function executionInput(runDate?: string): string {
  return JSON.stringify(runDate === undefined ? {} : { runDate });
}

/**
 * A readable, unique execution name: `manual-<day>-<random>`, e.g. `manual-2026-12-01-3f9a0c1b`. The day is
 * the one built (today when no date is given), so the console list reads like a log of manual runs.
 */
export function manualExecutionName(day: string, random: string = randomBytes(4).toString('hex')): string {
  const name = `manual-${day}-${random}`;
  if (name.length > EXECUTION_NAME_LIMIT || !EXECUTION_NAME.test(name)) {
    throw new Error(`not a valid execution name: "${name}"`);
  }
  return name;
}

/** The region in an ARN (`arn:aws:states:<region>:…`), or undefined. */
export function arnRegion(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** The Step Functions console page of an execution. */
export function executionConsoleUrl(executionArn: string): string {
  const region = arnRegion(executionArn) ?? 'us-east-1';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}
