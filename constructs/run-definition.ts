import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { MeshProduct } from '../lib/mesh/model';
import type { ProductRun } from '../lib/runtime/plan';
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
} from '../lib/runtime/statements';

export interface RunDefinitionProps {
  readonly product: MeshProduct;
  readonly run: ProductRun;
  readonly tables: RunTables;
  /** The build's SELECT with inputs rendered and `{run_date}` as SLOT.runDate; absent for a check. */
  readonly buildSelect?: string;
  /** Athena workgroup of the domain. */
  readonly workgroup: string;
  /** Alert topic of the domain. */
  readonly topic: sns.ITopic;
  /** CloudWatch namespace of the runtime metrics. */
  readonly metricNamespace: string;
}

/** Error of the Fail state a failed audit ends in (`mesh run` and `mesh status` read it). */
export const QUALITY_GATE_FAILED = 'QualityGateFailed';

const SLOT_PATHS: Record<SlotName, string> = { runId: '$.run.runId', runDate: '$.run.runDate' };

/** Athena errors worth retrying: throttling and transient service errors, never a failed query. */
const ATHENA_TRANSIENT_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];

/**
 * The states of one product's run. Input: `{}`, `{ "runDate": "YYYY-MM-DD" }` or the schedule's
 * `{ "scheduledTime": "<ISO time>" }`. The run day is taken from them in that order, else from the execution's
 * start. Every statement runs on Athena through the `.sync` integration; a failed query fails the run.
 */
