/**
 * Attempts to switch governance off from a definition file: an exception approved from inside the domain,
 * by someone the guild's registry does not list, for longer than the guild allows, on a rule that keeps data
 * from loss or exposure, or kept alive by moving the date from the command line or the environment. Each is
 * an error on the domain's own stack naming the file, the exception and the rule, the finding it meant to
 * excuse stays, and another domain's stack is unaffected.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { DomainStack } from '../../constructs/domain-stack';
import { addDomainStacks } from '../../constructs/mesh-app';
import type { PolicyException } from '../../lib/definition';
import type { Mesh } from '../../lib/mesh/model';
import {
  APPROVER_REGISTRY,
  defaultRuleRegistry,
  defineApproverRegistry,
  type GovernanceOptions,
  isExceptable,
  judgeException,
} from '../../lib/policies';
import { allMessages, governedApp, messagesOf, TODAY, testApp, text } from './support/apps';
import { buildMesh, domainSpec, productSpec } from './support/mesh-builder';

const DAY_MS = 86_400_000;
const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const realToday = () => new Date().toISOString().slice(0, 10);

const reason = 'Quality rules arrive with the backfill next month.';
/** An exception for the missing quality rules (MESH-PROD-010) of the product `p`. */
const qualityException = (extra: Partial<PolicyException> = {}): PolicyException => ({
  rule: 'MESH-PROD-010',
  reason,
  approvedBy: 'governance-lead@example.com',
  expires: plusDays(TODAY, 30),
  ...extra,
});

/** Two domains: the attempt is in sales (its product `p`, or its domain file); marketing is a bystander. */
function meshWith(attempt: { product?: PolicyException[]; domain?: PolicyException[] }): Mesh {
  return buildMesh([
    {
      domain: domainSpec('sales', { exceptions: attempt.domain ?? [] }),
      products: [productSpec('p', { quality: [], exceptions: attempt.product ?? [] })],
    },
    { domain: domainSpec('marketing'), products: [productSpec('campaigns')] },
  ]);
}

function errorsOf(stack: DomainStack, pathPrefix: string): string[] {
  return allMessages(stack, pathPrefix)
    .filter((m) => m.level === 'error')
    .map(text);
}

function stacksOf(mesh: Mesh, governance: GovernanceOptions = {}) {
  const { stacks } = governedApp(mesh, governance);
  return { sales: stacks.get('sales') as DomainStack, marketing: stacks.get('marketing') as DomainStack };
}

