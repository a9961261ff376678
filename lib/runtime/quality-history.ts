/**
 * Queries over a domain's `quality_results` table (lib/runtime/quality-results.ts): a product's runs and the
 * rules that failed, and the domain dashboard (quality score per product per day: 100 × passed rules / all
 * rules; SLA adherence: the share of runs whose SLA freshness check passed). The SQL keeps to what Athena
 * (Trino) and DuckDB read alike, so tests run the very text Athena gets; rows come back as Athena returns
 * them (text or NULL) and are parsed here.
 */
import { numberLiteral, quoteQualifiedName, quoteString } from '../quality/sql-text';

/** Where the table is: the domain database and the table name (domainNames / domainRuntimeNames). */
export interface QualityResultsLocation {
  readonly database: string;
  readonly table: string;
}

/**
 * The days a query covers: the `days` calendar days (UTC) ending today. With `today`, the first day is
 * written as a literal (the command's reproducible query); without, as `current_date` arithmetic (a
 * dashboard query that keeps working when pasted into Athena).
 */
export interface QualityWindow {
  readonly days: number;
  /** YYYY-MM-DD. */
  readonly today?: string;
}

/** Longest window the commands accept: a year of history. */
export const MAX_HISTORY_DAYS = 366;

/** The `checked_at` lower bound of a window. */
export function windowStart(window: QualityWindow): string {
  const { days } = window;
  if (!Number.isInteger(days) || days < 1 || days > MAX_HISTORY_DAYS) {
    throw new RangeError(`days must be a whole number from 1 to ${MAX_HISTORY_DAYS}, got ${days}`);
  }
  if (window.today === undefined) {
    return `CAST(current_date - INTERVAL ${quoteString(String(days - 1))} DAY AS TIMESTAMP)`;
  }
  const first = new Date(`${window.today}T00:00:00Z`);
  if (Number.isNaN(first.getTime())) throw new RangeError(`not a day: "${window.today}"`);
  first.setUTCDate(first.getUTCDate() - (days - 1));
  return `TIMESTAMP ${quoteString(`${first.toISOString().slice(0, 10)} 00:00:00`)}`;
}

const PASSED = 'SUM(CASE WHEN passed THEN 1 ELSE 0 END)';
const FAILED = 'SUM(CASE WHEN passed THEN 0 ELSE 1 END)';
/** 100 × passed / all, one decimal; DOUBLE so both engines print the same digits. */
const SCORE = `ROUND(100 * CAST(${PASSED} AS DOUBLE) / COUNT(*), 1)`;
/** The rule source of the check of the SLA's freshness promise (lib/quality/checks.ts). */
const SLA_FRESHNESS = quoteString('sla.freshness');

/** One row per run of the product in the window, newest first. */
export function runHistorySql(location: QualityResultsLocation, product: string, window: QualityWindow): string {
  return [
    'SELECT run_id, run_kind, version, MIN(checked_at) AS checked_at,',
    `  ${PASSED} AS passed_rules,`,
    '  COUNT(*) AS rules,',
    `  SUM(CASE WHEN NOT passed AND blocks_publish THEN 1 ELSE 0 END) AS blocking_failures,`,
    `  ${SCORE} AS quality_score`,
    `FROM ${quoteQualifiedName(location.database, location.table)}`,
    `WHERE product = ${quoteString(product)} AND checked_at >= ${windowStart(window)}`,
    'GROUP BY run_id, run_kind, version',
    'ORDER BY MIN(checked_at) DESC, run_id',
  ].join('\n');
}

/** One row per rule of the product that failed in the window, most failures first. */
export function ruleFailuresSql(location: QualityResultsLocation, product: string, window: QualityWindow): string {
  return [
    'SELECT rule, rule_source,',
    '  COUNT(DISTINCT run_id) AS runs,',
    `  ${FAILED} AS failures,`,
    '  MAX(CASE WHEN passed THEN NULL ELSE checked_at END) AS last_failed_at',
    `FROM ${quoteQualifiedName(location.database, location.table)}`,
    `WHERE product = ${quoteString(product)} AND checked_at >= ${windowStart(window)}`,
    'GROUP BY rule, rule_source',
    `HAVING ${FAILED} > 0`,
    'ORDER BY failures DESC, rule',
  ].join('\n');
}

/** What the dashboard's columns mean, as an SQL comment to print above the query. */
export const DASHBOARD_SQL_COMMENT =
  '-- quality_score = 100 * passed rules / all rules; sla_adherence = % of runs whose SLA freshness check passed';

