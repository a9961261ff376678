/**
 * Governance rules of the runtime plane, each on a passing and a failing template fragment in the sales
 * domain stack: state machine logging and encryption, log groups, topics, schedules, service trusts, the
 * scheduler role and execution roles — and the role-name rule against roles named like another domain's
 * execution roles.
 */

import { CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { findDomain, type Mesh } from '../../lib/mesh/model';
import { domainNames } from '../../lib/mesh/naming';
import { PLATFORM_RULES } from '../../lib/policies';
import { runtimeNagAcknowledgements } from '../../lib/policies/external-packs/acknowledgements';
import type { ResourceContext, ResourceRule } from '../../lib/policies/model';
import { type Json, type JsonObject, readTemplateResources } from '../../lib/policies/template/resolved-resource';
import { TemplateView } from '../../lib/policies/template/template-view';
import { exampleMesh, governedApp, messagesOf, text } from './support/apps';

const mesh = exampleMesh();
const sales = findDomain(mesh, 'sales')!;
const rule = (id: string) => {
  const found = PLATFORM_RULES.find((r) => r.id === id);
  if (found?.kind !== 'resource') throw new Error(`no resource rule ${id}`);
  return found as ResourceRule;
};

const ACCOUNT = { Ref: 'AWS::AccountId' };
const join = (...parts: Json[]): Json => ({ 'Fn::Join': ['', parts] });
const arn = (service: string, rest: string, region = true): Json =>
  join('arn:', { Ref: 'AWS::Partition' }, `:${service}:`, region ? { Ref: 'AWS::Region' } : '', ':', ACCOUNT, rest);

/** The resources every fragment can refer to: the runtime key, the domain log group and state machine, the scheduler role. */
const BASE: JsonObject = {
  RuntimeKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
  RuntimeKeyAlias: {
    Type: 'AWS::KMS::Alias',
    Properties: { AliasName: 'alias/acme/sales/runtime', TargetKeyId: { 'Fn::GetAtt': ['RuntimeKey', 'Arn'] } },
  },
  Logs: {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: '/aws/vendedlogs/states/acme-sales',
      RetentionInDays: 90,
      KmsKeyId: { 'Fn::GetAtt': ['RuntimeKey', 'Arn'] },
    },
  },
  Machine: {
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      StateMachineName: 'acme-sales.revenue-metrics-v2',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['Logs', 'Arn'] } } }],
      },
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: { 'Fn::GetAtt': ['RuntimeKey', 'Arn'] } },
    },
  },
  SchedulerRole: {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: 'acme-sales-scheduler',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'Start',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'states:StartExecution',
                Resource: arn('states', ':stateMachine:acme-sales.*'),
              },
            ],
          },
        },
      ],
    },
  },
};

/** Findings of one rule on the resource `id` of BASE with `resources` merged over it. */
function findings(ruleId: string, id: string, resources: JsonObject = {}, inMesh: Mesh = mesh): string[] {
  const all = { ...BASE, ...resources };
  const template = new TemplateView(readTemplateResources({ Resources: all }), {
    stackPath: 'Mesh-Sales',
    env: { account: '{account}', region: '{region}' },
  });
  const resource = template.resources.get(id);
  if (!resource) throw new Error(`no resource ${id}`);
  const context: ResourceContext = {
    mesh: inMesh,
    domain: sales,
    names: domainNames(mesh.config, 'sales'),
    template,
  };
  const r = rule(ruleId);
  if (r.resourceTypes !== 'any' && !r.resourceTypes.includes(resource.type)) return [];
  if (r.appliesTo && !r.appliesTo(resource, context)) return [];
  return r.check(resource, context).map((v) => v.message);
}

/** BASE's resource with properties merged over its own. */
function changed(id: string, properties: JsonObject): JsonObject {
  const base = BASE[id] as { Type: string; Properties: JsonObject };
  return { [id]: { Type: base.Type, Properties: { ...base.Properties, ...properties } } };
}

