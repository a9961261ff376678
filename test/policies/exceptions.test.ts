/**
 * Exceptions declared in the definitions: an excepted finding is reported as info, not as an error; an
 * expired exception, one for an unknown rule, one that matches nothing, and one for a rule that cannot be
 * excepted are errors (MESH-EXC-001…004). `today` decides expiry. Malformed exceptions are rejected when the
 * mesh loads, with messages that name the field. Approvals and lifetimes: test/policies/approvals.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import type { DomainStack } from '../../constructs/domain-stack';
import type { PolicyException } from '../../lib/definition';
import { tryLoadMesh } from '../../lib/mesh/load';
import {
  APPROVER_REGISTRY,
  ENGINE_RULES,
  governanceOf,
  PLATFORM_EXCEPTIONS,
  PLATFORM_RULES,
  type PlatformException,
  RuleRegistry,
} from '../../lib/policies';
import { ExceptionSet, type Subject } from '../../lib/policies/exceptions';
import { exampleMesh, governedApp, messagesOf, PROJECT_ROOT, TODAY, text } from './support/apps';
import { addBucket } from './support/hand-written';
import { buildMesh, domainSpec, productSpec } from './support/mesh-builder';

const approval = {
  reason: 'Backfill job writes quality rules next quarter.',
  approvedBy: 'governance-lead@example.com',
};
/** 75 days after TODAY: within the guild's 90-day maximum. */
const future = '2026-08-15';
const past = '2026-01-31';
const exception = (rule: string, extra: Partial<PolicyException> = {}): PolicyException => ({
  rule,
  ...approval,
  expires: future,
  ...extra,
});

const twoUndescribed = productSpec('two_undescribed', {
  exceptions: [exception('MESH-PROD-003', { finding: 'Column::a' })],
});
const mesh = buildMesh([
  {
    domain: domainSpec('lab', { exceptions: [exception('MESH-S3-006')] }),
    products: [
      productSpec('excused', { quality: [], exceptions: [exception('MESH-PROD-010')] }),
      productSpec('lapsed', { quality: [], exceptions: [exception('MESH-PROD-010', { expires: past })] }),
      productSpec('typo', { exceptions: [exception('MESH-PROD-999')] }),
      productSpec('stale', { exceptions: [exception('MESH-PROD-009')] }),
      productSpec('forbidden', {
        classification: 'confidential',
        schema: { columns: [{ name: 'email', type: 'string', description: 'Email.', pii: true }] },
        access: { visibility: 'mesh' },
        exceptions: [exception('MESH-PROD-007')],
      }),
      {
        ...twoUndescribed,
        schema: {
          columns: [
            { name: 'a', type: 'string' },
            { name: 'b', type: 'string' },
          ],
        },
      },
    ],
  },
]);
const { stacks } = governedApp(mesh);
const lab = stacks.get('lab') as DomainStack;
// A domain-level resource without access logs, excepted by the domain file.
addBucket(new Construct(lab, 'Scratch'), lab, 'scratch', { props: { loggingConfiguration: undefined } });

