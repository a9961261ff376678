import * as fs from 'node:fs';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionLimitExceeded,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { registerRunCommand } from '../../bin/commands/run';
import { runCommand } from '../cli/support/run-command';
import {
  describedExecution,
  executionArn,
  MARKETING_REGION,
  REGION,
  runSummary,
  runtimeProject,
  sfnServiceError,
  stateMachineArn,
  stateMachineItem,
} from './support';

const sfn = mockClient(SFNClient);
const root = runtimeProject();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => sfn.reset());

const run = (...args: string[]) => runCommand([registerRunCommand], ['-C', root, 'run', ...args, '--region', REGION]);

/** ListStateMachines over two pages, orders on the second. */
function deployed(): void {
  sfn
    .on(ListStateMachinesCommand, {})
    .resolves({ stateMachines: [stateMachineItem('sales', 'refunds')], nextToken: 'page-2' })
    .on(ListStateMachinesCommand, { nextToken: 'page-2' })
    .resolves({ stateMachines: [stateMachineItem('sales', 'orders'), stateMachineItem('marketing', 'ad_spend')] });
}

function starts(): void {
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: executionArn('sales', 'orders', input.name),
    startDate: new Date('2026-12-02T06:00:01.123Z'),
    $metadata: { httpStatusCode: 200 },
  }));
}

function startedName(): string {
  return sfn.commandCalls(StartExecutionCommand)[0].args[0].input.name as string;
}

