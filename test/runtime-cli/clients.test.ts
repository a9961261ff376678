import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudWatchApi, type MetricRequest } from '../../lib/runtime/cloudwatch-client';
import { waitForExecution } from '../../lib/runtime/execution-wait';
import { stepFunctionsApi } from '../../lib/runtime/sfn-client';
import { describedExecution, REGION, stateMachineItem } from './support';

const sfn = mockClient(SFNClient);
const cloudWatch = mockClient(CloudWatchClient);
afterEach(() => {
  sfn.reset();
  cloudWatch.reset();
  jest.restoreAllMocks();
});

describe('Step Functions adapter', () => {
  test('state machines are found by name across pages, and the walk stops once all are found', async () => {
    sfn
      .on(ListStateMachinesCommand, {})
      .resolves({ stateMachines: [stateMachineItem('sales', 'refunds')], nextToken: 't2' })
      .on(ListStateMachinesCommand, { nextToken: 't2' })
      .resolves({ stateMachines: [stateMachineItem('sales', 'orders')], nextToken: 't3' })
      .on(ListStateMachinesCommand, { nextToken: 't3' })
      .resolves({ stateMachines: [] });
    const api = stepFunctionsApi(new SFNClient({ region: REGION }));
    const found = await api.stateMachineArns(['acme-sales.orders-v1']);
    expect([...found.keys()]).toEqual(['acme-sales.orders-v1']);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(2);
  });
});

describe('waitForExecution', () => {
  test('looks again after growing pauses, up to the longest', async () => {
    const pauses: number[] = [];
    const realSetTimeout = global.setTimeout;
    jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      pauses.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    let looks = 0;
    sfn
      .on(DescribeExecutionCommand)
      .callsFake(() => describedExecution('sales', 'orders', 'manual-1', ++looks < 7 ? 'RUNNING' : 'SUCCEEDED'));
    const seen: string[] = [];
    const result = await waitForExecution(stepFunctionsApi(new SFNClient({ region: REGION })), 'arn', {
      initialPollMs: 1000,
      maxPollMs: 4000,
      onPoll: (e) => seen.push(e.status),
    });
    expect(result.kind).toBe('finished');
    expect(pauses).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
    expect(seen).toEqual([...Array(6).fill('RUNNING'), 'SUCCEEDED']);
  });

  test('an aborted wait returns the last look without another call', async () => {
    sfn.on(DescribeExecutionCommand).resolves(describedExecution('sales', 'orders', 'manual-1', 'RUNNING'));
    const controller = new AbortController();
    const result = await waitForExecution(stepFunctionsApi(new SFNClient({ region: REGION })), 'arn', {
      initialPollMs: 60_000,
      signal: controller.signal,
      onPoll: () => setImmediate(() => controller.abort()),
    });
    expect(result).toMatchObject({ kind: 'interrupted', execution: { status: 'RUNNING' } });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
  });
});

describe('CloudWatch adapter', () => {
  const api = () => cloudWatchApi(new CloudWatchClient({ region: REGION }));
  const window = { start: new Date('2026-12-02T00:00:00Z'), end: new Date('2026-12-03T00:00:00Z'), periodSeconds: 300 };
  const metric = (i: number): MetricRequest => ({
    key: `p${i}`,
    namespace: 'DataMesh/acme',
    metricName: 'FreshnessAgeSeconds',
    dimensions: { Domain: 'sales', Product: `p${i}`, Version: '1' },
  });

  test('more than 500 metrics take several calls; the newest datapoint wins across pages', async () => {
    // The SDK's paginator reuses one input object per walk, so what each call asked is recorded as it is made.
    const asked: { queries: number; token?: string }[] = [];
    cloudWatch
      .on(GetMetricDataCommand)
      .callsFake((input: { MetricDataQueries: { Id: string }[]; NextToken?: string }) => {
        asked.push({ queries: input.MetricDataQueries.length, ...(input.NextToken ? { token: input.NextToken } : {}) });
        if (input.NextToken) {
          return {
            MetricDataResults: [
              { Id: 'm0', Timestamps: [new Date('2026-12-02T01:00:00Z')], Values: [999], StatusCode: 'Complete' },
            ],
          };
        }
        return {
          MetricDataResults: input.MetricDataQueries.map((q, i) => ({
            Id: q.Id,
            Label: 'FreshnessAgeSeconds',
            Timestamps: i % 2 === 0 ? [new Date('2026-12-02T23:55:00Z')] : [],
            Values: i % 2 === 0 ? [i] : [],
            StatusCode: 'PartialData',
          })),
          NextToken: 'more',
        };
      });
    const latest = await api().latestDatapoints(
      Array.from({ length: 501 }, (_, i) => metric(i)),
      window,
    );
    expect(asked).toEqual([
      { queries: 500 },
      { queries: 500, token: 'more' },
      { queries: 1 },
      { queries: 1, token: 'more' },
    ]);
    expect(latest.get('p0')).toEqual({ value: 0, timestamp: new Date('2026-12-02T23:55:00Z') });
    expect(latest.get('p500')).toEqual({ value: 0, timestamp: new Date('2026-12-02T23:55:00Z') });
    expect(latest.has('p1')).toBe(false);
  });

  test('alarm names go 100 to a call; only alarms in ALARM come back', async () => {
    cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
      MetricAlarms: input.AlarmNames.filter((n) => ['alarm-7', 'alarm-107', 'alarm-207'].includes(n)).map((n) => ({
        AlarmName: n,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed',
        StateUpdatedTimestamp: new Date('2026-12-02T06:00:00Z'),
      })),
      CompositeAlarms: [],
    }));
    const open = await api().openAlarms(Array.from({ length: 250 }, (_, i) => `alarm-${i}`));
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([
      100, 100, 50,
    ]);
    expect(open.map((a) => a.name)).toEqual(['alarm-7', 'alarm-107', 'alarm-207']);
    expect(open[0]).toEqual({ name: 'alarm-7', reason: 'Threshold Crossed', since: new Date('2026-12-02T06:00:00Z') });
  });
});