describe('attempts to approve an exception without the guild', () => {
  test.each([
    {
      attempt: 'approved by a member of the same domain',
      exception: qualityException({ approvedBy: 'sales-data-steward@example.com' }),
      rule: 'MESH-EXC-006',
      says: 'is approved by sales-data-steward@example.com, a member of domain sales: nobody approves an exception for their own domain',
    },
    {
      attempt: 'approved by the same member, written in capitals',
      exception: qualityException({ approvedBy: 'Sales-Data-Steward@Example.com' }),
      rule: 'MESH-EXC-006',
      says: 'a member of domain sales',
    },
    {
      attempt: 'approved by a name the registry does not list',
      exception: qualityException({ approvedBy: 'governance guild' }),
      rule: 'MESH-EXC-005',
      says: 'is approved by "governance guild", who is not an approver in lib/policies/approvers.ts',
    },
    {
      attempt: 'approved by an address the registry does not list',
      exception: qualityException({ approvedBy: 'sales-lead@example.com' }),
      rule: 'MESH-EXC-005',
      says: 'is approved by "sales-lead@example.com", who is not an approver',
    },
    {
      attempt: 'for ten years',
      exception: qualityException({ expires: plusDays(TODAY, 3652) }),
      rule: 'MESH-EXC-007',
      says: `expires on ${plusDays(TODAY, 3652)}, 3652 days from today (${TODAY}); the governance guild allows at most 90 days`,
    },
    {
      attempt: 'for one day longer than the maximum',
      exception: qualityException({ expires: plusDays(TODAY, 91) }),
      rule: 'MESH-EXC-007',
      says: '91 days from today',
    },
  ])('$attempt: $rule on the product, the finding stays', ({ exception, rule, says }) => {
    const { sales, marketing } = stacksOf(meshWith({ product: [exception] }));
    const [message, ...more] = messagesOf(sales, 'error', rule, '/Mesh-Sales/P').map(text);
    expect(more).toEqual([]);
    expect(message).toContain(`[${rule}[exceptions[0]]] domains/sales/products/p.ts: exceptions[0] (MESH-PROD-010) `);
    expect(message).toContain(says);
    expect(message).toMatch(/\. Fix: (ask a member of the governance guild outside domain sales|set expires in)/);
    // The exception excuses nothing: the finding is reported as if it were absent.
    expect(messagesOf(sales, 'warning', 'MESH-PROD-010', '/Mesh-Sales/P')).toHaveLength(1);
    expect(messagesOf(sales, 'info', 'MESH-PROD-010', '/Mesh-Sales/P')).toEqual([]);
    expect(errorsOf(marketing, '/Mesh-Marketing')).toEqual([]);
  });

  test('the fix names whom to ask: approvers of the registry outside the domain', () => {
    const { sales } = stacksOf(
      meshWith({ product: [qualityException({ approvedBy: 'sales-data-steward@example.com' })] }),
    );
    const [message] = messagesOf(sales, 'error', 'MESH-EXC-006', '/Mesh-Sales/P').map(text);
    expect(message).toContain(
      'Fix: ask a member of the governance guild outside domain sales to approve exceptions[0] and put their id in approvedBy: governance-lead@example.com, security-architect@example.com, privacy-officer@example.com, platform-architect@example.com.',
    );
  });

  test('several problems of one exception are each reported', () => {
    const exception = qualityException({ approvedBy: 'someone@example.com', expires: plusDays(TODAY, 365) });
    const { sales } = stacksOf(meshWith({ product: [exception] }));
    expect(messagesOf(sales, 'error', 'MESH-EXC-005', '/Mesh-Sales/P')).toHaveLength(1);
    expect(messagesOf(sales, 'error', 'MESH-EXC-007', '/Mesh-Sales/P')).toHaveLength(1);
  });

  test('control: a registered approver from outside the domain, within 90 days, excuses the finding', () => {
    const { sales, marketing } = stacksOf(meshWith({ product: [qualityException({ expires: plusDays(TODAY, 90) })] }));
    expect(errorsOf(sales, '/Mesh-Sales')).toEqual([]);
    expect(messagesOf(sales, 'warning', 'MESH-PROD-010', '/Mesh-Sales/P')).toEqual([]);
    expect(messagesOf(sales, 'info', 'MESH-PROD-010', '/Mesh-Sales/P').map(text)).toEqual([
      expect.stringContaining('approved by governance-lead@example.com'),
    ]);
    expect(errorsOf(marketing, '/Mesh-Marketing')).toEqual([]);
  });
});

