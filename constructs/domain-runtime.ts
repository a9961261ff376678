import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { icebergOpenTableFormatInput } from '../lib/catalog/iceberg-table';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { type DomainRuntimeNames, domainRuntimeNames } from '../lib/runtime/names';
import { QUALITY_RESULTS_COLUMNS } from '../lib/runtime/quality-results';
import { denyGrantsExceptForAwsResources } from './data-domain';

export interface DomainRuntimeProps {
  /** The resolved mesh. */
  readonly mesh: Mesh;
  /** The domain whose products run. */
  readonly domain: MeshDomain;
  /** Physical name of the domain's data bucket (the quality results live under `quality/results/`). */
  readonly dataBucketName: string;
  /** The domain's Glue database; the quality results table goes into it. */
  readonly database: glue.CfnDatabase;
  /** Name of the domain's Glue database. */
  readonly databaseName: string;
}

/** Runs happen daily or more often; a year of execution logs covers any audit question about a run. */
const EXECUTION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * What every run of the domain shares: a runtime key, the alert topic the owner subscribes to, the execution
 * log group, the scheduler role, the schedule group and the `quality_results` table. Built only for domains
 * with at least one product that runs.
 */
export class DomainRuntime extends Construct {
  readonly names: DomainRuntimeNames;
  /** Encrypts the topic, the execution logs and execution data. */
  readonly key: kms.Key;
  /** Alarms and failed quality gates notify it; the domain owner's address subscribes. */
  readonly topic: sns.Topic;
  /** Execution history of every state machine of the domain. */
  readonly logGroup: logs.LogGroup;
  /** Role EventBridge Scheduler starts executions with; it can start this domain's state machines only. */
  readonly schedulerRole: iam.Role;
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly qualityResults: glue.CfnTable;

  constructor(scope: Construct, id: string, props: DomainRuntimeProps) {
    super(scope, id);
    const { mesh, domain } = props;
    const stack = Stack.of(this);
    this.names = domainRuntimeNames(mesh.config, domain.name);
    const owner = domain.definition.owner;

    this.key = new kms.Key(this, 'Key', {
      alias: this.names.runtimeKeyAlias,
      description: `Alerts, execution logs and execution data of the ${domain.name} domain's runs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsResources(this.key);
    const logGroupArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${this.names.logGroup}`;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EncryptExecutionLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
      }),
    );
    // Step Functions delivers its logs through CloudWatch Logs' vended-log delivery.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DeliverExecutionLogs',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic with a data key of their own.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublishAlerts',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Alerts', {
      topicName: this.names.alertsTopic,
      displayName: `${domain.definition.title ?? domain.name} data product alerts`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(owner.email));
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: this.names.logGroup,
      retention: EXECUTION_LOG_RETENTION,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: this.names.schedulerRole,
      description: `Starts the scheduled runs of the ${domain.name} domain`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      inlinePolicies: {
        StartDomainRuns: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'StartDomainStateMachines',
              actions: ['states:StartExecution'],
              // One pattern for every product: the policy does not grow with the domain.
              resources: [
                `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${this.names.stateMachinePrefix}*`,
              ],
            }),
          ],
        }),
      },
    });

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: this.names.scheduleGroup,
    });

    const location = `s3://${props.dataBucketName}/${this.names.qualityResultsPrefix}`;
    this.qualityResults = new glue.CfnTable(this, 'QualityResults', {
      catalogId: stack.account,
      databaseName: props.databaseName,
      tableInput: {
        name: this.names.qualityResultsTable,
        description: `One row per quality rule per run of the ${domain.name} domain's products`,
        tableType: 'EXTERNAL_TABLE',
        parameters: { 'mesh.domain': domain.name, 'mesh.kind': 'quality-results' },
        storageDescriptor: {
          columns: QUALITY_RESULTS_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.description })),
          location,
        },
      },
      openTableFormatInput: icebergOpenTableFormatInput(QUALITY_RESULTS_COLUMNS, location),
    });
    // The history of every run: an Iceberg table's metadata pointer must survive a routine change.
    this.qualityResults.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.qualityResults.addResourceDependency(props.database);
  }
}