describe('exceptions in definitions', () => {
  test('an excepted finding is info that names the exception, not a warning', () => {
    expect(messagesOf(lab, 'warning', 'MESH-PROD-010', '/Mesh-Lab/Excused')).toEqual([]);
    const [info] = messagesOf(lab, 'info', 'MESH-PROD-010', '/Mesh-Lab/Excused').map(text);
    expect(info).toBe(
      '[MESH-PROD-010[quality]] domains/lab/products/excused.ts: declares no quality rules. Excepted until 2026-08-15 by exceptions[0], approved by governance-lead@example.com: Backfill job writes quality rules next quarter.',
    );
  });

  test('a domain exception excuses a finding on a domain-level resource', () => {
    expect(messagesOf(lab, 'error', 'MESH-S3-006', '/Mesh-Lab/Scratch')).toEqual([]);
    expect(messagesOf(lab, 'info', 'MESH-S3-006', '/Mesh-Lab/Scratch')).toHaveLength(1);
  });

  test('an expired exception is an error and excuses nothing', () => {
    const [expired] = messagesOf(lab, 'error', 'MESH-EXC-001', '/Mesh-Lab/Lapsed').map(text);
    expect(expired).toBe(
      '[MESH-EXC-001[exceptions[0]]] domains/lab/products/lapsed.ts: exceptions[0] (MESH-PROD-010, approved by governance-lead@example.com) expired on 2026-01-31. Fix: fix the finding and remove exceptions[0], or renew it with a new expires date (at most 2026-08-30) and approval.',
    );
    expect(messagesOf(lab, 'warning', 'MESH-PROD-010', '/Mesh-Lab/Lapsed')).toHaveLength(1);
  });

  test('an exception for an unknown rule is an error', () => {
    const [message] = messagesOf(lab, 'error', 'MESH-EXC-002', '/Mesh-Lab/Typo').map(text);
    expect(message).toContain('exceptions[0] names rule MESH-PROD-999, which does not exist');
  });

  test('an exception that matches no finding is an error', () => {
    const [message] = messagesOf(lab, 'error', 'MESH-EXC-003', '/Mesh-Lab/Stale').map(text);
    expect(message).toContain('exceptions[0] (MESH-PROD-009) matches no finding');
  });

  test('excepting a rule that cannot be excepted is an error, and the finding stays', () => {
    const [message] = messagesOf(lab, 'error', 'MESH-EXC-004', '/Mesh-Lab/Forbidden').map(text);
    expect(message).toContain(
      'exceptions[0] excepts MESH-PROD-007 (Personal or restricted data goes only to named consumers with a purpose), which cannot be excepted: it keeps data from being lost or exposed',
    );
    expect(messagesOf(lab, 'error', 'MESH-PROD-007', '/Mesh-Lab/Forbidden')).toHaveLength(1);
  });

  test('an exception naming a finding excuses only that finding', () => {
    expect(messagesOf(lab, 'info', 'MESH-PROD-003', '/Mesh-Lab/TwoUndescribed').map(text)).toEqual([
      expect.stringContaining('column "a" has no description. Excepted until'),
    ]);
    expect(messagesOf(lab, 'error', 'MESH-PROD-003', '/Mesh-Lab/TwoUndescribed').map(text)).toEqual([
      expect.stringContaining('column "b" has no description'),
    ]);
  });

  test('a compliant product without exceptions has no exception findings', () => {
    for (const rule of ENGINE_RULES) {
      expect(messagesOf(lab, 'error', rule.id, '/Mesh-Lab/Excused')).toEqual([]);
    }
  });
});

describe('platform exceptions', () => {
  /** A platform defect under repair: scratch buckets of the platform without access logs. */
  const defect = (extra: Partial<PlatformException> = {}): PlatformException => ({
    rule: 'MESH-S3-006',
    constructs: ['**/Scratch/Bucket'],
    reason: 'Scratch buckets log access with the next platform release.',
    approvedBy: 'security-architect@example.com',
    expires: future,
    ...extra,
  });
  const withDefect = (options: { today?: string; exception?: PlatformException }) => {
    const { stacks } = governedApp(exampleMesh(), {
      platformExceptions: [options.exception ?? defect()],
      ...(options.today ? { today: options.today } : {}),
    });
    const sales = stacks.get('sales') as DomainStack;
    addBucket(new Construct(new Construct(sales, 'Platform'), 'Scratch'), sales, 'scratch', {
      props: { loggingConfiguration: undefined },
    });
    return sales;
  };

  test("a platform defect under repair is excepted on the platform's constructs, naming where the exception lives", () => {
    const sales = withDefect({});
    expect(messagesOf(sales, 'error', 'MESH-S3-006', '/Mesh-Sales/Platform')).toEqual([]);
    const [info] = messagesOf(sales, 'info', 'MESH-S3-006', '/Mesh-Sales/Platform').map(text);
    expect(info).toContain('Excepted until 2026-08-15 by platform exception 0 (lib/policies/platform-exceptions.ts)');
  });

  test('after its expiry a platform exception is an error and excuses nothing', () => {
    const sales = withDefect({ today: '2026-08-16' });
    expect(messagesOf(sales, 'error', 'MESH-S3-006', '/Mesh-Sales/Platform')).toHaveLength(1);
    expect(messagesOf(sales, 'error', 'MESH-EXC-001', '/Mesh-Sales/Domain').map(text)).toEqual([
      expect.stringMatching(
        /^\[MESH-EXC-001\[platform\[0\]\]\] lib\/policies\/platform-exceptions\.ts: platform exception 0 /,
      ),
    ]);
  });

  test('a platform exception for a rule that cannot be excepted excuses nothing', () => {
    const sales = withDefect({ exception: defect({ rule: 'MESH-S3-002' }) });
    expect(messagesOf(sales, 'error', 'MESH-EXC-004', '/Mesh-Sales/Domain').map(text)).toEqual([
      expect.stringMatching(
        /^\[MESH-EXC-004\[platform\[0\]\]\] lib\/policies\/platform-exceptions\.ts: platform exception 0 excepts MESH-S3-002 /,
      ),
    ]);
  });

  test('every platform exception still matches a finding on the example mesh (remove it with the fix)', () => {
    const { app } = governedApp(exampleMesh());
    app.synth();
    const used = new Set(
      (governanceOf(app)?.stackReports() ?? []).flatMap((r) =>
        r.findings.filter((f) => f.exception?.declaredIn).map((f) => f.exception?.index),
      ),
    );
    expect(PLATFORM_EXCEPTIONS.map((_, i) => used.has(i))).toEqual(PLATFORM_EXCEPTIONS.map(() => true));
  });
});