describe('mesh run: starting a run', () => {
  test('starts the state machine found by name, with the day of the start, and says where to follow it', async () => {
    deployed();
    starts();
    const result = await run('sales/orders');
    expect(result.exitCode).toBe(0);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input).toEqual({
      stateMachineArn: stateMachineArn('sales', 'orders'),
      name: expect.stringMatching(/^manual-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/),
      input: '{}',
    });
    const arn = executionArn('sales', 'orders', startedName());
    expect(result.stdout).toBe(
      `started sales/orders v1 (run day: today, UTC): ${arn}\n` +
        `console: https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/v2/executions/details/${encodeURIComponent(arn)}\n` +
        'next: npx mesh status sales shows how it ends, or run with --wait to follow it\n',
    );
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(2);
  });

  test('--date builds that day and names the execution after it; --json prints the execution', async () => {
    deployed();
    starts();
    const result = await run('sales/orders', '--date', '2026-12-01', '--json');
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input).toBe('{"runDate":"2026-12-01"}');
    expect(startedName()).toMatch(/^manual-2026-12-01-[0-9a-f]{8}$/);
    expect(JSON.parse(result.stdout)).toEqual({
      product: 'sales/orders',
      major: 1,
      stateMachineArn: stateMachineArn('sales', 'orders'),
      executionArn: executionArn('sales', 'orders', startedName()),
      executionName: startedName(),
      runDate: '2026-12-01',
      startDate: '2026-12-02T06:00:01.123Z',
      consoleUrl: expect.stringContaining('/states/home?region=eu-west-1#/v2/executions/details/'),
    });
  });

  test.each([
    ['2026-02-30', '--date 2026-02-30 is not a calendar day'],
    ['tomorrow', '--date takes a day written YYYY-MM-DD'],
    ['2999-01-01', '--date 2999-01-01 is after today'],
  ])('--date %s is refused before any call', async (date, message) => {
    await expect(run('sales/orders', '--date', date)).rejects.toThrow(message);
    expect(sfn.calls()).toHaveLength(0);
  });

  test.each([
    [
      'sales/ledger',
      'sales/ledger is deployed without a runtime: its monitor is disabled (monitor.enabled: false in domains/sales/products/ledger.ts); enable it or add a build, then deploy',
    ],
    [
      'sales/manual_feed',
      'sales/manual_feed is deployed without a runtime: it declares no build and nothing sets a check schedule',
    ],
  ])('%s has no runtime: refused before any call', async (product, message) => {
    await expect(run(product)).rejects.toThrow(message);
    expect(sfn.calls()).toHaveLength(0);
  });

  test('an unknown product lists the known ones', async () => {
    await expect(run('sales/nope')).rejects.toThrow(
      'unknown product "sales/nope" (expected <domain>/<product>; products:',
    );
  });

  test('a product whose domain is not deployed says what to deploy', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [stateMachineItem('marketing', 'ad_spend')] });
    await expect(run('sales/orders')).rejects.toThrow(
      'sales/orders v1 has no state machine acme-sales.orders-v1 in eu-west-1: deploy its domain (npx cdk deploy Mesh-Sales), or pass the --region it is deployed in',
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('mesh run: AWS errors are one line saying what to do', () => {
  test('access denied', async () => {
    deployed();
    sfn
      .on(StartExecutionCommand)
      .rejects(
        sfnServiceError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/developer/session is not authorized to perform: states:StartExecution on resource: ${stateMachineArn('sales', 'orders')} because no identity-based policy allows the states:StartExecution action`,
        ),
      );
    await expect(run('sales/orders')).rejects.toThrow(
      /^Step Functions denied the request in eu-west-1 \(AccessDeniedException: User: .* is not authorized to perform: states:StartExecution .*\): use a role that is allowed it \(--profile <name>\), or ask the platform team to grant the action named above$/,
    );
  });

  test('throttling that outlasted the retries', async () => {
    sfn.on(ListStateMachinesCommand).rejects(sfnServiceError('ThrottlingException', 'Rate exceeded'));
    await expect(run('sales/orders')).rejects.toThrow(
      "Step Functions kept throttling the requests after the SDK's adaptive retries (ThrottlingException: Rate exceeded): try again in a few minutes",
    );
  });

  test('too many open executions', async () => {
    deployed();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionLimitExceeded({ message: 'Execution Limit Exceeded', $metadata: { httpStatusCode: 400 } }));
    await expect(run('sales/orders')).rejects.toThrow(
      "Step Functions refused to start another execution in eu-west-1 (Execution Limit Exceeded): the account's limit of open executions is reached; wait for running executions to finish and run again",
    );
  });
});

describe('mesh run --wait', () => {
  function finishes(...responses: ReturnType<typeof describedExecution>[]): void {
    let call = 0;
    sfn.on(DescribeExecutionCommand).callsFake(() => {
      const name = startedName();
      const r = responses[Math.min(call++, responses.length - 1)];
      return { ...r, name, executionArn: executionArn('sales', 'orders', name) };
    });
  }

  test('follows the execution to its end and prints the outcome', async () => {
    deployed();
    starts();
    finishes(
      describedExecution('sales', 'orders', 'x', 'RUNNING'),
      describedExecution('sales', 'orders', 'x', 'SUCCEEDED', { output: runSummary() }),
    );
    const result = await run('sales/orders', '--wait');
    expect(result.exitCode).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(2);
    expect(result.stdout).toBe(
      `sales/orders v1 ${startedName()}: checked (a check publishes nothing): 0 of 4 rules failed (took 95 seconds)\n`,
    );
    expect(result.stderr).toContain(`started sales/orders v1: ${executionArn('sales', 'orders', startedName())}`);
  });

  test('on a terminal, a progress line is rewritten while the run goes on, then cleared', async () => {
    deployed();
    starts();
    finishes(
      describedExecution('sales', 'orders', 'x', 'RUNNING'),
      describedExecution('sales', 'orders', 'x', 'SUCCEEDED', { output: runSummary() }),
    );
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      const result = await run('sales/orders', '--wait');
      // Each update clears the line first; the last clear leaves it empty.
      const CLEAR = '\r\x1b[K';
      const updates = result.stderr.split(CLEAR).slice(1);
      expect(updates[0]).toMatch(/^sales\/orders v1: RUNNING after \d+ seconds? \(Ctrl-C stops waiting\)$/);
      expect(updates[1]).toMatch(/^sales\/orders v1: SUCCEEDED after /);
      expect(result.stderr.endsWith(CLEAR)).toBe(true);
      expect(result.stdout).not.toContain('\x1b');
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });

  test('a failed quality gate exits 1 and points at the history', async () => {
    deployed();
    starts();
    finishes(
      describedExecution('sales', 'orders', 'x', 'FAILED', {
        error: 'QualityGateFailed',
        cause: runSummary({ failedRules: 2 }),
      }),
    );
    const result = await run('sales/orders', '--wait');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('quality failed: the published data breaks its contract: 2 of 4 rules failed');
    expect(result.stdout).toContain('next: npx mesh quality history sales/orders shows the failed rules');
  });

  test('a broken run exits 1 with its error, and --json carries the outcome', async () => {
    deployed();
    starts();
    finishes(
      describedExecution('sales', 'orders', 'x', 'FAILED', {
        error: 'Athena.InvalidRequestException',
        cause: 'WorkGroup acme-sales is disabled.',
      }),
    );
    const result = await run('sales/orders', '--wait', '--json');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      product: 'sales/orders',
      status: 'FAILED',
      verdict: 'failed',
      summary: null,
      error: 'Athena.InvalidRequestException',
      cause: 'WorkGroup acme-sales is disabled.',
      startDate: '2026-12-02T06:00:01.123Z',
      stopDate: '2026-12-02T06:01:36.123Z',
    });
    expect(result.stderr).toBe('');
  });

  test('Ctrl-C stops the wait, not the run, and says so', async () => {
    deployed();
    starts();
    sfn.on(DescribeExecutionCommand).callsFake(() => {
      setImmediate(() => process.emit('SIGINT'));
      return describedExecution('sales', 'orders', startedName(), 'RUNNING');
    });
    const before = process.listenerCount('SIGINT');
    const result = await run('sales/orders', '--wait');
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain(
      `stopped waiting; the run goes on: ${executionArn('sales', 'orders', startedName())} (npx mesh status sales shows how it ends)`,
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  test('an execution that disappears while waited for', async () => {
    deployed();
    starts();
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: { httpStatusCode: 400 } }));
    await expect(run('sales/orders', '--wait')).rejects.toThrow(
      /^execution arn:aws:states:eu-west-1:123456789012:execution:acme-sales\.orders-v1:manual-\S+ does not exist in eu-west-1 \(Execution Does Not Exist\): its state machine may have been deleted; run npx mesh status/,
    );
  });
});

describe('mesh run: the region', () => {
  test("a domain's env.region is where its state machines are looked for", async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    await expect(runCommand([registerRunCommand], ['-C', root, 'run', 'marketing/ad_spend'])).rejects.toThrow(
      `marketing/ad_spend v1 has no state machine acme-marketing.ad-spend-v1 in ${MARKETING_REGION}: deploy its domain (npx cdk deploy Mesh-Marketing)`,
    );
  });
});
