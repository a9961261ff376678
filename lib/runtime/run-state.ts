/**
 * What a state machine execution of a product says about its run: plain data in (the fields DescribeExecution
 * returns), a verdict out. The state machine ends a run in one of two ways: success with the run summary as
 * output, or the `QualityGateFailed` Fail state with the same summary as cause (published = false).
 */

/** Step Functions execution statuses (ExecutionStatus in the SDK). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** Error name of the Fail state a run ends in when a blocking quality rule failed. */
export const QUALITY_GATE_FAILED = 'QualityGateFailed';

/** The summary a run ends with (the state machine's output, or the cause of QualityGateFailed). */
export interface RunSummary {
  readonly runId: string;
  /** `build` (write-audit-publish) or `check` (audits published data, publishes nothing); absent in older outputs. */
  readonly kind?: 'build' | 'check';
  /** Day the run built, YYYY-MM-DD. */
  readonly runDate: string;
  /** Whether the run's data reached consumers. */
  readonly published: boolean;
  readonly failedRules: number;
  readonly rules: number;
  readonly rowsWritten: number;
}

/** The fields of an execution the verdict needs (DescribeExecution's output, dates as Date). */
export interface ExecutionFacts {
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * `running`: not finished. `succeeded`: a build published, or a check found every rule met. `quality-failed`:
 * a blocking rule failed (a build held its data back; a check found the published data breaks its contract).
 * `failed`: the run broke (error, timeout, abort).
 */
export type RunVerdict = 'running' | 'succeeded' | 'quality-failed' | 'failed';

export interface RunOutcome {
  readonly status: string;
  readonly verdict: RunVerdict;
  /** The run summary, when the execution produced one. */
  readonly summary?: RunSummary;
  /** Error and cause of a failed execution (the cause as text when it is not a run summary). */
  readonly error?: string;
  readonly cause?: string;
}

/** Whether an execution has stopped (any status but RUNNING and PENDING_REDRIVE). */
export function isFinished(status: string): boolean {
  return status !== 'RUNNING' && status !== 'PENDING_REDRIVE';
}

/** The run summary in `text`, or undefined when it is not JSON of that shape. */
export function parseRunSummary(text: string | undefined): RunSummary | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const counts = [v.failedRules, v.rules, v.rowsWritten];
  if (
    typeof v.runId !== 'string' ||
    typeof v.runDate !== 'string' ||
    typeof v.published !== 'boolean' ||
    !counts.every((n) => typeof n === 'number' && Number.isFinite(n))
  ) {
    return undefined;
  }
  return {
    runId: v.runId,
    ...(v.kind === 'build' || v.kind === 'check' ? { kind: v.kind } : {}),
    runDate: v.runDate,
    published: v.published,
    failedRules: v.failedRules as number,
    rules: v.rules as number,
    rowsWritten: v.rowsWritten as number,
  };
}

/** What an execution amounts to as a run. */
export function runOutcome(execution: ExecutionFacts): RunOutcome {
  const { status } = execution;
  if (!isFinished(status)) return { status, verdict: 'running' };
  if (status === 'SUCCEEDED') {
    const summary = parseRunSummary(execution.output);
    // A check publishes nothing by design; only a build that says it did not publish was held back.
    const heldBack = summary !== undefined && !summary.published && summary.kind !== 'check';
    const verdict: RunVerdict = heldBack ? 'quality-failed' : 'succeeded';
    return { status, verdict, ...(summary ? { summary } : {}) };
  }
  const summary = execution.error === QUALITY_GATE_FAILED ? parseRunSummary(execution.cause) : undefined;
  return {
    status,
    verdict: summary ? 'quality-failed' : 'failed',
    ...(summary ? { summary } : {}),
    ...(execution.error !== undefined ? { error: execution.error } : {}),
    ...(!summary && execution.cause !== undefined ? { cause: execution.cause } : {}),
  };
}

/** One line describing the outcome, e.g. `published: 0 of 12 rules failed, 1,204 rows written`. */
export function describeOutcome(outcome: RunOutcome): string {
  const { summary } = outcome;
  const check = summary?.kind === 'check';
  const counts = summary
    ? `${summary.failedRules} of ${summary.rules} rules failed${check ? '' : `, ${summary.rowsWritten.toLocaleString('en-US')} rows written`}`
    : undefined;
  const tail = counts ? `: ${counts}` : '';
  switch (outcome.verdict) {
    case 'running':
      return `still ${outcome.status.toLowerCase().replace('_', ' ')}`;
    case 'succeeded':
      return `${check ? 'checked (a check publishes nothing)' : 'published'}${tail}`;
    case 'quality-failed':
      return check
        ? `quality failed: the published data breaks its contract${tail}`
        : `not published: a blocking quality rule failed, consumers still read the last good data${tail}`;
    case 'failed': {
      const why = [outcome.error, outcome.cause].filter((s) => s !== undefined && s !== '').join(': ');
      return `${outcome.status.toLowerCase().replace('_', ' ')}${why ? `: ${oneLine(why)}` : ''}`;
    }
  }
}

const MAX_CAUSE = 300;

/** A cause on one line, cut to a readable length. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_CAUSE ? `${flat.slice(0, MAX_CAUSE - 1)}…` : flat;
}
