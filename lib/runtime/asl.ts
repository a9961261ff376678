/**
 * The Amazon States Language definition of one product's run, as plain JSON: RunDate → NewRun → [Stage] →
 * Audit → Verdict → ReadVerdict → PublishMetrics → Gate → (NotifyQualityFailed → QualityGateFailed) or
 * ([Publish → ClearStaging] → Outcome → Done). Built as data rather than with the CDK's state constructs:
 * a mesh runs one machine per product, and the construct tree cost more synth time than everything else in
 * a domain stack together. The states are validated with asl-validator and executed offline in the tests.
 *
 * Input: `{}`, `{ "runDate": "YYYY-MM-DD" }` or the schedule's `{ "scheduledTime": "<ISO time>" }`. The run day
 * is taken from them in that order, else from the execution's start.
 */
import type { MeshProduct } from '../mesh/model';
import type { ProductRun } from './plan';
import {
  auditStatement,
  clearStagingStatement,
  publishStatement,
  type RunTables,
  type SlotName,
  stageStatement,
  toStatesFormat,
  VERDICT_COLUMNS,
  verdictStatement,
} from './statements';

/** Error of the Fail state a failed audit ends in (`mesh run` and `mesh status` read it). */
export const QUALITY_GATE_FAILED = 'QualityGateFailed';

export interface RunDefinitionInput {
  readonly product: MeshProduct;
  readonly run: ProductRun;
  readonly tables: RunTables;
  /** The build's SELECT with inputs rendered and `{run_date}` as SLOT.runDate; absent for a check. */
  readonly buildSelect?: string;
  /** Athena workgroup of the domain. */
  readonly workgroup: string;
  /** ARN of the domain's alert topic (may hold deploy-time tokens). */
  readonly topicArn: string;
  /** AWS partition (may be a deploy-time token). */
  readonly partition: string;
  /** CloudWatch namespace of the runtime metrics. */
  readonly metricNamespace: string;
}

type State = Record<string, unknown>;

const SLOT_PATHS: Record<SlotName, string> = { runId: '$.run.runId', runDate: '$.run.runDate' };

/** Athena errors worth retrying: throttling and transient service errors, never a failed query. */
const ATHENA_RETRY = {
  ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
  IntervalSeconds: 5,
  MaxAttempts: 4,
  BackoffRate: 2,
};
const transient = (errors: string[]) => ({ ErrorEquals: errors, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 });

/**
 * A string argument of an intrinsic function: single-quoted, with `'` and `\` escaped, except a backslash that
 * already escapes a brace (toStatesFormat writes those).
 */
export function intrinsicString(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") out += "\\'";
    else if (c === '\\' && text[i + 1] !== '{' && text[i + 1] !== '}') out += '\\\\';
    else out += c;
  }
  return `${out}'`;
}

/** `States.Format('<format>', <path>, …)`. */
export function statesFormat(format: string, paths: readonly string[]): string {
  return `States.Format(${[intrinsicString(format), ...paths].join(', ')})`;
}

