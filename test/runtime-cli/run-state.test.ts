import {
  executionConsoleUrl,
  executionInput,
  manualExecutionName,
  runDateProblem,
} from '../../lib/runtime/run-request';
import { describeOutcome, type ExecutionFacts, parseRunSummary, runOutcome } from '../../lib/runtime/run-state';

const summary = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    runId: '5b1c0d9e-6f1a-4b8e-9d0a-3c2b1a0f9e8d',
    runDate: '2026-12-02',
    kind: 'build',
    published: true,
    failedRules: 0,
    rules: 12,
    rowsWritten: 1204,
    ...over,
  });

describe('runOutcome: what an execution amounts to', () => {
  test.each<[string, ExecutionFacts, string, string]>([
    ['running', { status: 'RUNNING' }, 'running', 'still running'],
    ['waiting for a redrive', { status: 'PENDING_REDRIVE' }, 'running', 'still pending redrive'],
    [
      'a build that published',
      { status: 'SUCCEEDED', output: summary() },
      'succeeded',
      'published: 0 of 12 rules failed, 1,204 rows written',
    ],
    [
      'a check (publishes nothing by design)',
      { status: 'SUCCEEDED', output: summary({ kind: 'check', published: false, rowsWritten: 0 }) },
      'succeeded',
      'checked (a check publishes nothing): 0 of 12 rules failed',
    ],
    [
      'a build whose output says it did not publish',
      { status: 'SUCCEEDED', output: summary({ published: false }) },
      'quality-failed',
      'not published: a blocking quality rule failed, consumers still read the last good data: 0 of 12 rules failed, 1,204 rows written',
    ],
    [
      'the quality gate of a build',
      {
        status: 'FAILED',
        error: 'QualityGateFailed',
        cause: summary({ published: false, failedRules: 2, rowsWritten: 980 }),
      },
      'quality-failed',
      'not published: a blocking quality rule failed, consumers still read the last good data: 2 of 12 rules failed, 980 rows written',
    ],
    [
      'the quality gate of a check',
      {
        status: 'FAILED',
        error: 'QualityGateFailed',
        cause: summary({ kind: 'check', published: false, failedRules: 1 }),
      },
      'quality-failed',
      'quality failed: the published data breaks its contract: 1 of 12 rules failed',
    ],
    [
      'an Athena step that broke',
      {
        status: 'FAILED',
        error: 'States.TaskFailed',
        cause:
          'Athena query failed:\n  TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.acme_sales.orders_v2 does not exist',
      },
      'failed',
      'failed: States.TaskFailed: Athena query failed: TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.acme_sales.orders_v2 does not exist',
    ],
    ['a run over its timeout', { status: 'TIMED_OUT', error: 'States.Timeout' }, 'failed', 'timed out: States.Timeout'],
    ['a run stopped by hand', { status: 'ABORTED' }, 'failed', 'aborted'],
    [
      'a gate failure whose cause is not a summary',
      { status: 'FAILED', error: 'QualityGateFailed', cause: 'not json' },
      'failed',
      'failed: QualityGateFailed: not json',
    ],
  ])('%s', (_what, facts, verdict, text) => {
    const outcome = runOutcome(facts);
    expect(outcome.verdict).toBe(verdict);
    expect(describeOutcome(outcome)).toBe(text);
  });

  test('a gate failure carries the summary, not the cause text', () => {
    const outcome = runOutcome({ status: 'FAILED', error: 'QualityGateFailed', cause: summary({ published: false }) });
    expect(outcome.summary).toMatchObject({ published: false, rules: 12 });
    expect(outcome.cause).toBeUndefined();
  });

  test('a long cause is cut to one readable line', () => {
    const text = describeOutcome(runOutcome({ status: 'FAILED', error: 'E', cause: 'x'.repeat(1000) }));
    expect(text.length).toBeLessThan(320);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('parseRunSummary', () => {
  test('reads the state machine output', () => {
    expect(parseRunSummary(summary())).toEqual({
      runId: '5b1c0d9e-6f1a-4b8e-9d0a-3c2b1a0f9e8d',
      kind: 'build',
      runDate: '2026-12-02',
      published: true,
      failedRules: 0,
      rules: 12,
      rowsWritten: 1204,
    });
  });

  test.each([
    ['not JSON', '{'],
    ['not an object', '"done"'],
    ['published as text', summary({ published: 'true' })],
    [
      'a count missing',
      JSON.stringify({ runId: 'r', runDate: '2026-12-02', published: true, rules: 1, rowsWritten: 0 }),
    ],
    ['a count that is not a number', summary({ rowsWritten: '12' })],
  ])('refuses %s', (_what, text) => {
    expect(parseRunSummary(text)).toBeUndefined();
  });
});

describe('a manual run request', () => {
  const now = new Date('2026-12-03T06:30:00Z');

  test.each([
    ['2026-12-03', undefined],
    ['2026-12-02', undefined],
    ['2024-02-29', undefined],
    ['2026-12-04', '--date 2026-12-04 is after today (2026-12-03 UTC): a run builds a day that has begun'],
    ['2026-02-30', '--date 2026-02-30 is not a calendar day'],
    ['2025-02-29', '--date 2025-02-29 is not a calendar day'],
    ['2026-13-01', '--date 2026-13-01 is not a calendar day'],
    ['20261201', '--date takes a day written YYYY-MM-DD, e.g. 2026-12-03; got "20261201"'],
    ["2026-12-01' OR 1=1", `--date takes a day written YYYY-MM-DD, e.g. 2026-12-03; got "2026-12-01' OR 1=1"`],
  ])('--date %s', (date, problem) => {
    expect(runDateProblem(date, now)).toBe(problem);
  });

  test('the input names the day only when one was given', () => {
    expect(executionInput()).toBe('{}');
    expect(executionInput('2026-12-01')).toBe('{"runDate":"2026-12-01"}');
  });

  test('execution names are readable, unique and within Step Functions rules', () => {
    const a = manualExecutionName('2026-12-01');
    const b = manualExecutionName('2026-12-01');
    expect(a).toMatch(/^manual-2026-12-01-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(() => manualExecutionName('2026-12-01', 'a b')).toThrow('not a valid execution name');
  });

  test('the console link opens the execution in its region', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:acme-sales.orders-v2:manual-2026-12-01-3f9a0c1b';
    expect(executionConsoleUrl(arn)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${encodeURIComponent(arn)}`,
    );
  });
});
