/**
 * The platform's Guard Hook stack: the hook's configuration, the rules asset, a least-privilege execution
 * role, a locked-down report bucket; opt-in through context; clean under CDK's CloudFormation validator;
 * and a warning for approved exceptions the hook would refuse at deploy time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  addPlatformGuardStack,
  DOMAIN_STACK_PATTERN,
  deployConflicts,
  GUARD_HOOK_STACK_NAME,
  GuardHookStack,
  type GuardHookStackProps,
  PLATFORM_GUARD_CONTEXT,
} from '../../constructs/guard-hook-stack';
import type { Mesh } from '../../lib/mesh/model';
import { domainNames } from '../../lib/mesh/naming';
import { GUARD_RULES, GUARD_RULES_DIR, matchesStackPattern } from '../../lib/policies/guard/catalogue';
import { exampleMesh, testApp } from './support/apps';

function hookStack(props: Partial<GuardHookStackProps> = {}, context: Record<string, unknown> = {}) {
  const app = testApp(context);
  const stack = new GuardHookStack(app, GUARD_HOOK_STACK_NAME, { mesh: exampleMesh(), ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

describe('GuardHookStack defaults', () => {
  const { app, stack, template } = hookStack();

  test('a Guard Hook that fails create and update of every domain stack, on stack and resource operations', () => {
    template.resourceCountIs('AWS::CloudFormation::GuardHook', 1);
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      Alias: 'Mesh::Acme::Guard',
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['STACK', 'RESOURCE'],
      TargetFilters: { Actions: ['CREATE', 'UPDATE'], InvocationPoints: ['PRE_PROVISION'] },
      StackFilters: {
        FilteringCriteria: 'ALL',
        StackNames: { Include: [DOMAIN_STACK_PATTERN], Exclude: [GUARD_HOOK_STACK_NAME] },
      },
      ExecutionRole: { 'Fn::GetAtt': [stack.getLogicalId(stack.executionRole.node.defaultChild as never), 'Arn'] },
      LogBucket: { Ref: stack.getLogicalId(stack.logBucket.node.defaultChild as never) },
      RuleLocation: { Uri: { 'Fn::Sub': Match.stringLikeRegexp(`^s3://.+/${stack.rules.assetHash}\\.zip$`) } },
    });
  });

  test('the filter reaches every domain stack of the mesh and not the hook stack itself', () => {
    const mesh = exampleMesh();
    const domainStacks = mesh.domains.map((d) => domainNames(mesh.config, d.name).stackName);
    expect(domainStacks.length).toBeGreaterThan(0);
    for (const name of domainStacks) expect(matchesStackPattern(DOMAIN_STACK_PATTERN, name)).toBe(true);
    // Nested stacks of a sharded domain are named after their parent.
    expect(
      matchesStackPattern(DOMAIN_STACK_PATTERN, 'Mesh-Sales-Products0NestedStackProducts0NestedStackResource-1A2B3C'),
    ).toBe(true);
    expect(matchesStackPattern(DOMAIN_STACK_PATTERN, GUARD_HOOK_STACK_NAME)).toBe(false);
    expect(stack.stackName).toBe(GUARD_HOOK_STACK_NAME);
  });

  test('the rules asset holds exactly the shipped .guard files', () => {
    const assembly = app.synth();
    const staged = path.join(assembly.directory, `asset.${stack.rules.assetHash}`);
    expect(fs.readdirSync(staged).sort()).toEqual(GUARD_RULES.map((r) => r.file).sort());
    for (const rule of GUARD_RULES) {
      expect(fs.readFileSync(path.join(staged, rule.file), 'utf8')).toBe(
        fs.readFileSync(path.join(GUARD_RULES_DIR, rule.file), 'utf8'),
      );
    }
  });

  test('the execution role trusts only CloudFormation hooks of its own account and region', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toHaveLength(1);
    const trust = Object.values(roles)[0].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement.Effect).toBe('Allow');
    expect(statement.Action).toBe('sts:AssumeRole');
    expect(statement.Principal).toEqual({ Service: 'hooks.cloudformation.amazonaws.com' });
    expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toMatch(
      /:cloudformation:.*:type\/hook\/\*"\]\]}$/,
    );
    expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
    expect(Object.values(roles)[0].Properties.Policies).toBeUndefined();
  });

  test('the execution role reads the one rules object and writes reports, nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement as {
      Sid: string;
      Action: string | string[];
      Resource: unknown;
    }[];
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['ReadGuardRules', ['s3:GetObject', 's3:GetObjectVersion']],
      ['WriteGuardReports', 's3:PutObject'],
    ]);
    // The rules grant names the object key, not the bootstrap bucket's other assets.
    const rulesResource = JSON.stringify(statements[0].Resource);
    expect(rulesResource).toContain(`/${stack.rules.s3ObjectKey}`);
    expect(rulesResource).not.toContain('/*');
    expect(statements[1].Resource).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [stack.getLogicalId(stack.logBucket.node.defaultChild as never), 'Arn'] }, '/*'],
      ],
    });
  });

  test('the report bucket is encrypted, private, TLS-only and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90 })]) },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('the hook is created after its role policy', () => {
    const hook = Object.values(template.findResources('AWS::CloudFormation::GuardHook'))[0];
    const policy = Object.keys(template.findResources('AWS::IAM::Policy'))[0];
    expect(hook.DependsOn).toContain(policy);
  });
});

describe('GuardHookStack customised', () => {
  test('WARN mode, named stacks and report retention', () => {
    const { template } = hookStack({ failureMode: 'WARN', stackNames: ['Mesh-Sales'], reportRetentionDays: 30 });
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      FailureMode: 'WARN',
      StackFilters: { StackNames: { Include: ['Mesh-Sales'] } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30 })]) },
    });
  });

  test('stack names beyond what a hook filter holds are refused', () => {
    expect(() => hookStack({ stackNames: [] })).toThrow('GuardHookStack stackNames: give 1 to 50');
    const many = Array.from({ length: 51 }, (_, i) => `Mesh-D${i}`);
    expect(() => hookStack({ stackNames: many })).toThrow('got 51');
  });
});

describe('opting in', () => {
  test(`only -c ${PLATFORM_GUARD_CONTEXT}=true adds the stack`, () => {
    expect(addPlatformGuardStack(testApp(), exampleMesh())).toBeUndefined();
    expect(addPlatformGuardStack(testApp({ [PLATFORM_GUARD_CONTEXT]: 'false' }), exampleMesh())).toBeUndefined();
    const added = addPlatformGuardStack(testApp({ [PLATFORM_GUARD_CONTEXT]: 'true' }), exampleMesh());
    expect(added?.stackName).toBe(GUARD_HOOK_STACK_NAME);
    // The CLI passes -c values as strings; a boolean from cdk.json works too.
    expect(addPlatformGuardStack(testApp({ [PLATFORM_GUARD_CONTEXT]: true }), exampleMesh())).toBeDefined();
  });
});

describe('exceptions the hook would refuse', () => {
  function withException(mesh: Mesh, rule: string): Mesh {
    const [first, ...rest] = mesh.domains;
    const exception = {
      rule,
      reason: 'Scratch bucket for a load test, emptied and dropped afterwards.',
      approvedBy: 'governance guild',
      expires: '2099-01-01',
    };
    return { ...mesh, domains: [{ ...first, definition: { ...first.definition, exceptions: [exception] } }, ...rest] };
  }

  test('the example mesh has none', () => {
    expect(deployConflicts(exampleMesh())).toEqual([]);
  });

  test('an approved exception to a deploy-time rule is a warning on the hook stack naming the file and the way out', () => {
    const mesh = withException(exampleMesh(), 'MESH-STATE-001');
    const file = mesh.domains[0].file;
    const [conflict] = deployConflicts(mesh);
    expect(conflict).toBe(
      `${file}: exceptions[0] excuses MESH-STATE-001, which the Guard Hook enforces at deploy time: CloudFormation will refuse the stack. Fix: remove the exception, or exclude the stack from the hook (GuardHookStack stackNames)`,
    );
    const app = testApp();
    const stack = new GuardHookStack(app, GUARD_HOOK_STACK_NAME, { mesh });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('excuses MESH-STATE-001'));
  });

  test('an exception to a rule enforced only at synth is no conflict', () => {
    expect(deployConflicts(withException(exampleMesh(), 'MESH-S3-004'))).toEqual([]);
  });
});