export function runDefinition(input: RunDefinitionInput): Record<string, unknown> {
  const { product, run, tables } = input;
  const version = run.version;
  const kind = run.kind;
  const dialect = 'trino';
  const states: Record<string, State> = {};
  const athenaArn = `arn:${input.partition}:states:::athena:startQueryExecution.sync`;

  const athena = (sql: string, next: string, resultPath: string | null = null): State => {
    const { format, slots } = toStatesFormat(sql);
    return {
      Next: next,
      Retry: [ATHENA_RETRY],
      Type: 'Task',
      ResultPath: resultPath,
      Resource: athenaArn,
      Parameters: {
        'QueryString.$': statesFormat(
          format,
          slots.map((slot) => SLOT_PATHS[slot]),
        ),
        QueryExecutionContext: { Database: tables.database },
        ResultConfiguration: {},
        WorkGroup: input.workgroup,
      },
    };
  };
  const runDayOf = (path: string) => `States.ArrayGetItem(States.StringSplit(${path}, 'T'), 0)`;

  // The run day goes into SQL as DATE '<day>': a given value must be a string without quotes or backslashes
  // that reads as midnight UTC of a calendar day, else the run fails before any query.
  states.RunDate = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.runDate', IsPresent: true, Next: 'RunDateIsSafe' },
      { Variable: '$.scheduledTime', IsPresent: true, Next: 'RunDateScheduled' },
    ],
    Default: 'RunDateToday',
  };
  states.RunDateToday = {
    Type: 'Pass',
    ResultPath: '$.run',
    Parameters: { 'runDate.$': runDayOf('$$.Execution.StartTime') },
    Next: 'NewRun',
  };
  states.RunDateScheduled = {
    Type: 'Pass',
    ResultPath: '$.run',
    Parameters: { 'runDate.$': runDayOf('$.scheduledTime') },
    Next: 'NewRun',
  };
  states.RunDateIsSafe = {
    Type: 'Choice',
    Choices: [
      {
        And: [
          { Variable: '$.runDate', IsString: true },
          { Not: { Variable: '$.runDate', StringMatches: "*'*" } },
          { Not: { Variable: '$.runDate', StringMatches: '*\\\\*' } },
        ],
        Next: 'RunDateGiven',
      },
    ],
    Default: 'InvalidRunDate',
  };
  states.RunDateGiven = {
    Type: 'Pass',
    ResultPath: '$.run',
    Parameters: { 'runDate.$': '$.runDate', 'probe.$': "States.Format('{}T00:00:00Z', $.runDate)" },
    Next: 'RunDateIsADay',
  };
  states.RunDateIsADay = {
    Type: 'Choice',
    Choices: [{ Variable: '$.run.probe', IsTimestamp: true, Next: 'NewRun' }],
    Default: 'InvalidRunDate',
  };
  states.InvalidRunDate = { Type: 'Fail', Error: 'InvalidRunDate', Cause: 'runDate must be a day written YYYY-MM-DD' };
  states.NewRun = {
    Type: 'Pass',
    ResultPath: '$.run',
    Parameters: { 'runId.$': 'States.UUID()', 'runDate.$': '$.run.runDate' },
    Next: kind === 'build' ? 'Stage' : 'Audit',
  };

  if (kind === 'build') {
    if (!input.buildSelect) throw new Error(`${product.id}: a build run needs its SELECT`);
    states.Stage = athena(stageStatement(version, tables, input.buildSelect, dialect), 'Audit');
  }
  states.Audit = athena(auditStatement(product, version, tables, kind, dialect), 'Verdict');
  states.Verdict = athena(verdictStatement(product, tables, kind), 'ReadVerdict', '$.verdictQuery');
  const names = ['failedRules', 'rules', 'qualityScore', 'rowsWritten', 'freshnessAgeSeconds'];
  states.ReadVerdict = {
    Next: 'PublishMetrics',
    Retry: [ATHENA_RETRY],
    Type: 'Task',
    ResultPath: '$.verdict',
    ResultSelector: Object.fromEntries(
      VERDICT_COLUMNS.map((_, i) => [
        `${names[i]}.$`,
        `States.StringToJson($.ResultSet.Rows[1].Data[${i}].VarCharValue)`,
      ]),
    ),
    Resource: `arn:${input.partition}:states:::athena:getQueryResults`,
    Parameters: { 'QueryExecutionId.$': '$.verdictQuery.QueryExecution.QueryExecutionId' },
  };

  const dimensions = [
    { Name: 'Domain', Value: product.domain },
    { Name: 'Product', Value: product.name },
    { Name: 'Version', Value: String(version.major) },
  ];
  const metric = (name: string, path: string, unit: string) => ({
    MetricName: name,
    Dimensions: dimensions,
    'Value.$': path,
    Unit: unit,
  });
  states.PublishMetrics = {
    Next: 'Gate',
    // A throttled metric must not turn a passed audit into a failed run.
    Retry: [transient(['CloudWatch.ThrottlingException', 'CloudWatch.InternalServiceException', 'States.Timeout'])],
    Type: 'Task',
    ResultPath: null,
    Resource: `arn:${input.partition}:states:::aws-sdk:cloudwatch:putMetricData`,
    Parameters: {
      Namespace: input.metricNamespace,
      MetricData: [
        metric('QualityScore', '$.verdict.qualityScore', 'Percent'),
        metric('FailedRules', '$.verdict.failedRules', 'Count'),
        { MetricName: 'ChecksCompleted', Dimensions: dimensions, Value: 1, Unit: 'Count' },
        ...(kind === 'build' ? [metric('RowsWritten', '$.verdict.rowsWritten', 'Count')] : []),
        ...(product.definition.sla?.freshness
          ? [metric('FreshnessAgeSeconds', '$.verdict.freshnessAgeSeconds', 'Seconds')]
          : []),
      ],
    },
  };
  states.Gate = {
    Type: 'Choice',
    Choices: [{ Variable: '$.verdict.failedRules', NumericGreaterThan: 0, Next: 'NotifyQualityFailed' }],
    Default: kind === 'build' ? 'Publish' : 'Outcome',
  };
  if (kind === 'build') {
    states.Publish = athena(publishStatement(product, version, tables), 'ClearStaging');
    states.ClearStaging = athena(clearStagingStatement(tables, dialect), 'Outcome');
  }
  states.Outcome = {
    Type: 'Pass',
    Parameters: {
      'runId.$': '$.run.runId',
      'runDate.$': '$.run.runDate',
      kind,
      published: kind === 'build',
      'failedRules.$': '$.verdict.failedRules',
      'rules.$': '$.verdict.rules',
      'rowsWritten.$': '$.verdict.rowsWritten',
    },
    Next: 'Done',
  };
  states.Done = { Type: 'Succeed' };

  const what = `${product.id} v${version.major}`;
  const consequence =
    kind === 'build'
      ? 'Nothing was published; consumers still read the last good data.'
      : 'The published data breaks its contract.';
  states.NotifyQualityFailed = {
    Next: QUALITY_GATE_FAILED,
    // A failed alert must not turn a failed gate into another error.
    Retry: [transient(['SNS.ThrottledException', 'SNS.InternalErrorException', 'States.Timeout'])],
    Type: 'Task',
    ResultPath: null,
    Resource: `arn:${input.partition}:states:::sns:publish`,
    Parameters: {
      TopicArn: input.topicArn,
      'Message.$': statesFormat(
        `${what}: {} of {} rules failed in run {} (run day {}). ${consequence} Details: npx mesh quality history ${product.id}`,
        ['$.verdict.failedRules', '$.verdict.rules', '$.run.runId', '$.run.runDate'],
      ),
      Subject: `Quality gate failed: ${what}`.slice(0, 100),
    },
  };
  states[QUALITY_GATE_FAILED] = {
    Type: 'Fail',
    Error: QUALITY_GATE_FAILED,
    CausePath: statesFormat(
      `\\{"runId":"{}","runDate":"{}","kind":"${kind}","published":false,"failedRules":{},"rules":{},"rowsWritten":{}\\}`,
      ['$.run.runId', '$.run.runDate', '$.verdict.failedRules', '$.verdict.rules', '$.verdict.rowsWritten'],
    ),
  };

  return {
    StartAt: 'RunDate',
    States: states,
    TimeoutSeconds: run.timeoutSeconds,
    Comment: `${kind === 'build' ? 'Builds' : 'Checks'} ${what}`,
  };
}