describe('rules that keep data from loss or exposure cannot be excepted', () => {
  test('excepting the retain rule on the data bucket is an error, and the bucket may still not be deleted', () => {
    const exception = qualityException({ rule: 'MESH-STATE-001', approvedBy: 'security-architect@example.com' });
    const { sales, marketing } = stacksOf(meshWith({ domain: [exception] }));
    (sales.dataDomain.dataBucket.node.defaultChild as CfnBucket).applyRemovalPolicy(RemovalPolicy.DESTROY);
    const [refusal] = messagesOf(sales, 'error', 'MESH-EXC-004', '/Mesh-Sales/Domain').map(text);
    expect(refusal).toBe(
      '[MESH-EXC-004[exceptions[0]]] domains/sales/domain.ts: exceptions[0] excepts MESH-STATE-001 (Stateful resources are retained on delete and replace), which cannot be excepted: it keeps data from being lost or exposed. Fix: remove exceptions[0] and fix the finding: set removalPolicy: RemovalPolicy.RETAIN (or applyRemovalPolicy(RemovalPolicy.RETAIN) on L1 resources).',
    );
    expect(messagesOf(sales, 'error', 'MESH-STATE-001', '/Mesh-Sales/Domain/Data').map(text)).toEqual([
      expect.stringContaining('DeletionPolicy is Delete'),
      expect.stringContaining('UpdateReplacePolicy is Delete'),
    ]);
    expect(errorsOf(marketing, '/Mesh-Marketing')).toEqual([]);
  });

  const registry = defaultRuleRegistry();
  test.each([
    ['MESH-STATE-001', 'retain stateful resources on delete and replace'],
    ['MESH-S3-004', 'bucket versioning (overwrites and deletes recoverable)'],
    ['MESH-S3-001', 'block public access'],
    ['MESH-S3-002', 'bucket encryption'],
    ['MESH-S3-003', 'TLS only'],
    ['MESH-S3-007', 'no ACLs'],
    ['MESH-S3-008', 'bucket policy grants nothing to everyone'],
    ['MESH-S3-009', 'bucket policy fences: no open-ended Allow'],
    ['MESH-KMS-002', 'key policy grants nothing to everyone'],
    ['MESH-KMS-003', 'key policy fences: no open-ended Allow'],
    ['MESH-IAM-001', 'no administrator statements'],
    ['MESH-IAM-002', 'no service wildcards'],
    ['MESH-IAM-003', 'no Resource "*" for resource-level actions'],
    ['MESH-IAM-004', 'no iam:PassRole on any role'],
    ['MESH-IAM-005', 'trust policies name who assumes'],
    ['MESH-IAM-006', 'no AWS managed administrator policies'],
    ['MESH-ATH-001', 'workgroups enforce encryption and location'],
    ['MESH-ATH-002', 'query results encrypted'],
    ['MESH-ATH-003', "query results in the domain's bucket"],
    ['MESH-GLUE-003', "table data in the domain's bucket"],
    ['MESH-PROD-005', 'personal data classified'],
    ['MESH-PROD-007', 'personal data only to named consumers'],
  ])('%s (%s) is not exceptable', (id) => {
    const rule = registry.get(id);
    expect(rule).toBeDefined();
    expect(isExceptable(rule!)).toBe(false);
  });
});

describe('the clock is the clock', () => {
  /** An exception that lapsed yesterday by the real date. */
  const lapsed = () => qualityException({ expires: plusDays(realToday(), -1) });
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test.each([
    { move: '-c mesh:today=2020-01-01 (CDK context)', context: { 'mesh:today': '2020-01-01' }, env: {} },
    {
      move: 'CDK_CONTEXT_JSON (how the CDK CLI hands -c to the app)',
      context: {},
      env: { CDK_CONTEXT_JSON: JSON.stringify({ 'mesh:today': '2020-01-01' }) },
    },
    { move: 'MESH_TODAY=2020-01-01', context: {}, env: { MESH_TODAY: '2020-01-01', TODAY: '2020-01-01' } },
    { move: 'TZ far ahead of UTC', context: {}, env: { TZ: 'Pacific/Kiritimati' } },
  ])('$move cannot make an expired exception pass', ({ context, env }) => {
    Object.assign(process.env, env);
    const app = testApp(context);
    const stacks = addDomainStacks(app, meshWith({ product: [lapsed()] }), { governance: { sources: [] } });
    const [sales, marketing] = stacks;
    const [expired] = messagesOf(sales, 'error', 'MESH-EXC-001', '/Mesh-Sales/P').map(text);
    expect(expired).toContain(
      `[MESH-EXC-001[exceptions[0]]] domains/sales/products/p.ts: exceptions[0] (MESH-PROD-010, approved by governance-lead@example.com) expired on ${plusDays(realToday(), -1)}`,
    );
    expect(messagesOf(sales, 'warning', 'MESH-PROD-010', '/Mesh-Sales/P')).toHaveLength(1);
    expect(errorsOf(marketing, '/Mesh-Marketing')).toEqual([]);
  });

  test('a mesh:today context value is named as ignored on every stack', () => {
    const app = testApp({ 'mesh:today': '2020-01-01' });
    const stacks = addDomainStacks(app, meshWith({}), { governance: { sources: [] } });
    const assembly = app.synth();
    for (const stack of stacks) {
      const warnings = assembly
        .getStackArtifact(stack.artifactId)
        .messages.filter((m) => m.level === 'warning' && String(m.entry.data).includes('mesh:today'));
      expect(warnings.map((m) => String(m.entry.data))).toEqual([
        expect.stringMatching(
          /^-c mesh:today=2020-01-01 is ignored: governance judges .* by the real date \(\d{4}-\d{2}-\d{2}, UTC\)/,
        ),
      ]);
    }
  });
});

