/**
 * The runtime plane as synthesized for the example mesh: what the domain's runs share, and per product the
 * schedule, the state machine, the role it runs as, the staging table and the alarms.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { findProduct } from '../../lib/mesh/model';
import { domainRuntimeNames, productRuntimeNames } from '../../lib/runtime/names';
import { productRun } from '../../lib/runtime/plan';
import { PROJECT_ROOT } from '../support/temp-project';

const mesh = loadMesh({ root: PROJECT_ROOT });
const app = new App({ context: readCdkContext(PROJECT_ROOT) });
const stacks = addDomainStacks(app, mesh, { governance: false });
const sales = Template.fromStack(stacks.find((s) => s.stackName === 'Mesh-Sales') ?? stacks[0]);
const salesRuntime = domainRuntimeNames(mesh.config, 'sales');
const revenue = productRuntimeNames(mesh.config, 'sales', 'revenue_metrics', 2);
const orders = productRuntimeNames(mesh.config, 'sales', 'orders', 2);

type Resource = { Type: string; Properties: Record<string, unknown> };
function resourceNamed(type: string, key: string, name: string): Resource {
  const found = Object.values(sales.findResources(type)).find((r) => (r as Resource).Properties[key] === name);
  if (!found) throw new Error(`no ${type} with ${key} ${name}`);
  return found as Resource;
}
const statementsOf = (role: Resource) =>
  (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
const text = (value: unknown) => JSON.stringify(value);

describe('what runs', () => {
  test('built products build on their schedule; products with an SLA are checked; on-demand and draft do not run', () => {
    const kinds = Object.fromEntries(
      mesh.domains.flatMap((d) => d.products).map((p) => [p.id, productRun(p)?.kind ?? 'none']),
    );
    expect(kinds['sales/revenue_metrics']).toBe('build');
    expect(kinds['sales/orders']).toBe('check');
    expect(productRun(findProduct(mesh, 'sales', 'revenue_metrics') ?? (undefined as never))?.schedule).toBe(
      'cron(0 5 * * ? *)',
    );
  });
});

describe('the domain runtime', () => {
  test('alerts go to a KMS-encrypted topic the owner subscribes to', () => {
    sales.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: salesRuntime.alertsTopic,
      KmsMasterKeyId: Match.anyValue(),
    });
    sales.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'sales-data@example.com' });
    sales.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp('runs'),
    });
  });

  test('execution logs are retained, encrypted and kept when the stack goes', () => {
    sales.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: salesRuntime.logGroup, RetentionInDays: 365, KmsKeyId: Match.anyValue() },
      DeletionPolicy: 'Retain',
    });
  });

  test('the scheduler role can start this domain’s state machines and nothing else', () => {
    const role = resourceNamed('AWS::IAM::Role', 'RoleName', salesRuntime.schedulerRole);
    expect(text(role.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    expect(text(role.Properties.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const statements = statementsOf(role);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('states:StartExecution');
    expect(text(statements[0].Resource)).toContain(`:stateMachine:${salesRuntime.stateMachinePrefix}*`);
  });

  test('quality_results is a retained Iceberg table under quality/results/, partitioned by product', () => {
    const table = Object.values(sales.findResources('AWS::Glue::Table')).find(
      (r) => (r as { Properties: { TableInput: { Name: string } } }).Properties.TableInput.Name === 'quality_results',
    ) as { DeletionPolicy: string; Properties: Record<string, never> } | undefined;
    expect(table?.DeletionPolicy).toBe('Retain');
    const iceberg = text(table?.Properties.OpenTableFormatInput);
    expect(iceberg).toContain('"MetadataOperation":"CREATE"');
    expect(iceberg).toContain('quality/results/');
    expect(iceberg).toMatch(
      /"PartitionSpec":\{"Fields":\[\{"FieldId":1000,"Name":"product","SourceId":1,"Transform":"identity"/,
    );
  });
});

describe('a built product', () => {
  test('its state machine logs everything to the domain log group and encrypts with the runtime key', () => {
    const machine = resourceNamed('AWS::StepFunctions::StateMachine', 'StateMachineName', revenue.stateMachine);
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(machine.Properties.EncryptionConfiguration).toMatchObject({ Type: 'CUSTOMER_MANAGED_KMS_KEY' });
    const definition = text(machine.Properties.DefinitionString);
    for (const step of [
      'Stage',
      'Audit',
      'Verdict',
      'ReadVerdict',
      'PublishMetrics',
      'Gate',
      'Publish',
      'ClearStaging',
    ]) {
      expect(definition).toContain(`\\"${step}\\"`);
    }
    expect(definition).toContain('athena:startQueryExecution.sync');
    expect(definition).toContain('MERGE INTO');
  });

  test('a schedule in the domain group starts it with the scheduled time', () => {
    const schedule = resourceNamed('AWS::Scheduler::Schedule', 'Name', revenue.schedule);
    expect(schedule.Properties).toMatchObject({
      GroupName: salesRuntime.scheduleGroup,
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
    });
    expect(text(schedule.Properties.Target)).toContain('<aws.scheduler.scheduled-time>');
  });

  test('its role reads exactly its declared input and writes only its own prefixes', () => {
    const role = resourceNamed('AWS::IAM::Role', 'RoleName', revenue.executionRole);
    expect(text(role.Properties.AssumeRolePolicyDocument)).toContain('states.amazonaws.com');
    const statements = statementsOf(role);
    const resources = text(statements.filter((s) => text(s.Action).includes('s3:GetObject')).map((s) => s.Resource));
    expect(resources).toContain('products/orders/v2/*');
    expect(resources).toContain('products/revenue_metrics/v2/*');
    expect(resources).not.toContain('products/*"');
    expect(resources).not.toContain('products/orders/v1/');
    const writes = text(
      statements.filter((s) => text(s.Action).includes('s3:PutObject') && s.Sid === 'WriteOwnPrefixes'),
    );
    expect(writes).toContain('products/revenue_metrics/v2/*');
    expect(writes).toContain(revenue.stagingPrefix);
    expect(writes).not.toContain('products/orders/');
    // `*` only where AWS has no resource-level permissions: log delivery, and metrics fenced to one namespace.
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      expect(['DeliverExecutionLogs', 'PublishRunMetrics']).toContain(statement.Sid);
    }
    expect(text(statements.find((s) => s.Sid === 'PublishRunMetrics'))).toContain(salesRuntime.metricNamespace);
  });

  test('its staging table sits outside products/, where no consumer grant reaches', () => {
    const staging = Object.values(sales.findResources('AWS::Glue::Table')).find(
      (r) =>
        (r as { Properties: { TableInput: { Name: string } } }).Properties.TableInput.Name === revenue.stagingTable,
    );
    expect(text(staging)).toContain(`/${revenue.stagingPrefix}`);
    expect(text(staging)).toContain('"run_id"');
  });

  test('alarms for a failed run, a failed rule and stale data notify the domain topic', () => {
    for (const name of [revenue.alarms.runFailed, revenue.alarms.qualityFailed, revenue.alarms.stale]) {
      const alarm = resourceNamed('AWS::CloudWatch::Alarm', 'AlarmName', name);
      expect(text(alarm.Properties.AlarmActions)).toContain(`:${salesRuntime.alertsTopic}"`);
    }
    const stale = resourceNamed('AWS::CloudWatch::Alarm', 'AlarmName', revenue.alarms.stale);
    // The SLA promises 26 hours.
    expect(stale.Properties).toMatchObject({
      MetricName: 'FreshnessAgeSeconds',
      Namespace: salesRuntime.metricNamespace,
      Threshold: 26 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('a checked product', () => {
  test('its state machine audits the published table and never writes it', () => {
    const machine = resourceNamed('AWS::StepFunctions::StateMachine', 'StateMachineName', orders.stateMachine);
    const definition = text(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"Audit\\"');
    expect(definition).not.toContain('MERGE INTO');
    expect(definition).not.toContain('\\"Stage\\"');
    const role = resourceNamed('AWS::IAM::Role', 'RoleName', orders.executionRole);
    const writes = text(statementsOf(role).filter((s) => s.Sid === 'WriteOwnPrefixes'));
    expect(writes).toContain(salesRuntime.qualityResultsPrefix);
    expect(writes).not.toContain('products/');
  });
});