function executionRole(statements: Json[], extra: JsonObject = {}): JsonObject {
  return {
    Exec: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'acme-sales.run.revenue-metrics-v2',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'states.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
            },
          ],
        },
        Policies: [{ PolicyName: 'Run', PolicyDocument: { Statement: statements } }],
        ...extra,
      },
    },
  };
}

const LOG_DELIVERY = {
  Effect: 'Allow',
  Action: [
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ],
  Resource: '*',
};
const METRICS = {
  Effect: 'Allow',
  Action: 'cloudwatch:PutMetricData',
  Resource: '*',
  Condition: { StringEquals: { 'cloudwatch:namespace': 'DataMesh/acme' } },
};

describe('state machines', () => {
  test('MESH-RUN-001: logging at level ALL to the domain’s log group passes', () => {
    expect(findings('MESH-RUN-001', 'Machine')).toEqual([]);
  });

  test.each<[string, JsonObject, string]>([
    ['no logging', { LoggingConfiguration: undefined as unknown as Json }, 'has no LoggingConfiguration'],
    [
      'errors only',
      {
        LoggingConfiguration: {
          Level: 'ERROR',
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['Logs', 'Arn'] } } }],
        },
      },
      'logs at level ERROR, not ALL',
    ],
    [
      'another log group',
      {
        LoggingConfiguration: {
          Level: 'ALL',
          Destinations: [
            {
              CloudWatchLogsLogGroup: {
                LogGroupArn: arn('logs', ':log-group:/aws/vendedlogs/states/acme-marketing:*'),
              },
            },
          ],
        },
      },
      "logs to log group /aws/vendedlogs/states/acme-marketing, not the domain's /aws/vendedlogs/states/acme-sales",
    ],
  ])('MESH-RUN-001 fails: %s', (_, properties, message) => {
    const machine = changed('Machine', properties);
    if ((properties.LoggingConfiguration as Json | undefined) === undefined)
      delete (machine.Machine as { Properties: JsonObject }).Properties.LoggingConfiguration;
    expect(findings('MESH-RUN-001', 'Machine', machine).join('\n')).toContain(message);
  });

  test('MESH-RUN-002: the customer managed key passes; an AWS owned key fails', () => {
    expect(findings('MESH-RUN-002', 'Machine')).toEqual([]);
    expect(
      findings('MESH-RUN-002', 'Machine', changed('Machine', { EncryptionConfiguration: { Type: 'AWS_OWNED_KEY' } })),
    ).toEqual(['is encrypted with AWS_OWNED_KEY, not CUSTOMER_MANAGED_KMS_KEY']);
    expect(
      findings(
        'MESH-RUN-002',
        'Machine',
        changed('Machine', {
          EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: 'alias/aws/states' },
        }),
      ),
    ).toEqual(['names no customer managed key (alias/aws/states)']);
  });
});

describe('log groups and topics', () => {
  test('MESH-RUN-003: retention and a key pass; neither fails twice', () => {
    expect(findings('MESH-RUN-003', 'Logs')).toEqual([]);
    expect(
      findings('MESH-RUN-003', 'Bare', {
        Bare: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/states/acme-sales-x' } },
      }),
    ).toEqual(['keeps events forever (no RetentionInDays)', 'is not encrypted with a KMS key']);
  });

  test('MESH-RUN-004: a topic under the runtime key passes; no key or the AWS managed key fails', () => {
    const topic = (properties: JsonObject) => ({
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'acme-sales-alerts', ...properties } },
    });
    expect(findings('MESH-RUN-004', 'Topic', topic({ KmsMasterKeyId: { Ref: 'RuntimeKey' } }))).toEqual([]);
    expect(findings('MESH-RUN-004', 'Topic', topic({ KmsMasterKeyId: 'alias/acme/sales/runtime' }))).toEqual([]);
    expect(findings('MESH-RUN-004', 'Topic', topic({}))).toEqual([
      'has no KmsMasterKeyId (messages are stored unencrypted)',
    ]);
    expect(findings('MESH-RUN-004', 'Topic', topic({ KmsMasterKeyId: 'alias/aws/sns' }))).toEqual([
      'is encrypted with alias/aws/sns, not a customer managed key',
    ]);
  });
});

