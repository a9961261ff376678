/**
 * runAthenaQuery(): start, wait, read. Polls with exponential backoff under an overall timeout (stopping the
 * query when it runs out), retries throttled calls, and explains FAILED and CANCELLED queries.
 */
import { randomUUID } from 'node:crypto';
import type { AthenaQueryApi } from './athena-client';

/** How long to wait, how often to look, whom to tell. */
export interface AthenaQueryOptions {
  /** Workgroup the query runs and is billed in. */
  readonly workgroup: string;
  /** Default database. */
  readonly database: string;
  /** Name shown in progress reports and errors, e.g. the check it measures. @default 'query' */
  readonly label?: string;
  /** Give up (and stop the query) after this long. @default 600,000 ms */
  readonly timeoutMs?: number;
  /** First wait before looking at the query; doubles after each look. @default 500 ms */
  readonly initialPollMs?: number;
  /** Longest wait between looks. @default 5,000 ms */
  readonly maxPollMs?: number;
  /** Retries of a throttled call before giving up. @default 5 */
  readonly throttleRetries?: number;
  /** First wait after throttling; doubles per retry. @default 1,000 ms */
  readonly throttleBackoffMs?: number;
  /** Called after every look at the query. */
  readonly onProgress?: (progress: AthenaProgress) => void;
  /** Time source, replaceable so tests need not wait. @default the real clock */
  readonly clock?: Clock;
}

/** A look at a running query. */
export interface AthenaProgress {
  readonly label: string;
  readonly queryExecutionId: string;
  readonly state: string;
  readonly elapsedMs: number;
  readonly dataScannedInBytes?: number;
}

/** Time as the runner sees it. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A finished query's rows and statistics. */
export interface AthenaQueryOutcome {
  readonly queryExecutionId: string;
  readonly columns: readonly string[];
  /** Rows as column → text (null for SQL NULL), header row removed. */
  readonly rows: readonly Readonly<Record<string, string | null>>[];
  readonly dataScannedInBytes: number;
  readonly engineExecutionTimeInMillis?: number;
}

/** A query that did not succeed; the message says why and names the query. */
export class AthenaQueryError extends Error {
  constructor(
    message: string,
    /** The query, when it was started. */
    readonly queryExecutionId?: string,
    /** Its last known state. */
    readonly state?: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException']);

/** Runs one statement to completion and returns its rows. */
export async function runAthenaQuery(
  api: AthenaQueryApi,
  sql: string,
  options: AthenaQueryOptions,
): Promise<AthenaQueryOutcome> {
  const clock = options.clock ?? REAL_CLOCK;
  const label = options.label ?? 'query';
  const timeoutMs = options.timeoutMs ?? 600_000;
  const maxPollMs = options.maxPollMs ?? 5_000;
  const retry = <T>(what: string, call: () => Promise<T>) =>
    withThrottleRetry(what, call, options.throttleRetries ?? 5, options.throttleBackoffMs ?? 1_000, clock);
  const started = clock.now();

  // One token for every retry of the start, so a start that succeeded but was reported throttled is not repeated.
  const clientRequestToken = randomUUID();
  const id = await retry('StartQueryExecution', () =>
    api.start({ sql, workgroup: options.workgroup, database: options.database, clientRequestToken }),
  );

  let wait = options.initialPollMs ?? 500;
  let state = 'QUEUED';
  for (;;) {
    const remaining = timeoutMs - (clock.now() - started);
    if (remaining <= 0) {
      await api.stop(id).catch(() => undefined); // best effort: the timeout is the news, not the stop
      throw new AthenaQueryError(
        `${label}: Athena query ${id} did not finish within ${Math.round(timeoutMs / 1000)} s (still ${state}); it was stopped`,
        id,
        state,
      );
    }
    await clock.sleep(Math.min(wait, remaining));
    wait = Math.min(wait * 2, maxPollMs);
    const status = await retry('GetQueryExecution', () => api.status(id));
    state = status.state;
    options.onProgress?.({
      label,
      queryExecutionId: id,
      state: status.state,
      elapsedMs: clock.now() - started,
      ...(status.dataScannedInBytes !== undefined ? { dataScannedInBytes: status.dataScannedInBytes } : {}),
    });
    switch (status.state) {
      case 'SUCCEEDED': {
        const { columns, rows } = await readAllResults(api, id, retry);
        return {
          queryExecutionId: id,
          columns,
          rows,
          dataScannedInBytes: status.dataScannedInBytes ?? 0,
          ...(status.engineExecutionTimeInMillis !== undefined
            ? { engineExecutionTimeInMillis: status.engineExecutionTimeInMillis }
            : {}),
        };
      }
      case 'FAILED':
        throw new AthenaQueryError(
          `${label}: Athena query ${id} failed: ${status.stateChangeReason ?? 'no reason given'}`,
          id,
          status.state,
        );
      case 'CANCELLED':
        throw new AthenaQueryError(
          `${label}: Athena query ${id} was cancelled: ${
            status.stateChangeReason ?? 'no reason given (stopped by a user, or by the workgroup data limit)'
          }`,
          id,
          status.state,
        );
      default:
        break; // QUEUED or RUNNING: look again
    }
  }
}

type Retry = <T>(what: string, call: () => Promise<T>) => Promise<T>;

/** Every page of results, as records; the header row Athena puts first is dropped. */
async function readAllResults(
  api: AthenaQueryApi,
  id: string,
  retry: Retry,
): Promise<{ columns: readonly string[]; rows: Record<string, string | null>[] }> {
  let columns: readonly string[] = [];
  const rows: Record<string, string | null>[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const token = nextToken;
    const page = await retry('GetQueryResults', () => api.results(id, token));
    if (first) columns = page.columns;
    let pageRows = page.rows;
    if (first && pageRows.length > 0 && pageRows[0].every((value, i) => value === columns[i])) {
      pageRows = pageRows.slice(1);
    }
    for (const values of pageRows) rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
    nextToken = page.nextToken;
    first = false;
  } while (nextToken);
  return { columns, rows };
}

/**
 * Retries a call Athena throttled, waiting longer each time. Only throttling is retried: it means the call was
 * refused before it did anything, so repeating it is safe (and a start carries its idempotency token).
 */
export async function withThrottleRetry<T>(
  what: string,
  call: () => Promise<T>,
  retries: number,
  backoffMs: number,
  clock: Clock = REAL_CLOCK,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (!THROTTLING.has(name)) throw err;
      if (attempt >= retries) {
        throw new AthenaQueryError(
          `Athena throttled ${what} ${attempt + 1} times (${name}: ${(err as Error).message}); try again later or lower the concurrency`,
        );
      }
      await clock.sleep(backoffMs * 2 ** attempt);
    }
  }
}
