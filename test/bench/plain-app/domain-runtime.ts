/**
 * What every run of a domain shares: a runtime key, the alert topic the owner subscribes to, the execution
 * log group, the role the scheduler starts runs with, the schedule group and the `quality_results` table.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { SyntheticDomain } from '../synthetic-mesh';
import { denyGrantsExceptForAwsResources } from './domain-data';
import { arn, type DomainNames } from './names';
import { icebergInput, QUALITY_RESULTS_COLUMNS } from './tables';

export interface DomainRuntimeProps {
  /** The domain whose products run. */
  readonly domain: SyntheticDomain;
  /** The domain's physical names. */
  readonly names: DomainNames;
  /** The domain's Glue database: the quality results table goes into it. */
  readonly database: glue.CfnDatabase;
}

export class DomainRuntime extends Construct {
  constructor(scope: Construct, id: string, props: DomainRuntimeProps) {
    super(scope, id);
    const { domain, names } = props;
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };

    const key = new kms.Key(this, 'Key', {
      alias: names.runtimeKeyAlias,
      description: `Alerts, execution logs and execution data of the ${domain.name} domain's runs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsResources(key);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogsEncryptExecutionLogs',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', `log-group:${names.logGroup}`) } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'VendedLogDelivery',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublishToTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    const topic = new sns.Topic(this, 'Alerts', {
      topicName: names.alertsTopic,
      displayName: `${domain.name} data product alerts`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(domain.owner.email));
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );

    new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: names.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new iam.Role(this, 'SchedulerRole', {
      roleName: names.schedulerRole,
      description: `Starts the scheduled runs of the ${domain.name} domain`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: fromThisAccount }),
      inlinePolicies: {
        StartRuns: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['states:StartExecution'],
              resources: [arn('states', `stateMachine:${names.stateMachinePrefix}*`)],
            }),
          ],
        }),
      },
    });

    const group = new scheduler.CfnScheduleGroup(this, 'Schedules', { name: names.scheduleGroup });
    group.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const location = `s3://${names.dataBucket}/quality/results/`;
    const results = new glue.CfnTable(this, 'QualityResults', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: names.database,
      tableInput: {
        name: 'quality_results',
        description: `One row per quality rule per run of the ${domain.name} domain's products`,
        tableType: 'EXTERNAL_TABLE',
        parameters: { 'mesh.domain': domain.name },
        storageDescriptor: {
          columns: QUALITY_RESULTS_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.description })),
          location,
        },
      },
      openTableFormatInput: icebergInput(QUALITY_RESULTS_COLUMNS, location),
    });
    // The history of every run lives in it: keep it through a replacement.
    results.applyRemovalPolicy(RemovalPolicy.RETAIN);
    results.addResourceDependency(props.database);
  }
}
