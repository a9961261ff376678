/**
 * runAthenaErasure(): an erasure plan executed on Athena, step by step in the plan's order. An Iceberg table
 * is erased here: count, DELETE, count again (must be 0), OPTIMIZE, VACUUM, each in the owning domain's
 * workgroup. A file-based table is only counted: its rewrite swaps S3 objects, which its owner runs from the
 * statements file; once the count finds no row of the subject, the step is done. A step waits while a version
 * it derives from still holds the subject, so a build cannot copy the subject back into an erased table; run
 * the command again after the owners' rewrites (a second DELETE finds nothing and changes nothing).
 */
import type { AthenaQueryApi } from '../quality/athena-client';
import { AthenaQueryError, type AthenaQueryOptions, runAthenaQuery } from '../quality/athena-query';
import type { EraseStep, ErasurePlan } from './erasure-plan';
import type { CommandRole, StepStatements } from './erasure-statements';

/** How the queries are run: timeouts, polling, progress. */
export type AthenaErasureOptions = Omit<AthenaQueryOptions, 'workgroup' | 'database' | 'label'>;

/** A query the erasure ran. */
export interface AthenaErasureQuery {
  readonly role: CommandRole;
  readonly sql: string;
  readonly queryExecutionId: string;
}

/** What happened to one erase step. */
export interface AthenaStepResult {
  readonly step: EraseStep;
  /**
   * `erased`: the subject's rows were deleted (or none were left); `rewrite`: a file-based table still holding
   * the subject, for its owner to rewrite; `waiting`: a version it derives from still holds the subject;
   * `failed`: a query failed (see message).
   */
  readonly status: 'erased' | 'rewrite' | 'waiting' | 'failed';
  /** Rows of the subject found before the step (undefined when it did not run). */
  readonly subjectRows?: number;
  readonly queries: readonly AthenaErasureQuery[];
  /** The versions it waits for, when waiting. */
  readonly waitingFor?: readonly string[];
  readonly message?: string;
}

/** Every erase step's result, in the plan's order. */
export interface AthenaErasureRun {
  readonly results: readonly AthenaStepResult[];
}

/** Executes what Athena can of the plan; see the module comment. */
export async function runAthenaErasure(
  /** The Athena of a domain: domains may live in different regions. */
  apiOf: (domain: string) => AthenaQueryApi,
  plan: ErasurePlan,
  statements: readonly StepStatements[],
  options: AthenaErasureOptions = {},
): Promise<AthenaErasureRun> {
  const pending = new Set<string>();
  const results: AthenaStepResult[] = [];
  for (const { step, commands } of statements) {
    if (step.kind !== 'erase') continue;
    const waitingFor = upstreamOf(plan, step).filter((ref) => pending.has(ref));
    if (waitingFor.length > 0) {
      pending.add(step.ref);
      results.push({ step, status: 'waiting', queries: [], waitingFor });
      continue;
    }
    const queries: AthenaErasureQuery[] = [];
    const run = async (role: CommandRole) => {
      const command = commands.find((c) => c.role === role && c.engine === 'athena');
      if (!command) throw new Error(`${step.ref}: the plan has no ${role} statement`);
      const outcome = await runAthenaQuery(apiOf(step.domain), command.text, {
        ...options,
        workgroup: step.workgroup,
        database: step.database,
        label: `${step.ref} ${role}`,
      });
      queries.push({ role, sql: command.text, queryExecutionId: outcome.queryExecutionId });
      return outcome.rows;
    };
    try {
      const result = step.format === 'iceberg' ? await eraseIceberg(step, run) : await countFiles(step, run);
      if (result.status !== 'erased') pending.add(step.ref);
      results.push({ ...result, queries });
    } catch (err) {
      if (!(err instanceof AthenaQueryError)) throw err;
      pending.add(step.ref);
      results.push({ step, status: 'failed', queries, message: err.message });
    }
  }
  return { results };
}

type Rows = readonly Readonly<Record<string, string | null>>[];
type Run = (role: CommandRole) => Promise<Rows>;

async function eraseIceberg(step: EraseStep, run: Run): Promise<Omit<AthenaStepResult, 'queries'>> {
  const before = subjectRowsOf(await run('count'));
  if (before > 0) {
    await run('delete');
    const after = subjectRowsOf(await run('verify'));
    if (after > 0) {
      return {
        step,
        status: 'failed',
        subjectRows: before,
        message: `${after} of ${before} rows of the subject are still in ${step.database}.${step.table} after the DELETE`,
      };
    }
    await run('optimize');
  }
  // VACUUM runs every time: a run days after the DELETE expires the snapshots that still hold the rows.
  await run('vacuum');
  return { step, status: 'erased', subjectRows: before };
}

async function countFiles(step: EraseStep, run: Run): Promise<Omit<AthenaStepResult, 'queries'>> {
  const rows = await run('partitions');
  const subjectRows = rows.reduce((sum, row) => sum + Number(row.subject_rows ?? 0), 0);
  if (subjectRows === 0) return { step, status: 'erased', subjectRows };
  const partitions =
    step.partitionColumns.length > 0 ? ` in ${rows.length} partition${rows.length === 1 ? '' : 's'}` : '';
  return {
    step,
    status: 'rewrite',
    subjectRows,
    message: `${subjectRows} rows of the subject${partitions}: ${step.format} files are rewritten by the owner (${step.owner.team} <${step.owner.email}>) with the step's statements`,
  };
}

function subjectRowsOf(rows: Rows): number {
  const value = rows[0]?.subject_rows;
  const count = Number(value);
  if (value === null || value === undefined || !Number.isFinite(count)) {
    throw new AthenaQueryError(`expected a count of the subject's rows, got ${JSON.stringify(rows[0] ?? null)}`);
  }
  return count;
}

/** Every version of the plan the step derives from, directly or through other versions. */
export function upstreamOf(plan: ErasurePlan, step: { readonly derivedFrom: readonly string[] }): string[] {
  const byRef = new Map(plan.steps.map((s) => [s.ref, s]));
  const seen = new Set<string>();
  const queue = [...step.derivedFrom];
  while (queue.length > 0) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    queue.push(...(byRef.get(ref)?.derivedFrom ?? []));
  }
  return [...seen].sort();
}