describe('judgeException', () => {
  const rule = defaultRuleRegistry().get('MESH-PROD-010');
  const judge = (exception: PolicyException, scope: { domain: string } | { platform: true } = { domain: 'sales' }) =>
    judgeException(
      exception,
      rule,
      { finding: 'exceptions[0]', label: 'exceptions[0]', scope },
      {
        today: TODAY,
        approvers: APPROVER_REGISTRY,
      },
    ).map((p) => p.rule.id);

  test.each([
    ['expires today', qualityException({ expires: TODAY }), []],
    ['expires exactly 90 days from today', qualityException({ expires: plusDays(TODAY, 90) }), []],
    ['expires 91 days from today', qualityException({ expires: plusDays(TODAY, 91) }), ['MESH-EXC-007']],
    ['expired yesterday', qualityException({ expires: plusDays(TODAY, -1) }), ['MESH-EXC-001']],
    ['approver id with blanks around it', qualityException({ approvedBy: ' governance-lead@example.com ' }), []],
  ])('%s', (_case, exception, expected) => {
    expect(judge(exception)).toEqual(expected);
  });

  test('platform exceptions: a member of the platform team does not approve them', () => {
    expect(judge(qualityException({ approvedBy: 'platform-architect@example.com' }), { platform: true })).toEqual([
      'MESH-EXC-006',
    ]);
    expect(judge(qualityException({ approvedBy: 'security-architect@example.com' }), { platform: true })).toEqual([]);
  });

  test("the guild's maximum comes from its registry", () => {
    const strict = defineApproverRegistry({
      guild: { name: 'governance guild', codeowners: ['@acme/governance-guild'], maxExceptionDays: 30 },
      approvers: [{ id: 'governance-lead@example.com', teams: ['governance-guild'] }],
    });
    const problems = judgeException(
      qualityException({ expires: plusDays(TODAY, 31) }),
      rule,
      { finding: 'exceptions[0]', label: 'exceptions[0]', scope: { domain: 'sales' } },
      { today: TODAY, approvers: strict },
    );
    expect(problems.map((p) => [p.rule.id, p.fix])).toEqual([
      [
        'MESH-EXC-007',
        `set expires in exceptions[0] to ${plusDays(TODAY, 30)} or earlier, and renew it with a fresh approval when it lapses`,
      ],
    ]);
  });

  test('a malformed registry names its file and field', () => {
    expect(() =>
      defineApproverRegistry({
        guild: { name: 'governance guild', codeowners: ['governance guild'] },
        approvers: [
          { id: 'a@example.com', teams: ['governance-guild'] },
          { id: 'A@example.com', teams: ['governance-guild'] },
        ],
      }),
    ).toThrow(
      'invalid approver registry:\nlib/policies/approvers.ts:guild.codeowners[0]: must be a GitHub team (@org/team), a user (@user) or an e-mail\nlib/policies/approvers.ts:approvers[1].id: is listed twice',
    );
  });
});