describe('schedules', () => {
  const schedule = (target: Json, role: Json) => ({
    Schedule: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: target, RoleArn: role },
      },
    },
  });
  const ownRole = { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] };

  test('MESH-RUN-005: the domain’s state machine with the domain’s scheduler role passes', () => {
    expect(findings('MESH-RUN-005', 'Schedule', schedule({ Ref: 'Machine' }, ownRole))).toEqual([]);
    expect(
      findings(
        'MESH-RUN-005',
        'Schedule',
        schedule(arn('states', ':stateMachine:acme-sales.orders-v2'), arn('iam', ':role/acme-sales-scheduler', false)),
      ),
    ).toEqual([]);
  });

  test.each<[string, Json, Json, string]>([
    [
      'another domain’s state machine',
      arn('states', ':stateMachine:acme-marketing.campaign-roi-report-v2'),
      ownRole,
      "targets state machine acme-marketing.campaign-roi-report-v2, which is not the domain's (names start with acme-sales.)",
    ],
    [
      'something other than a state machine',
      arn('lambda', ':function:acme-sales-anything'),
      ownRole,
      'which is not a state machine',
    ],
    [
      'another role',
      { Ref: 'Machine' },
      arn('iam', ':role/acme-sales-producer', false),
      "runs as role acme-sales-producer, not the domain's acme-sales-scheduler",
    ],
  ])('MESH-RUN-005 fails: %s', (_, target, role, message) => {
    expect(findings('MESH-RUN-005', 'Schedule', schedule(target, role)).join('\n')).toContain(message);
  });
});

describe('roles of the runtime', () => {
  test('MESH-RUN-006: service trusts with aws:SourceAccount pass; without it they fail', () => {
    expect(findings('MESH-RUN-006', 'SchedulerRole')).toEqual([]);
    expect(findings('MESH-RUN-006', 'Exec', executionRole([LOG_DELIVERY]))).toEqual([]);
    const open = changed('SchedulerRole', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
    });
    expect(findings('MESH-RUN-006', 'SchedulerRole', open)).toEqual([
      'trust statement #0 lets states.amazonaws.com assume the role for any account (no aws:SourceAccount condition)',
    ]);
  });

  test('MESH-RUN-007: the scheduler role starting the domain’s state machines passes', () => {
    expect(findings('MESH-RUN-007', 'SchedulerRole')).toEqual([]);
  });

  test('MESH-RUN-007 fails on any other action, resource, or managed policy', () => {
    const wider = changed('SchedulerRole', {
      ManagedPolicyArns: [join('arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSStepFunctionsFullAccess')],
      Policies: [
        {
          PolicyName: 'Start',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['states:StartExecution', 'states:StopExecution'],
                Resource: [
                  arn('states', ':stateMachine:acme-sales.*'),
                  arn('states', ':stateMachine:acme-marketing.*'),
                ],
              },
            ],
          },
        },
      ],
    });
    expect(findings('MESH-RUN-007', 'SchedulerRole', wider)).toEqual([
      'has managed policy arn:{partition}:iam::aws:policy/AWSStepFunctionsFullAccess',
      'statement Start/#0 allows states:stopexecution',
      "statement Start/#0 allows arn:{partition}:states:{region}:{account}:stateMachine:acme-marketing.*, outside the domain's state machines (acme-sales.*)",
    ]);
  });

  test('MESH-RUN-008: an execution role with named resources, log delivery and namespaced metrics passes', () => {
    const named = {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: join('arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-sales-data-', ACCOUNT, '/products/orders/v2/*'),
    };
    expect(findings('MESH-RUN-008', 'Exec', executionRole([named, LOG_DELIVERY, METRICS]))).toEqual([]);
  });

  test('MESH-RUN-008 fails on other actions on "*", metrics without a namespace, NotResource and managed policies', () => {
    const role = executionRole(
      [
        { Effect: 'Allow', Action: ['logs:*', 's3:GetObject'], Resource: '*' },
        { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
        { Effect: 'Allow', Action: 'glue:GetTable', NotResource: 'arn:aws:glue:*:*:table/acme_marketing/*' },
      ],
      { ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
    );
    expect(findings('MESH-RUN-008', 'Exec', role)).toEqual([
      'has managed policy arn:aws:iam::aws:policy/ReadOnlyAccess',
      'statement Run/#0 allows logs:* on Resource "*"',
      'statement Run/#0 allows s3:getobject on Resource "*"',
      'statement Run/#1 allows cloudwatch:putmetricdata on Resource "*" without a cloudwatch:namespace condition',
      'statement Run/#2 allows glue:gettable on NotResource',
    ]);
  });

  test('MESH-RUN-008 reads policies attached to the role as well as its inline ones', () => {
    const role = executionRole([LOG_DELIVERY]);
    const attached = {
      Attached: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'More',
          Roles: [{ Ref: 'Exec' }],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'athena:StartQueryExecution', Resource: '*' }] },
        },
      },
    };
    expect(findings('MESH-RUN-008', 'Exec', { ...role, ...attached })).toEqual([
      'statement Attached/#0 allows athena:startqueryexecution on Resource "*"',
    ]);
  });

  test('the log-delivery actions are allowed on "*" by MESH-IAM-003 as well', () => {
    expect(findings('MESH-IAM-003', 'Exec', executionRole([LOG_DELIVERY, METRICS]))).toEqual([]);
  });
});

