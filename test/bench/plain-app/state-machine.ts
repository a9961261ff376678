/**
 * The Amazon States Language definition of a product's run, written as plain JSON: a check audits the product
 * table; a build stages its SQL's rows, audits them and publishes them only if every blocking rule passed
 * (write-audit-publish). Athena calls are `.sync` integrations, so no Lambda is involved.
 */
import { Aws } from 'aws-cdk-lib';
import {
  auditSql,
  buildSelect,
  clearStagingSql,
  publishSql,
  RUN_DATE,
  RUN_ID,
  type RunSql,
  stageSql,
  verdictSql,
} from './sql';

export interface RunDefinitionProps extends RunSql {
  /** Prefix of every physical name of the mesh (input tables are named with it). */
  readonly prefix: string;
  /** Athena workgroup every query runs in. */
  readonly workgroup: string;
  /** Topic a failed quality gate notifies. */
  readonly topicArn: string;
  /** CloudWatch namespace of the run metrics the alarms watch. */
  readonly metricNamespace: string;
}

/** Throttling and transient Athena errors are retried; anything else fails the run (the run-failed alarm sees it). */
const ATHENA_RETRY = [
  {
    ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
    IntervalSeconds: 5,
    MaxAttempts: 4,
    BackoffRate: 2,
  },
];

/**
 * `States.Format` of SQL holding RUN_ID and RUN_DATE: literal text is escaped for an intrinsic function's string,
 * each stand-in becomes `{}` and its JSONPath an argument.
 */
