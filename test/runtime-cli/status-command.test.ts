import * as fs from 'node:fs';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { registerStatusCommand } from '../../bin/commands/status';
import { runCommand } from '../cli/support/run-command';
import {
  describedExecution,
  executionArn,
  MARKETING_REGION,
  names,
  REGION,
  runSummary,
  runtimeProject,
  sfnServiceError,
  stateMachineArn,
  stateMachineItem,
} from './support';

const sfn = mockClient(SFNClient);
const cloudWatch = mockClient(CloudWatchClient);
const root = runtimeProject();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  sfn.reset();
  cloudWatch.reset();
});

const status = (...args: string[]) =>
  runCommand([registerStatusCommand], ['-C', root, 'status', ...args, '--region', REGION]);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/** sales/orders and marketing/ad_spend are deployed; sales/refunds is not. */
function deployed(): void {
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: [stateMachineItem('sales', 'orders'), stateMachineItem('marketing', 'ad_spend')],
  });
}

function lastRun(domain: string, product: string, execution: ReturnType<typeof describedExecution> | undefined) {
  sfn.on(ListExecutionsCommand, { stateMachineArn: stateMachineArn(domain, product) }).resolves({
    executions: execution
      ? [
          {
            executionArn: execution.executionArn,
            stateMachineArn: execution.stateMachineArn,
            name: execution.name,
            status: execution.status,
            startDate: execution.startDate,
            ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
            redriveCount: 0,
          },
        ]
      : [],
  });
  if (execution) sfn.on(DescribeExecutionCommand, { executionArn: execution.executionArn }).resolves(execution);
}

function freshness(ageSeconds: number | undefined, measuredMinutesAgo = 10): void {
  cloudWatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      {
        Id: 'm0',
        Label: 'FreshnessAgeSeconds',
        Timestamps: ageSeconds === undefined ? [] : [minutesAgo(measuredMinutesAgo), minutesAgo(70)],
        Values: ageSeconds === undefined ? [] : [ageSeconds, 600],
        StatusCode: 'Complete',
      },
    ],
    Messages: [],
  });
}