export function runDefinition(scope: Construct, props: RunDefinitionProps): sfn.IChainable {
  const { product, run, tables } = props;
  const version = run.version;
  const dialect = 'trino';

  const athena = (id: string, sql: string, resultPath: string = sfn.JsonPath.DISCARD) => {
    const { format, slots } = toStatesFormat(sql);
    const task = new tasks.AthenaStartQueryExecution(scope, id, {
      queryString: sfn.JsonPath.format(format, ...slots.map((slot) => sfn.JsonPath.stringAt(SLOT_PATHS[slot]))),
      workGroup: props.workgroup,
      queryExecutionContext: { databaseName: tables.database },
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      resultPath,
    });
    task.addRetry({
      errors: ATHENA_TRANSIENT_ERRORS,
      interval: Duration.seconds(5),
      maxAttempts: 4,
      backoffRate: 2,
    });
    return task;
  };

  // The run day: given, scheduled, or today (UTC). It goes into SQL as DATE '<day>', so a quote or backslash
  // in a given value is refused before any statement is built.
  const runDatePath = (path: string) =>
    sfn.JsonPath.arrayGetItem(sfn.JsonPath.stringSplit(sfn.JsonPath.stringAt(path), 'T'), 0);
  const newRun = new sfn.Pass(scope, 'NewRun', {
    parameters: { runId: sfn.JsonPath.uuid(), runDate: sfn.JsonPath.stringAt('$.run.runDate') },
    resultPath: '$.run',
  });
  // A given day must read as midnight UTC of a calendar day, so nothing but YYYY-MM-DD reaches a statement.
  const fromInput = new sfn.Pass(scope, 'RunDateGiven', {
    parameters: {
      runDate: sfn.JsonPath.stringAt('$.runDate'),
      probe: sfn.JsonPath.format('{}T00:00:00Z', sfn.JsonPath.stringAt('$.runDate')),
    },
    resultPath: '$.run',
  });
  const fromSchedule = new sfn.Pass(scope, 'RunDateScheduled', {
    parameters: { runDate: runDatePath('$.scheduledTime') },
    resultPath: '$.run',
  }).next(newRun);
  const fromStart = new sfn.Pass(scope, 'RunDateToday', {
    parameters: { runDate: runDatePath('$$.Execution.StartTime') },
    resultPath: '$.run',
  }).next(newRun);
  const invalidDate = new sfn.Fail(scope, 'InvalidRunDate', {
    error: 'InvalidRunDate',
    cause: 'runDate must be a day written YYYY-MM-DD',
  });
  const safeDate = sfn.Condition.and(
    sfn.Condition.isString('$.runDate'),
    sfn.Condition.not(sfn.Condition.stringMatches('$.runDate', "*'*")),
    sfn.Condition.not(sfn.Condition.stringMatches('$.runDate', '*\\\\*')),
  );
  fromInput.next(
    new sfn.Choice(scope, 'RunDateIsADay')
      .when(sfn.Condition.isTimestamp('$.run.probe'), newRun)
      .otherwise(invalidDate),
  );
  const start = new sfn.Choice(scope, 'RunDate')
    .when(
      sfn.Condition.isPresent('$.runDate'),
      new sfn.Choice(scope, 'RunDateIsSafe').when(safeDate, fromInput).otherwise(invalidDate),
    )
    .when(sfn.Condition.isPresent('$.scheduledTime'), fromSchedule)
    .otherwise(fromStart);

  const kind = run.kind;
  const audit = athena('Audit', auditStatement(product, version, tables, kind, dialect));
  const verdictQuery = athena('Verdict', verdictStatement(product, tables, kind), '$.verdictQuery');
  const cell = (i: number) =>
    sfn.JsonPath.stringToJson(sfn.JsonPath.stringAt(`$.ResultSet.Rows[1].Data[${i}].VarCharValue`));
  const [failedRules, rules, qualityScore, rowsWritten, freshnessAge] = VERDICT_COLUMNS.map((_, i) => cell(i));
  const readVerdict = new tasks.AthenaGetQueryResults(scope, 'ReadVerdict', {
    queryExecutionId: sfn.JsonPath.stringAt('$.verdictQuery.QueryExecution.QueryExecutionId'),
    resultSelector: { failedRules, rules, qualityScore, rowsWritten, freshnessAgeSeconds: freshnessAge },
    resultPath: '$.verdict',
  });
  readVerdict.addRetry({
    errors: ATHENA_TRANSIENT_ERRORS,
    interval: Duration.seconds(5),
    maxAttempts: 4,
    backoffRate: 2,
  });

  const dimensions = [
    { Name: 'Domain', Value: product.domain },
    { Name: 'Product', Value: product.name },
    { Name: 'Version', Value: String(version.major) },
  ];
  const metric = (name: string, path: string, unit: string) => ({
    MetricName: name,
    Dimensions: dimensions,
    Value: sfn.JsonPath.numberAt(path),
    Unit: unit,
  });
  const metrics = [
    metric('QualityScore', '$.verdict.qualityScore', 'Percent'),
    metric('FailedRules', '$.verdict.failedRules', 'Count'),
    { MetricName: 'ChecksCompleted', Dimensions: dimensions, Value: 1, Unit: 'Count' },
    ...(kind === 'build' ? [metric('RowsWritten', '$.verdict.rowsWritten', 'Count')] : []),
    ...(product.definition.sla?.freshness
      ? [metric('FreshnessAgeSeconds', '$.verdict.freshnessAgeSeconds', 'Seconds')]
      : []),
  ];
  const publishMetrics = new tasks.CallAwsService(scope, 'PublishMetrics', {
    service: 'cloudwatch',
    action: 'putMetricData',
    parameters: { Namespace: props.metricNamespace, MetricData: metrics },
    iamResources: ['*'],
    resultPath: sfn.JsonPath.DISCARD,
  });
  // A throttled metric or alert must not turn a passed audit into a failed run, or a failed gate into another error.
  const transient = { interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 };
  publishMetrics.addRetry({
    errors: ['CloudWatch.ThrottlingException', 'CloudWatch.InternalServiceException', 'States.Timeout'],
    ...transient,
  });

  const outcome = (published: boolean) => ({
    runId: sfn.JsonPath.stringAt('$.run.runId'),
    runDate: sfn.JsonPath.stringAt('$.run.runDate'),
    kind,
    published,
    failedRules: sfn.JsonPath.numberAt('$.verdict.failedRules'),
    rules: sfn.JsonPath.numberAt('$.verdict.rules'),
    rowsWritten: sfn.JsonPath.numberAt('$.verdict.rowsWritten'),
  });
  const what = `${product.id} v${version.major}`;
  const notifyFailed = new tasks.SnsPublish(scope, 'NotifyQualityFailed', {
    topic: props.topic,
    subject: `Quality gate failed: ${what}`.slice(0, 100),
    message: sfn.TaskInput.fromText(
      sfn.JsonPath.format(
        `${what}: {} of {} rules failed in run {} (run day {}). ${
          kind === 'build'
            ? 'Nothing was published; consumers still read the last good data.'
            : 'The published data breaks its contract.'
        } Details: npx mesh quality history ${product.id}`,
        sfn.JsonPath.stringAt('$.verdict.failedRules'),
        sfn.JsonPath.stringAt('$.verdict.rules'),
        sfn.JsonPath.stringAt('$.run.runId'),
        sfn.JsonPath.stringAt('$.run.runDate'),
      ),
    ),
    resultPath: sfn.JsonPath.DISCARD,
  });
  notifyFailed.addRetry({
    errors: ['SNS.ThrottledException', 'SNS.InternalErrorException', 'States.Timeout'],
    ...transient,
  });
  const gateFailed = new sfn.Fail(scope, 'QualityGateFailedState', {
    stateName: QUALITY_GATE_FAILED,
    error: QUALITY_GATE_FAILED,
    causePath: sfn.JsonPath.format(
      `\\{"runId":"{}","runDate":"{}","kind":"${kind}","published":false,"failedRules":{},"rules":{},"rowsWritten":{}\\}`,
      sfn.JsonPath.stringAt('$.run.runId'),
      sfn.JsonPath.stringAt('$.run.runDate'),
      sfn.JsonPath.stringAt('$.verdict.failedRules'),
      sfn.JsonPath.stringAt('$.verdict.rules'),
      sfn.JsonPath.stringAt('$.verdict.rowsWritten'),
    ),
  });
  const succeeded = new sfn.Pass(scope, 'Outcome', { parameters: outcome(kind === 'build') }).next(
    new sfn.Succeed(scope, 'Done'),
  );

  let afterGate: sfn.IChainable = succeeded;
  if (kind === 'build') {
    afterGate = athena('Publish', publishStatement(product, version, tables))
      .next(athena('ClearStaging', clearStagingStatement(tables, dialect)))
      .next(succeeded);
  }
  const gate = new sfn.Choice(scope, 'Gate')
    .when(sfn.Condition.numberGreaterThan('$.verdict.failedRules', 0), notifyFailed.next(gateFailed))
    .otherwise(afterGate);

  const checks = sfn.Chain.start(audit).next(verdictQuery).next(readVerdict).next(publishMetrics).next(gate);
  if (kind === 'build') {
    if (!props.buildSelect) throw new Error(`${product.id}: a build run needs its SELECT`);
    newRun.next(athena('Stage', stageStatement(version, tables, props.buildSelect, dialect))).next(checks);
  } else {
    newRun.next(checks);
  }
  return start;
}