function format(sql: string): string {
  const args: string[] = [];
  const escaped = sql.replace(/[\\'{}]/g, (c) => `\\${c}`);
  const text = escaped.replace(new RegExp(`${RUN_ID}|${RUN_DATE}`, 'g'), (slot) => {
    args.push(slot === RUN_ID ? '$.run.runId' : '$.run.runDate');
    return '{}';
  });
  return args.length === 0 ? `States.Format('${text}')` : `States.Format('${text}', ${args.join(', ')})`;
}

export function runDefinition(props: RunDefinitionProps): Record<string, unknown> {
  const { product } = props;
  const kind = product.build ? 'build' : 'check';
  const id = `${props.domain}/${product.name}`;
  const dimensions = [
    { Name: 'Domain', Value: props.domain },
    { Name: 'Product', Value: product.name },
    { Name: 'Version', Value: '1' },
  ];
  const athena = (sql: string, next: string, resultPath: string | null = null) => ({
    Type: 'Task',
    Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
    Parameters: {
      'QueryString.$': format(sql),
      WorkGroup: props.workgroup,
      QueryExecutionContext: { Database: props.database },
    },
    ResultPath: resultPath,
    Retry: ATHENA_RETRY,
    Next: next,
  });
  const summary = (published: boolean) => ({
    'runId.$': '$.run.runId',
    'runDate.$': '$.run.runDate',
    kind,
    published,
    'failedRules.$': '$.verdict.failedRules',
    'rules.$': '$.verdict.rules',
    'rowsAudited.$': '$.verdict.rowsAudited',
  });
  const buildStates = product.build
    ? {
        Stage: athena(stageSql(props, buildSelect(props.prefix, product)), 'Audit'),
        Publish: athena(publishSql(props), 'ClearStaging'),
        ClearStaging: athena(clearStagingSql(props), 'Passed'),
      }
    : {};
  const cell = (i: number) => `States.StringToJson($.ResultSet.Rows[1].Data[${i}].VarCharValue)`;
  return {
    Comment: `${product.build ? 'Builds' : 'Checks'} ${id} v1`,
    TimeoutSeconds: 3600,
    StartAt: 'RunDay',
    States: {
      RunDay: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.runDate', IsPresent: true, Next: 'GivenDay' },
          { Variable: '$.scheduledTime', IsPresent: true, Next: 'ScheduledDay' },
        ],
        Default: 'Today',
      },
      Today: {
        Type: 'Pass',
        Parameters: { 'runDate.$': "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)" },
        ResultPath: '$.run',
        Next: 'NewRun',
      },
      ScheduledDay: {
        Type: 'Pass',
        Parameters: { 'runDate.$': "States.ArrayGetItem(States.StringSplit($.scheduledTime, 'T'), 0)" },
        ResultPath: '$.run',
        Next: 'NewRun',
      },
      // A day given by hand goes into SQL: it must parse as a day, which also keeps quotes out.
      GivenDay: {
        Type: 'Pass',
        Parameters: { 'runDate.$': '$.runDate', 'probe.$': "States.Format('{}T00:00:00Z', $.runDate)" },
        ResultPath: '$.run',
        Next: 'IsADay',
      },
      IsADay: {
        Type: 'Choice',
        Choices: [{ Variable: '$.run.probe', IsTimestamp: true, Next: 'NewRun' }],
        Default: 'BadRunDay',
      },
      BadRunDay: { Type: 'Fail', Error: 'BadRunDay', Cause: 'runDate must be a day, YYYY-MM-DD' },
      NewRun: {
        Type: 'Pass',
        Parameters: { 'runId.$': 'States.UUID()', 'runDate.$': '$.run.runDate' },
        ResultPath: '$.run',
        Next: product.build ? 'Stage' : 'Audit',
      },
      ...buildStates,
      Audit: athena(auditSql(props, kind), 'Verdict'),
      Verdict: athena(verdictSql(props), 'ReadVerdict', '$.verdictQuery'),
      ReadVerdict: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::athena:getQueryResults`,
        Parameters: { 'QueryExecutionId.$': '$.verdictQuery.QueryExecution.QueryExecutionId' },
        ResultSelector: {
          'failedRules.$': cell(0),
          'rules.$': cell(1),
          'qualityScore.$': cell(2),
          'rowsAudited.$': cell(3),
          'freshnessAgeSeconds.$': cell(4),
        },
        ResultPath: '$.verdict',
        Retry: ATHENA_RETRY,
        Next: 'PublishMetrics',
      },
      PublishMetrics: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:cloudwatch:putMetricData`,
        Parameters: {
          Namespace: props.metricNamespace,
          MetricData: [
            {
              MetricName: 'QualityScore',
              Dimensions: dimensions,
              'Value.$': '$.verdict.qualityScore',
              Unit: 'Percent',
            },
            { MetricName: 'FailedRules', Dimensions: dimensions, 'Value.$': '$.verdict.failedRules', Unit: 'Count' },
            { MetricName: 'RowsAudited', Dimensions: dimensions, 'Value.$': '$.verdict.rowsAudited', Unit: 'Count' },
            {
              MetricName: 'FreshnessAgeSeconds',
              Dimensions: dimensions,
              'Value.$': '$.verdict.freshnessAgeSeconds',
              Unit: 'Seconds',
            },
          ],
        },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Next: 'Gate',
      },
      Gate: {
        Type: 'Choice',
        Choices: [{ Variable: '$.verdict.failedRules', NumericGreaterThan: 0, Next: 'NotifyFailed' }],
        Default: product.build ? 'Publish' : 'Passed',
      },
      Passed: { Type: 'Pass', Parameters: summary(product.build !== undefined), End: true },
      NotifyFailed: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::sns:publish`,
        Parameters: {
          TopicArn: props.topicArn,
          Subject: `Quality gate failed: ${id} v1`,
          'Message.$': `States.Format('${id} v1: {} of {} rules failed in run {} (day {}).${product.build ? ' Nothing was published; the staged rows stay for a week.' : ''}', $.verdict.failedRules, $.verdict.rules, $.run.runId, $.run.runDate)`,
        },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Next: 'QualityGateFailed',
      },
      QualityGateFailed: { Type: 'Fail', Error: 'QualityGateFailed', Cause: `A blocking quality rule of ${id} failed` },
    },
  };
}