function alarms(...open: string[]): void {
  cloudWatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: open.map((name) => ({
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:${name}`,
      StateValue: 'ALARM',
      StateReason:
        'Threshold Crossed: 1 datapoint [1.0 (02/12/26 06:01:00)] was greater than or equal to the threshold (1.0).',
      StateUpdatedTimestamp: minutesAgo(30),
      MetricName: 'FailedRules',
      Namespace: 'DataMesh/acme',
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    })),
    CompositeAlarms: [],
  });
}

const ordersChecked = () =>
  describedExecution('sales', 'orders', 'schedule-1', 'SUCCEEDED', {
    output: runSummary(),
    startDate: minutesAgo(12),
    stopDate: minutesAgo(10),
  });

describe('mesh status', () => {
  test('every product with a runtime: last run, result, freshness, alarms; exit 1 when one needs attention', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun(
      'marketing',
      'ad_spend',
      describedExecution('marketing', 'ad_spend', 'schedule-2', 'FAILED', {
        error: 'QualityGateFailed',
        cause: runSummary({ failedRules: 1 }),
        startDate: minutesAgo(35),
        stopDate: minutesAgo(31),
      }),
    );
    freshness(1800);
    alarms(names('marketing', 'ad_spend').alarms.qualityFailed);

    const result = await status();
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^product\s+major\s+state\s+last run\s+result\s+freshness\s+alarms$/);
    expect(lines.find((l) => l.startsWith('marketing/ad_spend'))).toMatch(
      /^marketing\/ad_spend\s+v1\s+FAILING\s+failed 31\.0 minutes ago\s+rules failed, 1\/4 rules failed\s+no SLA\s+quality-failed$/,
    );
    // 30 minutes measured 10 minutes ago: 40 minutes old now, within 2 hours.
    expect(lines.find((l) => l.startsWith('sales/orders'))).toMatch(
      /^sales\/orders\s+v1\s+ok\s+succeeded 10\.0 minutes ago\s+checked, 0\/4 rules failed\s+fresh: 40\.\d minutes \/ 2 hours\s+-$/,
    );
    expect(lines.find((l) => l.startsWith('sales/refunds'))).toMatch(
      /^sales\/refunds\s+v1\s+not deployed\s+-\s+-\s+unknown \(SLA 26 hours\)\s+-$/,
    );
    // No runtime: neither the disabled monitor nor the on-demand product is listed.
    expect(result.stdout).not.toMatch(/ledger|manual_feed/);
    expect(result.stdout).toContain('3 products, 1 needs attention, 1 not deployed\n');
    expect(result.stdout).toContain('next: npx mesh quality history marketing/ad_spend shows the failed rules\n');
  });

  test('asks CloudWatch for the freshness metric of deployed products only, and for their alarms in ALARM', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun('marketing', 'ad_spend', undefined);
    freshness(60);
    alarms();
    await status();
    const [metricCall] = cloudWatch.commandCalls(GetMetricDataCommand);
    const input = metricCall.args[0].input;
    expect(input.MetricDataQueries).toEqual([
      {
        Id: 'm0',
        MetricStat: {
          Metric: {
            Namespace: 'DataMesh/acme',
            MetricName: 'FreshnessAgeSeconds',
            Dimensions: [
              { Name: 'Domain', Value: 'sales' },
              { Name: 'Product', Value: 'orders' },
              { Name: 'Version', Value: '1' },
            ],
          },
          Period: 300,
          Stat: 'Maximum',
        },
        ReturnData: true,
      },
    ]);
    expect(input.ScanBy).toBe('TimestampDescending');
    // Twice the 2-hour SLA is under a day: a day of datapoints.
    expect((input.EndTime as Date).getTime() - (input.StartTime as Date).getTime()).toBe(86_400_000);
    const alarmNames = [names('sales', 'orders'), names('marketing', 'ad_spend')].flatMap((n) => [
      n.alarms.runFailed,
      n.alarms.qualityFailed,
      n.alarms.stale,
    ]);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: expect.arrayContaining(alarmNames),
      StateValue: 'ALARM',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual(
      expect.arrayContaining([{ stateMachineArn: stateMachineArn('sales', 'orders'), maxResults: 1 }]),
    );
  });

  test('a domain: only its products; all well exits 0, never run is not a failure', async () => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [stateMachineItem('sales', 'orders'), stateMachineItem('sales', 'refunds')],
    });
    lastRun('sales', 'orders', ordersChecked());
    lastRun('sales', 'refunds', undefined);
    freshness(60);
    alarms();
    const result = await status('sales', '--json');
    expect(result.exitCode).toBe(0);
    const { products } = JSON.parse(result.stdout) as { products: Record<string, unknown>[] };
    expect(products.map((p) => [p.product, (p.verdict as { state: string }).state])).toEqual([
      ['sales/orders', 'ok'],
      ['sales/refunds', 'never-run'],
    ]);
    expect(products[0]).toMatchObject({
      major: 1,
      kind: 'check',
      stateMachine: 'acme-sales.orders-v1',
      stateMachineArn: stateMachineArn('sales', 'orders'),
      lastExecution: { executionArn: executionArn('sales', 'orders', 'schedule-1'), status: 'SUCCEEDED' },
      lastRun: { verdict: 'succeeded', summary: { failedRules: 0, rules: 4 } },
      freshness: { state: 'fresh', basis: 'metric', allowedSeconds: 7200 },
      openAlarms: [],
      verdict: { needsAttention: false, problems: [] },
    });
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(2);
  });

  test('stale: the measured age grew past the SLA since it was measured', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun('marketing', 'ad_spend', undefined);
    // 1.9 hours when measured 20 minutes ago: 2.2 hours now, over 2 hours.
    freshness(6840, 20);
    alarms(names('sales', 'orders').alarms.stale);
    const result = await status('sales');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/sales\/orders\s+v1\s+ALARM\s+.*stale: 2\.2 hours \/ 2 hours\s+stale\n/);
    expect(result.stdout).toContain('next: npx mesh run sales/orders --wait starts a run now');
  });

  test('a running execution is shown as running, without a DescribeExecution', async () => {
    deployed();
    lastRun(
      'sales',
      'orders',
      describedExecution('sales', 'orders', 'manual-1', 'RUNNING', { startDate: minutesAgo(2) }),
    );
    lastRun('marketing', 'ad_spend', undefined);
    freshness(undefined);
    alarms();
    const result = await status('sales');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /sales\/orders\s+v1\s+running\s+running 2\.0 minutes ago\s+running\s+unknown \(SLA 2 hours\)/,
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  test('an unknown domain lists the known ones', async () => {
    await expect(status('finance')).rejects.toThrow('unknown domain "finance" (domains: marketing, sales)');
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('mesh status: AWS errors are one line saying what to do', () => {
  test('Step Functions access denied', async () => {
    sfn
      .on(ListStateMachinesCommand)
      .rejects(
        sfnServiceError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/developer/session is not authorized to perform: states:ListStateMachines',
        ),
      );
    await expect(status()).rejects.toThrow(
      /^Step Functions denied the request in eu-west-1 \(AccessDeniedException: .*states:ListStateMachines\): use a role that is allowed it/,
    );
  });

  test('CloudWatch access denied', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun('marketing', 'ad_spend', undefined);
    freshness(60);
    cloudWatch.on(DescribeAlarmsCommand).rejects(
      new CloudWatchServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/developer/session is not authorized to perform: cloudwatch:DescribeAlarms',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(status()).rejects.toThrow(
      /^CloudWatch denied the request in eu-west-1 \(AccessDenied: .*cloudwatch:DescribeAlarms\): use a role that is allowed it/,
    );
  });

  test('CloudWatch throttling', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun('marketing', 'ad_spend', undefined);
    cloudWatch.on(GetMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(status()).rejects.toThrow(
      "CloudWatch kept throttling the requests after the SDK's adaptive retries (Throttling: Rate exceeded)",
    );
  });

  test('an execution listed but gone before it was described', async () => {
    deployed();
    lastRun('sales', 'orders', ordersChecked());
    lastRun('marketing', 'ad_spend', undefined);
    sfn.on(DescribeExecutionCommand).rejects(sfnServiceError('ExecutionDoesNotExist', 'Execution Does Not Exist'));
    await expect(status()).rejects.toThrow('does not exist in eu-west-1 (Execution Does Not Exist)');
  });
});

describe('mesh status: each domain is read in its region', () => {
  const previous = process.env.AWS_REGION;
  beforeEach(() => {
    process.env.AWS_REGION = REGION;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = previous;
  });

  /** Each region's ListStateMachines knows only the state machines deployed there. */
  function deployedPerRegion(): string[] {
    const regions: string[] = [];
    sfn.on(ListStateMachinesCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      regions.push(region);
      return {
        stateMachines:
          region === MARKETING_REGION
            ? [stateMachineItem('marketing', 'ad_spend')]
            : [stateMachineItem('sales', 'orders')],
      };
    });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    return regions;
  }

  test("a domain's env.region is used, the credentials' region for the others", async () => {
    const regions = deployedPerRegion();
    const result = await runCommand([registerStatusCommand], ['-C', root, 'status', '--json']);
    expect(regions.sort()).toEqual([MARKETING_REGION, REGION].sort());
    const { products } = JSON.parse(result.stdout) as { products: { product: string; verdict: { state: string } }[] };
    expect(products.map((p) => [p.product, p.verdict.state])).toEqual(
      expect.arrayContaining([
        ['marketing/ad_spend', 'never-run'],
        ['sales/orders', 'never-run'],
        ['sales/refunds', 'not-deployed'],
      ]),
    );
  });

  test('--region reads every domain there', async () => {
    const regions = deployedPerRegion();
    const result = await status('--json');
    expect(regions).toEqual([REGION]);
    const { products } = JSON.parse(result.stdout) as { products: { product: string; verdict: { state: string } }[] };
    expect(products.find((p) => p.product === 'marketing/ad_spend')?.verdict.state).toBe('not-deployed');
  });
});
