/**
 * Waiting for an execution to finish: DescribeExecution with growing pauses (runs take minutes, so the
 * first looks are quick and later ones sparse), ended early by an abort signal (Ctrl-C) without touching the
 * execution.
 */

import { isFinished } from './run-state';
import type { ExecutionDescription, StepFunctionsApi } from './sfn-client';

export interface WaitOptions {
  /** Pause before the second look; grows by half each time. @default 1,000 ms */
  readonly initialPollMs?: number;
  /** Longest pause between looks. @default 15,000 ms */
  readonly maxPollMs?: number;
  /** Stops waiting (the execution keeps running). */
  readonly signal?: AbortSignal;
  /** Called after every look. */
  readonly onPoll?: (execution: ExecutionDescription, elapsedMs: number) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The finished execution, or `interrupted` with the last look when the signal stopped the wait. */
export type WaitResult =
  | { readonly kind: 'finished'; readonly execution: ExecutionDescription }
  | { readonly kind: 'interrupted'; readonly execution?: ExecutionDescription };

/** A pause that ends early when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function waitForExecution(
  api: StepFunctionsApi,
  executionArn: string,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const maxPollMs = options.maxPollMs ?? 15_000;
  let wait = options.initialPollMs ?? 1_000;
  let last: ExecutionDescription | undefined;
  for (;;) {
    if (options.signal?.aborted) return { kind: 'interrupted', ...(last ? { execution: last } : {}) };
    last = await api.describeExecution(executionArn);
    options.onPoll?.(last, now() - started);
    if (isFinished(last.status)) return { kind: 'finished', execution: last };
    await pause(wait, options.signal);
    wait = Math.min(Math.round(wait * 1.5), maxPollMs);
  }
}
