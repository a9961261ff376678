import { fitRows } from '../../lib/runtime/fit-table';
import { runOutcome } from '../../lib/runtime/run-state';
import { type FreshnessFacts, judgeFreshness, productState } from '../../lib/runtime/status';
import { freshnessWindowDays } from '../../lib/runtime/status-report';

const now = new Date('2026-12-03T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const HOUR = 3600;

describe('judgeFreshness: the newest data against the SLA', () => {
  test.each<[string, Omit<FreshnessFacts, 'now'>, string, string, number | undefined]>([
    ['no freshness promise', { measured: { ageSeconds: 10, at: hoursAgo(0) } }, 'unknown', 'none', undefined],
    [
      'measured just now, within',
      { allowedSeconds: 2 * HOUR, measured: { ageSeconds: HOUR, at: now } },
      'fresh',
      'metric',
      HOUR,
    ],
    [
      'measured just now, over',
      { allowedSeconds: 2 * HOUR, measured: { ageSeconds: 3 * HOUR, at: now } },
      'stale',
      'metric',
      3 * HOUR,
    ],
    [
      'exactly at the limit',
      { allowedSeconds: 2 * HOUR, measured: { ageSeconds: 2 * HOUR, at: now } },
      'fresh',
      'metric',
      2 * HOUR,
    ],
    // Fresh when measured, but the data kept ageing since: 1 h + 1.5 h > 2 h.
    [
      'measured fresh, aged past the limit since',
      { allowedSeconds: 2 * HOUR, measured: { ageSeconds: HOUR, at: hoursAgo(1.5) } },
      'stale',
      'metric',
      2.5 * HOUR,
    ],
    [
      'a measurement wins over the last publish',
      { allowedSeconds: 2 * HOUR, measured: { ageSeconds: 60, at: now }, lastPublishedAt: hoursAgo(5) },
      'fresh',
      'metric',
      60,
    ],
    [
      'no measurement, last publish too old',
      { allowedSeconds: 2 * HOUR, lastPublishedAt: hoursAgo(3) },
      'stale',
      'last-run',
      3 * HOUR,
    ],
    // A recent publish is only a lower bound of the data's age: it cannot prove freshness.
    [
      'no measurement, recent publish',
      { allowedSeconds: 2 * HOUR, lastPublishedAt: hoursAgo(1) },
      'unknown',
      'last-run',
      HOUR,
    ],
    ['nothing measured, nothing published', { allowedSeconds: 2 * HOUR }, 'unknown', 'none', undefined],
  ])('%s', (_what, facts, state, basis, age) => {
    const verdict = judgeFreshness({ ...facts, now });
    expect(verdict.state).toBe(state);
    expect(verdict.basis).toBe(basis);
    expect(verdict.ageSeconds).toBe(age);
  });
});

describe('productState: what needs attention', () => {
  const fresh = judgeFreshness({ allowedSeconds: HOUR, measured: { ageSeconds: 60, at: now }, now });
  const stale = judgeFreshness({ allowedSeconds: HOUR, measured: { ageSeconds: 7200, at: now }, now });
  const unknown = judgeFreshness({ now });
  const published = runOutcome({
    status: 'SUCCEEDED',
    output: JSON.stringify({
      runId: 'r',
      runDate: '2026-12-03',
      kind: 'build',
      published: true,
      failedRules: 0,
      rules: 3,
      rowsWritten: 9,
    }),
  });
  const gate = runOutcome({
    status: 'FAILED',
    error: 'QualityGateFailed',
    cause: JSON.stringify({
      runId: 'r',
      runDate: '2026-12-03',
      kind: 'build',
      published: false,
      failedRules: 1,
      rules: 3,
      rowsWritten: 9,
    }),
  });
  const broke = runOutcome({ status: 'TIMED_OUT' });
  const running = runOutcome({ status: 'RUNNING' });

  test.each([
    ['not deployed', { deployed: false, freshness: stale, openAlarms: 2 }, 'not-deployed', [], false],
    ['deployed, never ran', { deployed: true, freshness: unknown, openAlarms: 0 }, 'never-run', [], false],
    ['published and fresh', { deployed: true, lastRun: published, freshness: fresh, openAlarms: 0 }, 'ok', [], false],
    ['running', { deployed: true, lastRun: running, freshness: fresh, openAlarms: 0 }, 'running', [], false],
    [
      'held back by the gate',
      { deployed: true, lastRun: gate, freshness: fresh, openAlarms: 0 },
      'failing',
      ['failing'],
      true,
    ],
    [
      'timed out, alarming and stale',
      { deployed: true, lastRun: broke, freshness: stale, openAlarms: 1 },
      'failing',
      ['failing', 'alarm', 'stale'],
      true,
    ],
    [
      'alarming only',
      { deployed: true, lastRun: published, freshness: fresh, openAlarms: 1 },
      'alarm',
      ['alarm'],
      true,
    ],
    [
      'stale while running',
      { deployed: true, lastRun: running, freshness: stale, openAlarms: 0 },
      'stale',
      ['stale'],
      true,
    ],
  ] as const)('%s', (_what, facts, state, problems, attention) => {
    const verdict = productState(facts);
    expect(verdict.state).toBe(state);
    expect(verdict.problems).toEqual(problems);
    expect(verdict.needsAttention).toBe(attention);
  });
});

describe('freshnessWindowDays: metric history read per product', () => {
  test.each([
    [2 * HOUR, 1],
    [26 * HOUR, 3],
    [7 * 24 * HOUR, 14],
    [365 * 24 * HOUR, 62],
  ])('allowed %d s: %d days', (allowed, days) => {
    expect(freshnessWindowDays(allowed)).toBe(days);
  });
});

describe('fitRows: tables sized to the terminal', () => {
  const headers = ['product', 'state', 'freshness'];
  const rows = [['sales/orders_with_a_very_long_name', 'ok', 'fresh: 1.5 hours / 2 hours, measured by the last run']];
  const width = (r: string[]) => r.reduce((n, c) => n + c.length, 0) + 2 * (r.length - 1);

  test('a table that fits, or with no terminal, is unchanged', () => {
    expect(fitRows(headers, rows, 200)).toEqual(rows);
    expect(fitRows(headers, rows, undefined)).toEqual(rows);
  });

  test('the widest columns give way first, cells end in …', () => {
    const [fitted] = fitRows(headers, rows, 60);
    expect(width(fitted)).toBeLessThanOrEqual(60);
    expect(fitted[1]).toBe('ok');
    expect(fitted[2].endsWith('…')).toBe(true);
    expect(fitted[0].length).toBeGreaterThan(8);
  });

  test('no column shrinks below its header or 8 characters', () => {
    const [fitted] = fitRows(headers, rows, 10);
    expect(fitted.map((c) => c.length)).toEqual([8, 2, 9]);
  });
});
