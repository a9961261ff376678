/**
 * Quality results for the mesh metrics: the reports `mesh check --json <file>` writes (the check's document,
 * whose `report` is a QualityReport of lib/quality/evaluate.ts), or a bare QualityReport. Files are given, or
 * folders whose *.json files are read. A file that is not such a report is an error naming it: a metric
 * silently computed without it would be wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/** One product major's quality result, as the metrics read it. */
export interface QualityResultFacts {
  /** The file it was read from, as given (or found in a given folder). */
  readonly file: string;
  /** When the file was last written: of several results for one product major, the newest counts. */
  readonly modifiedMs: number;
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly major: number;
  /** Share of the checks that ran and passed, 0..1. */
  readonly score: number;
  readonly passed: boolean;
  /** The SLA freshness checks among the results (`sla_freshness_<column>`): those that ran, and those that passed. */
  readonly sla: { readonly checks: number; readonly passed: number };
}

const ResultSchema = z.looseObject({
  id: z.string(),
  source: z.string().optional(),
  status: z.enum(['pass', 'fail', 'error', 'skipped']),
});

/** The fields read of a QualityReport; `mesh check --json` writes it under `report`, a bare one is taken too. */
const QualityReportSchema = z.looseObject({
  product: z.string().regex(/^[a-z0-9_]+\/[a-z0-9_]+$/, { message: 'must be <domain>/<product>' }),
  major: z.number().int().min(0),
  score: z.number().min(0).max(1),
  passed: z.boolean(),
  results: z.array(ResultSchema),
});

/** Why quality results could not be read: the command could not run (exit 2). */
export class QualityResultsError extends Error {
  override readonly name = 'QualityResultsError';
}

/** An SLA freshness check, as lib/quality/checks.ts plans it. */
export function isSlaCheck(result: { readonly id: string; readonly source?: string }): boolean {
  return result.source === 'sla.freshness' || result.id.startsWith('sla_freshness_');
}

/** Reads every result of the given files and folders (a folder's *.json files, in name order). */
export function readQualityResults(paths: readonly string[]): QualityResultFacts[] {
  return paths.flatMap((given) => resultFiles(given)).map(readQualityResult);
}

function resultFiles(given: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(given);
  } catch {
    throw new QualityResultsError(`--results ${given}: no such file or folder`);
  }
  if (!stat.isDirectory()) return [given];
  return fs
    .readdirSync(given)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(given, name));
}

/** One result file; throws QualityResultsError naming the file and the first thing wrong with it. */
export function readQualityResult(file: string): QualityResultFacts {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new QualityResultsError(`${file} is not JSON (${(err as Error).message})`);
  }
  return parseQualityResult(json, file, fs.statSync(file).mtimeMs);
}

/**
 * A result already read (a check's document or a bare QualityReport); `file` names it in errors, `modifiedMs`
 * orders several results of one product major.
 */
export function parseQualityResult(json: unknown, file: string, modifiedMs: number): QualityResultFacts {
  const nested = isRecord(json) && 'report' in json;
  const parsed = QualityReportSchema.safeParse(nested ? json.report : json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = `${nested ? 'report.' : ''}${issue.path.join('.')}`;
    throw new QualityResultsError(
      `${file} is not a quality report written by mesh check --json <file>: ${where || '(root)'}: ${issue.message}`,
    );
  }
  const report = parsed.data;
  const ran = report.results.filter((r) => isSlaCheck(r) && r.status !== 'skipped');
  return {
    file,
    modifiedMs,
    product: report.product,
    major: report.major,
    score: report.score,
    passed: report.passed,
    sla: { checks: ran.length, passed: ran.filter((r) => r.status === 'pass').length },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
