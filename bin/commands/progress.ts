/**
 * One rewritten progress line on stderr for long work, shown only on a terminal: piped output, CI logs and
 * `--json` stay free of it, and stdout never carries it.
 */

export interface Progress {
  /** Replaces the progress line; frequent updates are thinned out unless `immediate` (a new phase). */
  update(text: string, immediate?: boolean): void;
  /** Clears the line. */
  done(): void;
}

export interface ProgressOptions {
  /** No line at all (e.g. with --json). @default false */
  readonly quiet?: boolean;
  /** Where the line goes. @default process.stderr */
  readonly stream?: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;
  /** Least time between two redraws. @default 100 ms */
  readonly intervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[K';

export function progressLine(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return { update: () => undefined, done: () => undefined };
  const interval = options.intervalMs ?? 100;
  let drawnAt = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(text, immediate = false) {
      const now = performance.now();
      if (!immediate && now - drawnAt < interval) return;
      drawnAt = now;
      shown = true;
      stream.write(`${CLEAR_LINE}${text}`);
    },
    done() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}