describe('ExceptionSet', () => {
  const registry = new RuleRegistry(PLATFORM_RULES);
  const judgedOn = (today: string) => ({ today, approvers: APPROVER_REGISTRY });
  const subject = (exceptions: PolicyException[]): Subject => ({
    kind: 'product',
    name: 'lab/p',
    domain: 'lab',
    file: 'domains/lab/products/p.ts',
    exceptions,
  });

  test('today decides expiry: the expires day itself still holds', () => {
    const exceptions = [exception('MESH-PROD-010', { expires: '2026-06-01' })];
    const onTheDay = new ExceptionSet(subject(exceptions), (id) => registry.get(id), judgedOn('2026-06-01'));
    expect(onTheDay.cover('MESH-PROD-010', 'quality')?.index).toBe(0);
    const dayAfter = new ExceptionSet(subject(exceptions), (id) => registry.get(id), judgedOn('2026-06-02'));
    expect(dayAfter.cover('MESH-PROD-010', 'quality')).toBeUndefined();
    expect(dayAfter.problems().map((p) => p.rule.id)).toEqual(['MESH-EXC-001']);
  });

  test('exceptions are read once, not per rule: lookups only touch the rule they name', () => {
    let lookups = 0;
    const set = new ExceptionSet(
      subject([exception('MESH-PROD-010'), exception('MESH-S3-006')]),
      (id) => {
        lookups++;
        return registry.get(id);
      },
      judgedOn(TODAY),
    );
    for (let i = 0; i < 100; i++) set.cover(PLATFORM_RULES[i % PLATFORM_RULES.length].id, undefined);
    expect(lookups).toBe(2);
  });
});

describe('malformed exceptions are rejected when the mesh loads', () => {
  test('a short reason and a missing approver are named with their field', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-exc-'));
    try {
      fs.writeFileSync(path.join(root, 'cdk.json'), JSON.stringify({ context: { mesh: { prefix: 'acme' } } }));
      fs.symlinkSync(path.join(PROJECT_ROOT, 'lib'), path.join(root, 'lib'), 'dir');
      fs.mkdirSync(path.join(root, 'domains', 'lab', 'products'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'domains', 'lab', 'domain.ts'),
        `export default ${JSON.stringify(domainSpec('lab'))};\n`,
      );
      const product = productSpec('p', {
        exceptions: [
          { rule: 'MESH-PROD-010', reason: 'later', approvedBy: 'guild', expires: future },
          { rule: 'MESH-PROD-010', reason: approval.reason, expires: '2026-13-01' } as unknown as PolicyException,
        ],
      });
      fs.writeFileSync(
        path.join(root, 'domains', 'lab', 'products', 'p.ts'),
        `export default ${JSON.stringify(product)};\n`,
      );
      const problems = tryLoadMesh({ root }).problems.map(({ file, path, message }) => `${file} ${path}: ${message}`);
      expect(problems).toEqual([
        'domains/lab/products/p.ts exceptions[0].reason: must explain the exception in at least 20 characters',
        'domains/lab/products/p.ts exceptions[1].approvedBy: is required (expected string)',
        'domains/lab/products/p.ts exceptions[1].expires: must be a real calendar date',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
