import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { fillPlaceholders, type PlaceholderValues } from '../lib/access/env';
import { renderBuildSql } from '../lib/build/render';
import { icebergOpenTableFormatInput } from '../lib/catalog/iceberg-table';
import type { Mesh, MeshProduct } from '../lib/mesh/model';
import { productVersionNames } from '../lib/mesh/naming';
import { freshnessSeconds } from '../lib/quality/checks';
import { runDefinition } from '../lib/runtime/asl';
import { executionPolicyStatements } from '../lib/runtime/execution-policy';
import {
  type DomainRuntimeNames,
  domainRuntimeNames,
  type ProductRuntimeNames,
  productRuntimeNames,
} from '../lib/runtime/names';
import type { ProductRun } from '../lib/runtime/plan';
import { type RunTables, SLOT, STAGING_COLUMNS } from '../lib/runtime/statements';

export interface ProductRuntimeProps {
  /** The resolved mesh. */
  readonly mesh: Mesh;
  /** The product that runs. */
  readonly product: MeshProduct;
  /** What runs and when (lib/runtime/plan.ts). */
  readonly run: ProductRun;
  /** Physical name of the domain's data bucket. */
  readonly dataBucketName: string;
  /** The domain's Glue database name and Athena workgroup name. */
  readonly databaseName: string;
  readonly workgroupName: string;
}

/** CloudWatch evaluates run metrics hourly; runs publish once, so a state holds until the next run. */
const ALARM_PERIOD = Duration.hours(1);

/**
 * One product's runs: the schedule, the state machine (build → audit → publish, or audit only), the role it
 * runs as, the staging table of a build, and the alarms that reach the domain's alert topic.
 */