/** The domain dashboard: one row per product per day (UTC) in the window. */
export function qualityDashboardSql(location: QualityResultsLocation, window: QualityWindow): string {
  const freshnessRuns = `COUNT(DISTINCT CASE WHEN rule_source = ${SLA_FRESHNESS} THEN run_id END)`;
  const freshRuns = `COUNT(DISTINCT CASE WHEN rule_source = ${SLA_FRESHNESS} AND passed THEN run_id END)`;
  return [
    'SELECT product, CAST(checked_at AS DATE) AS day,',
    '  COUNT(DISTINCT run_id) AS runs,',
    `  ${PASSED} AS passed_rules,`,
    '  COUNT(*) AS rules,',
    `  ${SCORE} AS quality_score,`,
    `  ROUND(100 * CAST(${freshRuns} AS DOUBLE) / NULLIF(${freshnessRuns}, 0), 1) AS sla_adherence`,
    `FROM ${quoteQualifiedName(location.database, location.table)}`,
    `WHERE checked_at >= ${windowStart(window)}`,
    'GROUP BY product, CAST(checked_at AS DATE)',
    'ORDER BY product, day',
  ].join('\n');
}

/** A row as Athena returns it: column → text, NULL as null. */
export type TextRow = Readonly<Record<string, string | null>>;

export interface RunHistoryEntry {
  readonly runId: string;
  readonly runKind: string;
  readonly version: string;
  /** When its first rule was measured, ISO 8601 UTC. */
  readonly checkedAt: string;
  readonly passedRules: number;
  readonly rules: number;
  readonly blockingFailures: number;
  /** 0–100. */
  readonly qualityScore: number;
}

export interface RuleFailureEntry {
  readonly rule: string;
  readonly ruleSource: string;
  /** Runs that measured the rule. */
  readonly runs: number;
  readonly failures: number;
  readonly lastFailedAt: string | null;
}

export interface DashboardEntry {
  readonly product: string;
  /** YYYY-MM-DD. */
  readonly day: string;
  readonly runs: number;
  readonly passedRules: number;
  readonly rules: number;
  readonly qualityScore: number;
  /** 0–100; null when no run of the day checked an SLA freshness promise. */
  readonly slaAdherence: number | null;
}

function text(row: TextRow, column: string): string {
  const value = row[column];
  if (value === null || value === undefined) throw new Error(`quality_results query: column ${column} is NULL`);
  return value;
}

function num(row: TextRow, column: string): number {
  const value = Number(text(row, column));
  if (!Number.isFinite(value)) throw new Error(`quality_results query: column ${column} is not a number`);
  return value;
}

/** Athena prints timestamps as `2026-12-01 06:00:03.123`, always UTC here (Iceberg timestamps without zone). */
export function timestampText(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(value);
  if (!match) throw new Error(`quality_results query: not a timestamp: "${value}"`);
  const millis = (match[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  return `${match[1]}T${match[2]}${millis}Z`;
}

export function parseRunHistory(rows: readonly TextRow[]): RunHistoryEntry[] {
  return rows.map((row) => ({
    runId: text(row, 'run_id'),
    runKind: text(row, 'run_kind'),
    version: text(row, 'version'),
    checkedAt: timestampText(text(row, 'checked_at')),
    passedRules: num(row, 'passed_rules'),
    rules: num(row, 'rules'),
    blockingFailures: num(row, 'blocking_failures'),
    qualityScore: num(row, 'quality_score'),
  }));
}

export function parseRuleFailures(rows: readonly TextRow[]): RuleFailureEntry[] {
  return rows.map((row) => {
    const last = row.last_failed_at ?? null;
    return {
      rule: text(row, 'rule'),
      ruleSource: text(row, 'rule_source'),
      runs: num(row, 'runs'),
      failures: num(row, 'failures'),
      lastFailedAt: last === null ? null : timestampText(last),
    };
  });
}

export function parseDashboard(rows: readonly TextRow[]): DashboardEntry[] {
  return rows.map((row) => ({
    product: text(row, 'product'),
    day: text(row, 'day').slice(0, 10),
    runs: num(row, 'runs'),
    passedRules: num(row, 'passed_rules'),
    rules: num(row, 'rules'),
    qualityScore: num(row, 'quality_score'),
    slaAdherence: row.sla_adherence === null || row.sla_adherence === undefined ? null : num(row, 'sla_adherence'),
  }));
}

/** `--days`: a whole number of days from 1 to MAX_HISTORY_DAYS; the problem as a sentence, or undefined. */
export function daysProblem(text: string): string | undefined {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_HISTORY_DAYS) {
    return `--days takes a whole number of days from 1 to ${numberLiteral(MAX_HISTORY_DAYS)}, got "${text}"`;
  }
  return undefined;
}
