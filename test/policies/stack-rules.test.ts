/**
 * Quota rules (once per template, after the walk): each limit broken in a domain stack, and the margin
 * warning just below it. The compliant case is the example mesh (rules-compliant.test.ts).
 */
import { Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DomainStack } from '../../constructs/domain-stack';
import { PLATFORM_RULES } from '../../lib/policies';
import { governedApp, type Level, messagesOf, text } from './support/apps';
import { addBucket, addFiller, addRole, arn } from './support/hand-written';
import { buildMesh, domainSpec, productSpec } from './support/mesh-builder';

/** An allow statement of about 110 characters once deployed. */
function grant(i: number): Record<string, unknown> {
  return {
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: Fn.sub(
      `arn:\${AWS::Partition}:s3:::acme-quota-data-\${AWS::AccountId}-\${AWS::Region}/products/p${i}/v1/*`,
    ),
  };
}

function grants(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => grant(i));
}

function inlinePolicy(count: number): iam.CfnRole.PolicyProperty {
  return { policyName: 'Grants', policyDocument: { Version: '2012-10-17', Statement: grants(count) } };
}

const mesh = buildMesh([
  { domain: domainSpec('quota'), products: [productSpec('one')] },
  { domain: domainSpec('margin'), products: [productSpec('one')] },
]);
// CDK itself refuses more than 500 resources; 0 lifts its check so the rule's own error can be seen.
const { stacks } = governedApp(mesh, {}, { '@aws-cdk/core:stackResourceLimit': 0 });
const quota = stacks.get('quota') as DomainStack;
const margin = stacks.get('margin') as DomainStack;

const fillers = new Construct(quota, 'Fillers');
for (let i = 0; i < 500; i++) addFiller(fillers, `F${i}`);
addFiller(quota, 'Blob').addMetadata('blob', 'x'.repeat(1_100_000));
addRole(new Construct(quota, 'Inline'), quota, { policies: [inlinePolicy(100)] });
new iam.CfnManagedPolicy(new Construct(quota, 'BigManaged'), 'Policy', {
  policyDocument: { Version: '2012-10-17', Statement: grants(60) },
});
const many = addRole(new Construct(quota, 'ManyPolicies'), quota);
for (let i = 0; i < 11; i++) {
  new iam.CfnManagedPolicy(quota, `Attached${i}`, {
    policyDocument: { Version: '2012-10-17', Statement: [grant(i)] },
    roles: [many.ref],
  });
}
addBucket(new Construct(quota, 'BigBucketPolicy'), quota, 'bp', {
  statements: (bucket) =>
    Array.from({ length: 150 }, (_, i) => ({
      Sid: `Deny${i}`,
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: Fn.join('', [bucket.attrArn, `/products/p${i}/*`]),
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': arn('iam', 'role/acme-quota-producer', false),
        },
      },
    })),
});
addRole(new Construct(quota, 'BigTrust'), quota, {
  assumeRolePolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`) },
      },
    ],
  },
});

const marginFillers = new Construct(margin, 'Fillers');
for (let i = 0; i < 440; i++) addFiller(marginFillers, `F${i}`);
addRole(new Construct(margin, 'Inline'), margin, { policies: [inlinePolicy(70)] });

interface Case {
  readonly rule: string;
  readonly stack: DomainStack;
  readonly path: string;
  readonly level: Level;
  readonly says: string;
}

const CASES: readonly Case[] = [
  { rule: 'MESH-QUOTA-001', stack: quota, path: '/Mesh-Quota', level: 'error', says: 'resources (limit 500)' },
  { rule: 'MESH-QUOTA-001', stack: margin, path: '/Mesh-Margin', level: 'warning', says: 'resources (limit 500)' },
  { rule: 'MESH-QUOTA-002', stack: quota, path: '/Mesh-Quota', level: 'error', says: 'KiB (limit 1,024 KiB)' },
  { rule: 'MESH-QUOTA-003', stack: quota, path: '/Mesh-Quota/Inline/Role', level: 'error', says: '(limit 10,240)' },
  { rule: 'MESH-QUOTA-003', stack: margin, path: '/Mesh-Margin/Inline/Role', level: 'warning', says: '(limit 10,240)' },
  {
    rule: 'MESH-QUOTA-004',
    stack: quota,
    path: '/Mesh-Quota/BigManaged/Policy',
    level: 'error',
    says: '(limit 6,144)',
  },
  {
    rule: 'MESH-QUOTA-005',
    stack: quota,
    path: '/Mesh-Quota/ManyPolicies/Role',
    level: 'error',
    says: 'has 11 managed policies (limit 10)',
  },
  {
    rule: 'MESH-QUOTA-006',
    stack: quota,
    path: '/Mesh-Quota/BigBucketPolicy/Policy',
    level: 'error',
    says: '(limit 20,480)',
  },
  { rule: 'MESH-QUOTA-007', stack: quota, path: '/Mesh-Quota/BigTrust/Role', level: 'error', says: '(limit 2,048)' },
];

describe('quota rules', () => {
  test.each(CASES.map((c) => [c.rule, c.level, c] as const))('%s (%s)', (_rule, _level, c) => {
    const messages = messagesOf(c.stack, c.level, c.rule, c.path)
      .filter((m) => m.id === c.path)
      .map(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(c.says);
    expect(messages[0]).toContain('domains/');
  });

  test('below the margin nothing is reported', () => {
    expect(messagesOf(margin, 'error', 'MESH-QUOTA-001')).toEqual([]);
    expect(messagesOf(margin, 'error', 'MESH-QUOTA-003')).toEqual([]);
    for (const rule of ['MESH-QUOTA-004', 'MESH-QUOTA-005', 'MESH-QUOTA-006', 'MESH-QUOTA-007']) {
      expect([...messagesOf(margin, 'error', rule), ...messagesOf(margin, 'warning', rule)]).toEqual([]);
    }
  });

  test('every stack rule has a non-compliant case', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(PLATFORM_RULES.filter((r) => r.kind === 'stack' && !covered.has(r.id)).map((r) => r.id)).toEqual([]);
  });
});