export class ProductRuntime extends Construct {
  /** Names of the domain's shared runtime resources (DomainRuntime), addressed by name: a product may sit in a nested stack. */
  readonly domainNames: DomainRuntimeNames;
  readonly names: ProductRuntimeNames;
  /** The state machine, addressed by name (for grants and metrics). */
  readonly stateMachine: sfn.IStateMachine;
  readonly stateMachineResource: sfn.CfnStateMachine;
  readonly executionRole: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ProductRuntimeProps) {
    super(scope, id);
    const { mesh, product, run } = props;
    const stack = Stack.of(this);
    const version = run.version;
    this.names = productRuntimeNames(mesh.config, product.domain, product.name, version.major);
    const runtimeNames = domainRuntimeNames(mesh.config, product.domain);
    this.domainNames = runtimeNames;
    const arn = (service: string, resource: string) =>
      `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    const runtime = {
      names: runtimeNames,
      topic: sns.Topic.fromTopicArn(this, 'AlertsRef', arn('sns', runtimeNames.alertsTopic)),
      logGroup: logs.LogGroup.fromLogGroupName(this, 'LogsRef', runtimeNames.logGroup),
      schedulerRole: iam.Role.fromRoleName(this, 'SchedulerRoleRef', runtimeNames.schedulerRole, { mutable: false }),
      scheduleGroup: scheduler.ScheduleGroup.fromScheduleGroupName(this, 'SchedulesRef', runtimeNames.scheduleGroup),
    };
    const values: PlaceholderValues = {
      partition: stack.partition,
      account: stack.account,
      region: stack.region,
      urlSuffix: stack.urlSuffix,
    };

    const statements = executionPolicyStatements(mesh, product, run);
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: this.names.executionRole,
      description: `Runs ${product.id} v${version.major}: reads its declared inputs, writes its own prefix`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      inlinePolicies: {
        Run: new iam.PolicyDocument({
          minimize: false,
          statements: statements.map((s) => iam.PolicyStatement.fromJson(fillPlaceholders(s, values))),
        }),
      },
    });

    const { table } = productVersionNames(product.name, version.major);
    const tables: RunTables = {
      database: props.databaseName,
      table,
      stagingTable: this.names.stagingTable,
      qualityResultsTable: runtime.names.qualityResultsTable,
    };
    let buildSelect: string | undefined;
    if (run.kind === 'build') {
      buildSelect = renderBuildSql(product, version, mesh, 'athena', { runDate: `DATE '${SLOT.runDate}'` }).sql;
      const location = `s3://${props.dataBucketName}/${this.names.stagingPrefix}`;
      // Staged rows are a batch, not the product: no key, no partitions, two bookkeeping columns.
      const columns = [...version.schema.columns, ...STAGING_COLUMNS].map((c) => ({
        ...c,
        primaryKey: false,
        partition: undefined,
      }));
      const staging = new glue.CfnTable(this, 'StagingTable', {
        catalogId: stack.account,
        databaseName: props.databaseName,
        tableInput: {
          name: this.names.stagingTable,
          description: `Rows a run of ${product.id} v${version.major} wrote, before their audit`,
          tableType: 'EXTERNAL_TABLE',
          parameters: { 'mesh.product': product.name, 'mesh.kind': 'staging' },
          storageDescriptor: { columns: columns.map((c) => ({ name: c.name, type: c.type })), location },
        },
        openTableFormatInput: icebergOpenTableFormatInput(columns, location),
      });
      // Staged rows are transient; losing the table loses no published data.
      staging.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }

    const definition = runDefinition({
      product,
      run,
      tables,
      buildSelect,
      workgroup: props.workgroupName,
      topicArn: runtime.topic.topicArn,
      partition: stack.partition,
      metricNamespace: runtime.names.metricNamespace,
    });
    const machine = new sfn.CfnStateMachine(this, 'StateMachine', {
      stateMachineName: this.names.stateMachine,
      stateMachineType: 'STANDARD',
      roleArn: this.executionRole.roleArn,
      definitionString: JSON.stringify(definition),
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: true,
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${runtime.logGroup.logGroupArn}` } }],
      },
      // By alias: no key ARN crosses into a nested shard. The role's policy above carries the key permissions.
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: arn('kms', runtimeNames.runtimeKeyAlias),
        kmsDataKeyReusePeriodSeconds: 300,
      },
    });
    machine.node.addDependency(this.executionRole);
    this.stateMachine = sfn.StateMachine.fromStateMachineName(this, 'StateMachineRef', this.names.stateMachine);
    this.stateMachineResource = machine;

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: this.names.schedule,
      scheduleGroup: runtime.scheduleGroup,
      description: `${run.kind === 'build' ? 'Build' : 'Check'} ${product.id} v${version.major}`,
      schedule: scheduler.ScheduleExpression.expression(run.schedule, TimeZone.of(run.timezone)),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        role: runtime.schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        // A start that keeps failing is a platform problem the run-failed alarm does not see; stop within the hour.
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    const action = new cloudwatchActions.SnsAction(runtime.topic);
    const dimensions = { Domain: product.domain, Product: product.name, Version: String(version.major) };
    const runMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: runtime.names.metricNamespace,
        metricName,
        dimensionsMap: dimensions,
        statistic: 'Maximum',
        period: ALARM_PERIOD,
      });
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
    };
    alarm('RunFailed', {
      alarmName: this.names.alarms.runFailed,
      alarmDescription: `A run of ${product.id} v${version.major} failed, timed out or stopped its quality gate. Executions: ${this.names.stateMachine}`,
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }),
          aborted: this.stateMachine.metricAborted({ period: ALARM_PERIOD, statistic: 'Sum' }),
        },
        period: ALARM_PERIOD,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('QualityFailed', {
      alarmName: this.names.alarms.qualityFailed,
      alarmDescription: `A quality rule of ${product.id} v${version.major} failed: see quality_results (npx mesh quality history ${product.id})`,
      metric: runMetric('FailedRules'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // A run publishes once per schedule: the state of the last run holds until the next one.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    const freshness = product.definition.sla?.freshness;
    if (freshness) {
      alarm('Stale', {
        alarmName: this.names.alarms.stale,
        alarmDescription: `${product.id} v${version.major} is older than its SLA allows (${freshness.within} on ${freshness.column})`,
        metric: runMetric('FreshnessAgeSeconds'),
        threshold: freshnessSeconds({ rule: 'freshness', column: freshness.column, within: freshness.within }),
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
    }
    this.alarms = alarms;
  }
}
