/**
 * A product's runs: the role they run as, the state machine, the schedule that starts it, a build's staging
 * table, and alarms on failed runs, failed rules and stale data that notify the domain's topic.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SyntheticDomain, SyntheticProduct } from '../synthetic-mesh';
import { inputStatements, parseInput } from './input-grants';
import { arn, type DomainNames, type ProductNames, roleArn, s3Arn } from './names';
import { runDefinition } from './state-machine';
import { icebergInput, STAGING_COLUMNS } from './tables';

export interface ProductRuntimeProps {
  /** Prefix of every physical name of the mesh (a build's inputs are named with it). */
  readonly prefix: string;
  /** The owning domain. */
  readonly domain: SyntheticDomain;
  /** The product that runs: built when it has a build, checked otherwise. */
  readonly product: SyntheticProduct;
  /** The owning domain's physical names. */
  readonly names: DomainNames;
  /** The product's physical names. */
  readonly productNames: ProductNames;
}

/** A daily check runs at 06:00 UTC, after nightly loads and before the working day. */
const CHECK_SCHEDULE = 'cron(0 6 * * ? *)';
/** Runs publish their metrics once; an hour's period holds the state until the next run. */
const PERIOD = Duration.hours(1);

export class ProductRuntime extends Construct {
  constructor(scope: Construct, id: string, props: ProductRuntimeProps) {
    super(scope, id);
    const { domain, product, names, prefix } = props;
    const own = props.productNames;
    const productId = `${domain.name}/${product.name}`;
    const topicArn = arn('sns', names.alertsTopic);
    const stateMachineArn = arn('states', `stateMachine:${own.stateMachine}`);

    const role = new iam.Role(this, 'ExecutionRole', {
      roleName: own.executionRole,
      description: `Runs ${productId} v1: reads its inputs, writes its own prefixes`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      inlinePolicies: { Run: new iam.PolicyDocument({ statements: this.runStatements(props, stateMachineArn) }) },
    });

    if (product.build) {
      const location = `s3://${names.dataBucket}/${own.stagingPrefix}`;
      // A batch before its audit: no key, no partitions, two bookkeeping columns.
      const columns = [...product.columns, ...STAGING_COLUMNS].map((c) => ({
        ...c,
        primaryKey: false,
        partition: undefined,
      }));
      const staging = new glue.CfnTable(this, 'StagingTable', {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: names.database,
        tableInput: {
          name: own.stagingTable,
          description: `Rows a run of ${productId} v1 wrote, before their audit`,
          tableType: 'EXTERNAL_TABLE',
          parameters: { 'mesh.product': product.name, 'mesh.kind': 'staging' },
          storageDescriptor: { columns: columns.map((c) => ({ name: c.name, type: c.type })), location },
        },
        openTableFormatInput: icebergInput(columns, location),
      });
      staging.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }

    const definition = runDefinition({
      prefix,
      domain: domain.name,
      database: names.database,
      product,
      table: own.table,
      stagingTable: own.stagingTable,
      workgroup: names.workgroup,
      topicArn,
      metricNamespace: names.metricNamespace,
    });
    const machine = new sfn.CfnStateMachine(this, 'StateMachine', {
      stateMachineName: own.stateMachine,
      stateMachineType: 'STANDARD',
      roleArn: role.roleArn,
      definitionString: JSON.stringify(definition),
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: true,
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: arn('logs', `log-group:${names.logGroup}:*`) } }],
      },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: arn('kms', names.runtimeKeyAlias),
        kmsDataKeyReusePeriodSeconds: 300,
      },
    });
    // The role's inline policy must exist before the first execution writes logs.
    machine.addResourceDependency(role.node.defaultChild as iam.CfnRole);

    new scheduler.CfnSchedule(this, 'Schedule', {
      name: own.schedule,
      groupName: names.scheduleGroup,
      description: `${product.build ? 'Build' : 'Check'} ${productId} v1`,
      scheduleExpression: product.build?.schedule ?? CHECK_SCHEDULE,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: stateMachineArn,
        roleArn: roleArn(names.schedulerRole),
        input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });

    const notify = new actions.SnsAction(sns.Topic.fromTopicArn(this, 'Alerts', topicArn));
    const dimensionsMap = { Domain: domain.name, Product: product.name, Version: '1' };
    const runMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: names.metricNamespace,
        metricName,
        dimensionsMap,
        statistic: 'Maximum',
        period: PERIOD,
      });
    const states = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: stateMachineArn },
        statistic: 'Sum',
        period: PERIOD,
      });
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(notify);
      created.addOkAction(notify);
    };
    alarm('RunFailed', {
      alarmName: `${own.stateMachine}-run-failed`,
      alarmDescription: `A run of ${productId} v1 failed, timed out or was stopped. Executions: ${own.stateMachine}`,
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: states('ExecutionsFailed'),
          timedOut: states('ExecutionsTimedOut'),
          aborted: states('ExecutionsAborted'),
        },
        period: PERIOD,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('QualityFailed', {
      alarmName: `${own.stateMachine}-quality-failed`,
      alarmDescription: `A quality rule of ${productId} v1 failed: see ${names.database}.quality_results`,
      metric: runMetric('FailedRules'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    const { freshness } = product.sla;
    alarm('Stale', {
      alarmName: `${own.stateMachine}-stale`,
      alarmDescription: `${productId} v1 is older than its SLA allows (${freshness.within} on ${freshness.column})`,
      metric: runMetric('FreshnessAgeSeconds'),
      threshold: Number.parseInt(freshness.within, 10) * 3600,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
  }

  /** What a run touches: its workgroup, its own prefixes and tables, a build's inputs, its metrics, alerts and logs. */
  private runStatements(props: ProductRuntimeProps, stateMachineArn: string): iam.PolicyStatement[] {
    const { names, product, prefix } = props;
    const own = props.productNames;
    const bucket = names.dataBucket;
    const build = product.build !== undefined;
    const readPrefixes = [own.prefix, 'quality/results/', ...(build ? [own.stagingPrefix] : [])];
    const writePrefixes = ['quality/results/', ...(build ? [own.prefix, own.stagingPrefix] : [])];
    const tables = [own.table, 'quality_results', ...(build ? [own.stagingTable] : [])];
    const committed = ['quality_results', ...(build ? [own.table, own.stagingTable] : [])];
    const glueArns = (names_: string[]) => [
      arn('glue', 'catalog'),
      arn('glue', `database/${names.database}`),
      ...names_.map((t) => arn('glue', `table/${names.database}/${t}`)),
    ];
    const runtimeKey = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [names.runtimeKeyAlias] } };
    const statements = [
      new iam.PolicyStatement({
        sid: 'QueryInWorkgroup',
        actions: [
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:GetWorkGroup',
        ],
        resources: [arn('athena', `workgroup/${names.workgroup}`)],
      }),
      new iam.PolicyStatement({
        sid: 'QueryResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [s3Arn(`${names.resultsBucket}/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'LocateQueryResults',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [s3Arn(names.resultsBucket)],
      }),
      new iam.PolicyStatement({
        sid: 'ReadOwnData',
        actions: ['s3:GetObject'],
        resources: readPrefixes.map((p) => s3Arn(`${bucket}/${p}*`)),
      }),
      new iam.PolicyStatement({
        sid: 'WriteOwnData',
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: writePrefixes.map((p) => s3Arn(`${bucket}/${p}*`)),
      }),
      new iam.PolicyStatement({
        sid: 'ListOwnData',
        actions: ['s3:ListBucket'],
        resources: [s3Arn(bucket)],
        conditions: { StringLike: { 's3:prefix': readPrefixes.map((p) => `${p}*`) } },
      }),
      new iam.PolicyStatement({ sid: 'LocateOwnData', actions: ['s3:GetBucketLocation'], resources: [s3Arn(bucket)] }),
      new iam.PolicyStatement({
        sid: 'ReadOwnTables',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: glueArns(tables),
      }),
      new iam.PolicyStatement({
        sid: 'CommitOwnTables',
        actions: ['glue:UpdateTable'],
        resources: glueArns(committed),
      }),
      new iam.PolicyStatement({
        sid: 'UseDomainKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [arn('kms', 'key/*')],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [names.keyAlias] } },
      }),
    ];
    // A build reads its declared inputs; a check reads only its own table.
    if (build) {
      for (const statement of inputStatements(prefix, product.inputs.map(parseInput))) {
        statements.push(iam.PolicyStatement.fromJson(statement));
      }
    }
    statements.push(
      new iam.PolicyStatement({
        sid: 'PublishRunMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': names.metricNamespace } },
      }),
      new iam.PolicyStatement({
        sid: 'NotifyOwner',
        actions: ['sns:Publish'],
        resources: [arn('sns', names.alertsTopic)],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptAlerts',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [arn('kms', 'key/*')],
        conditions: { ...runtimeKey, StringEquals: { 'kms:ViaService': `sns.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
      new iam.PolicyStatement({
        sid: 'EncryptExecutionData',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [arn('kms', 'key/*')],
        conditions: {
          ...runtimeKey,
          StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn },
        },
      }),
      new iam.PolicyStatement({
        sid: 'EncryptExecutionLogs',
        actions: ['kms:GenerateDataKey'],
        resources: [arn('kms', 'key/*')],
        conditions: { ...runtimeKey, StringLike: { 'kms:EncryptionContext:SourceArn': arn('logs', '*') } },
      }),
      // Step Functions sets up vended log delivery as the execution role; these actions take no resource.
      new iam.PolicyStatement({
        sid: 'DeliverExecutionLogs',
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    );
    return statements;
  }
}