describe('MESH-IAM-007 and execution role names', () => {
  const named = (name: string, extra: JsonObject = {}) => ({
    Named: { Type: 'AWS::IAM::Role', Properties: { RoleName: name, ...extra } },
  });
  const problems = (name: string, extra: JsonObject = {}) => findings('MESH-IAM-007', 'Named', named(name, extra));

  test('the domain’s own roles and execution roles pass', () => {
    expect(problems('acme-sales-producer')).toEqual([]);
    expect(problems('acme-sales.run.revenue-metrics-v2')).toEqual([]);
    expect(problems('acme-sales-scheduler')).toEqual([]);
  });

  test('another domain’s execution-role name fails, whether or not the domain exists yet', () => {
    expect(problems('acme-marketing.run.campaign-roi-report-v2')).toEqual([
      'name acme-marketing.run.campaign-roi-report-v2 does not start with acme-sales-',
    ]);
    // Starts with this domain's prefix, but would match the execution-role pattern of a domain "sales_eu".
    expect(problems('acme-sales-eu.run.orders-v1')).toEqual([
      'name acme-sales-eu.run.orders-v1 carries the execution-role mark ".run." of another domain; execution roles of this domain start with acme-sales.run.',
    ]);
  });

  test('a name under another domain’s longer prefix fails: that domain’s fences name its roles', () => {
    const withSalesEu: Mesh = { ...mesh, domains: [...mesh.domains, { ...sales, name: 'sales_eu' }] };
    expect(findings('MESH-IAM-007', 'Named', named('acme-sales-eu-producer'), withSalesEu)).toEqual([
      'name acme-sales-eu-producer starts with acme-sales-eu-, the prefix of another domain, whose fences may admit it',
    ]);
    expect(findings('MESH-IAM-007', 'Named', named('acme-sales-producer'), withSalesEu)).toEqual([]);
  });

  test('a path fails: the fences match role/<name> patterns, and a path would slip a name under them', () => {
    expect(problems('acme-sales-x', { Path: '/acme-marketing.run.x/' })).toEqual([
      'has path /acme-marketing.run.x/; fences match role ARNs role/<name>, so roles have no path',
    ]);
    expect(problems('acme-sales-x', { Path: '/' })).toEqual([]);
  });
});

describe('through the governance engine', () => {
  // Each rule is dispatched by resource type on a domain stack and reported at the resource's construct.
  test('non-compliant runtime resources added to a domain stack fail synthesis with each rule', () => {
    const { stacks } = governedApp(mesh);
    const stack = stacks.get('sales')!;
    const add = (id: string, type: string, properties: JsonObject) => new CfnResource(stack, id, { type, properties });
    add('BadMachine', 'AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-sales.bad-v1',
      DefinitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
      RoleArn: arn('iam', ':role/acme-sales.run.bad-v1', false),
    });
    add('BadLogs', 'AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/acme-sales-bad' });
    add('BadTopic', 'AWS::SNS::Topic', { TopicName: 'acme-sales-bad' });
    add('BadSchedule', 'AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arn('states', ':stateMachine:acme-marketing.campaign-roi-report-v2'),
        RoleArn: arn('iam', ':role/acme-sales-scheduler', false),
      },
    });
    const exec = executionRole([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]).Exec as {
      Properties: JsonObject;
    };
    add('BadExec', 'AWS::IAM::Role', {
      ...exec.Properties,
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
    });
    const scheduler = BASE.SchedulerRole as { Properties: JsonObject };
    add('BadScheduler', 'AWS::IAM::Role', {
      ...scheduler.Properties,
      RoleName: 'acme-sales-scheduler',
      Policies: [
        {
          PolicyName: 'Start',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:*', Resource: '*' }] },
        },
      ],
    });
    const fired = (rule: string, id: string) => messagesOf(stack, 'error', rule, `/Mesh-Sales/${id}`).map(text);
    expect(fired('MESH-RUN-001', 'BadMachine').join('\n')).toContain('has no LoggingConfiguration');
    expect(fired('MESH-RUN-002', 'BadMachine').join('\n')).toContain('not CUSTOMER_MANAGED_KMS_KEY');
    expect(fired('MESH-RUN-003', 'BadLogs')).toHaveLength(2); // no retention, no key
    expect(fired('MESH-RUN-004', 'BadTopic').join('\n')).toContain('has no KmsMasterKeyId');
    expect(fired('MESH-RUN-005', 'BadSchedule').join('\n')).toContain('acme-marketing.campaign-roi-report-v2');
    expect(fired('MESH-RUN-006', 'BadExec').join('\n')).toContain('for any account');
    expect(fired('MESH-RUN-007', 'BadScheduler').join('\n')).toContain('allows states:*');
    expect(fired('MESH-RUN-008', 'BadExec').join('\n')).toContain('allows s3:getobject on Resource "*"');
  }, 120_000);
});

describe('cdk-nag AwsSolutions on the runtime of the example mesh', () => {
  // That nothing is left unacknowledged is checked with the platform's findings in cdk-nag.slow.test.ts.
  test('every runtime acknowledgement answers a finding on its construct, with a reason', () => {
    const { app, stacks } = governedApp(mesh);
    app.synth();
    const raised = new Set(
      new AwsSolutionsChecks(app)
        .validateScope(app)
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
    );
    const acknowledgements = [...stacks.values()].flatMap((stack) => runtimeNagAcknowledgements(stack));
    const ids = new Set(acknowledgements.map((a) => a.id.replace(/acme-[a-z]+[.-]/g, 'acme-D-')));
    expect([...ids].filter((id) => !id.includes('/products/') && !id.includes('/staging/')).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-*-data-*-*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-D-athena-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-D-data-<AWS::AccountId>-<AWS::Region>/quality/results/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:acme-D-*]',
      'AwsSolutions-SF2',
    ]);
    for (const { target, id, reason } of acknowledgements) {
      expect(reason.length).toBeGreaterThanOrEqual(60);
      // An L2 reports at its Resource child, an L1 at itself.
      const path = target.node.path;
      expect([`${id} ${path}`, `${id} ${path}/Resource`].some((f) => raised.has(f))).toBe(true);
    }
  }, 120_000);
});
