/**
 * The access matrix, simulated offline on synthesized templates: every role × every product version × read
 * (object, listing, table) and write, and every role × every domain's key, Athena results and access logs,
 * must match the definitions — zero unexpected allows, zero missing allows — and roles of other domains that
 * grant themselves `s3:*` and `kms:*` must still reach only what the contracts allow. The example mesh and a
 * small generated mesh run here; the mesh at full scale (~290,000 checks) runs in `npm run access:verify`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PolicyDocumentJson } from '../../lib/access/policy-json';
import { ACCESS_LIMITS } from '../../lib/access/quotas';
import { type AccessCheck, type AccessKind, buildAccessMatrix } from '../../lib/access/verify/matrix';
import { selfGrantedChecks, withSelfGrantedAccess } from '../../lib/access/verify/self-granted';
import { type AccessPolicies, crossStackReferences, extractAccessPolicies } from '../../lib/access/verify/templates';
import {
  formatVerifyReport,
  isClean,
  measureDeployedPolicies,
  type VerifyReport,
  verifyAccess,
} from '../../lib/access/verify/verify';
import { writeSyntheticMesh } from '../bench/synthetic-mesh';
import { OfflineAccessEvaluator } from './support/offline-evaluator';
import { writeScaleMesh } from './support/scale-mesh';
import { PROJECT_ROOT, type SynthesizedMesh, synthesizeMesh, TEST_ENV } from './support/synth-mesh';
import { removeTempProject } from './support/temp-project';

/** Domain stacks must deploy alone: no imports, no unresolved references, no dependency on another domain stack. */
function expectSelfContained(synthesized: SynthesizedMesh): void {
  expect(crossStackReferences(synthesized.templates)).toEqual([]);
  const stackIds = new Set(synthesized.assembly.stacks.map((s) => s.id));
  for (const stack of synthesized.assembly.stacks) {
    expect(JSON.stringify(stack.template)).not.toContain('Fn::ImportValue');
    expect(stack.dependencies.map((d) => d.id).filter((id) => stackIds.has(id))).toEqual([]);
  }
}

/** The deployed policies with some resource policy statements removed, to show which fence refuses what. */
function withoutStatements(
  policies: AccessPolicies,
  drop: { readonly bucket?: RegExp; readonly keys?: boolean; readonly sids: RegExp },
): AccessPolicies {
  const strip = (document: PolicyDocumentJson): PolicyDocumentJson => ({
    ...document,
    Statement: document.Statement.filter((s) => !drop.sids.test(s.Sid ?? '')),
  });
  const keys = new Map([...new Set(policies.keysByAlias.values())].map((k) => [k, { ...k, policy: strip(k.policy) }]));
  return {
    roles: policies.roles,
    bucketPolicies: new Map(
      [...policies.bucketPolicies].map(([bucket, document]) => [
        bucket,
        drop.bucket?.test(bucket) ? strip(document) : document,
      ]),
    ),
    keysByAlias: drop.keys
      ? new Map([...policies.keysByAlias].map(([alias, key]) => [alias, keys.get(key) ?? key]))
      : policies.keysByAlias,
    catalogPolicies: policies.catalogPolicies,
  };
}

const kindsOf = (report: VerifyReport) => [...new Set(report.unexpectedAllows.map((m) => m.check.kind))].sort();

describe('example mesh', () => {
  let synthesized: SynthesizedMesh;
  let policies: AccessPolicies;
  let checks: AccessCheck[];
  let attack: AccessCheck[];
  beforeAll(() => {
    synthesized = synthesizeMesh(PROJECT_ROOT);
    policies = extractAccessPolicies(synthesized.templates);
    checks = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV });
    attack = selfGrantedChecks(synthesized.mesh, checks);
  });

  test('synthesizes without errors, and every template stands alone', () => {
    expect(synthesized.errors).toEqual([]);
    expectSelfContained(synthesized);
  });

  test('every role × product version and every role × domain key, results and logs is what the definitions declare', async () => {
    const report = await verifyAccess(checks, new OfflineAccessEvaluator(policies));
    // 8 domain roles and 11 execution roles (5 builds, 6 scheduled checks) × 17 product versions.
    expect(formatVerifyReport(report)).toContain(
      "19 roles × 17 product versions (+ 4 domains' key, results and logs) = 2190 checks",
    );
    expect(report.byKind).toMatchObject({
      'read-results': 76,
      'delete-logs': 76,
      'encrypt-results': 76,
      'write-staging': 55,
      'write-quality': 44,
    });
    expect(checks.filter((c) => c.role.kind === 'execution').map((c) => c.role.name)).toContain(
      'acme-sales.run.revenue-metrics-v2',
    );
    expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(report)).toBe(true);
  });

  test('the owning domain still works: its producer writes its products, its queries write and read results under the key', async () => {
    const needed = checks.filter(
      (c) =>
        c.role.domain === 'sales' &&
        c.owner === 'sales' &&
        ((c.kind === 'write-object' && c.role.kind === 'producer') ||
          (['write-results', 'read-results', 'encrypt-results', 'decrypt-results'].includes(c.kind) &&
            c.role.kind === 'consumer')),
    );
    expect(needed.map((c) => c.kind).sort()).toEqual([
      'decrypt-results',
      'encrypt-results',
      'read-results',
      ...Array(4).fill('write-object'), // orders v2 and v1, revenue_metrics v2 and v1
      'write-results',
    ]);
    expect(await new OfflineAccessEvaluator(policies).evaluate(needed)).toEqual(needed.map(() => 'allowed'));
  });

  test('S3 log delivery writes a domain’s logs for its own buckets only, and for its own account only', async () => {
    const delivery = checks.filter((c) => c.kind === 'deliver-logs' && c.owner === 'customers');
    const outcomes = await new OfflineAccessEvaluator(policies).evaluate(delivery);
    expect(
      delivery.map((c, i) => `${c.context['aws:SourceArn']} ${c.context['aws:SourceAccount']}: ${outcomes[i]}`),
    ).toEqual([
      'arn:aws:s3:::acme-customers-data-111111111111-eu-west-1 111111111111: allowed',
      'arn:aws:s3:::acme-customers-athena-111111111111-eu-west-1 111111111111: allowed',
      'arn:aws:s3:::acme-customers-data-111111111111-eu-west-1 999999999999: denied',
      'arn:aws:s3:::acme-fulfillment-data-111111111111-eu-west-1 111111111111: denied',
    ]);
  });

  test('roles that grant themselves s3:* and kms:* on * in their own stacks still reach only what the contracts allow', async () => {
    const report = await verifyAccess(attack, new OfflineAccessEvaluator(withSelfGrantedAccess(policies)));
    expect(report.checks).toBe(1867); // table reads left out: no fence covers the Glue catalog
    expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(report)).toBe(true);
    // The fences let through more than the grants (contract readers without an input), never more than contracts.
    expect(attack.filter((c) => c.expected).length).toBeGreaterThan(
      checks.filter((c) => c.expected && c.kind !== 'read-table').length,
    );
  });

  // Each fence is what refuses the self-granted roles: without it, the same simulation lets them in.
  test.each<[string, Parameters<typeof withoutStatements>[1], AccessKind[], string[]]>([
    [
      'results bucket fence',
      { bucket: /-athena-/, sids: /^Deny(Reads|Writes)Outside/ },
      ['delete-results', 'read-results', 'write-results'],
      ['other domains'],
    ],
    [
      'access-log bucket fence',
      { bucket: /-logs-/, sids: /^Deny/ },
      ['delete-logs', 'read-logs', 'write-logs'],
      // Logs are written by S3 alone: the fence keeps even the owning domain from rewriting them.
      ['other domains', 'own domain'],
    ],
    [
      'key fence on the results bucket’s use of the key',
      { keys: true, sids: /^DenyDecryptOutsideDataBucket$/ },
      ['decrypt-results'],
      ['other domains'],
    ],
    [
      'key fence on encryption',
      { keys: true, sids: /^DenyEncryptOutsideDomain$/ },
      ['encrypt-results'],
      ['other domains'],
    ],
  ])('without the %s, the self-granted roles get in', async (_, drop, kinds, who) => {
    const report = await verifyAccess(
      attack,
      new OfflineAccessEvaluator(withSelfGrantedAccess(withoutStatements(policies, drop))),
    );
    expect(kindsOf(report)).toEqual(kinds);
    const whose = report.unexpectedAllows.map((m) =>
      m.check.role.domain === m.check.owner ? 'own domain' : 'other domains',
    );
    expect([...new Set(whose)].sort()).toEqual(who);
  });

  test('deployed policies are far from their quotas', () => {
    const sizes = measureDeployedPolicies(policies);
    expect(sizes.largestManagedPolicy.chars).toBeLessThan(ACCESS_LIMITS.managedPolicyChars / 2);
    expect(sizes.largestBucketPolicy.bytes).toBeLessThan(ACCESS_LIMITS.bucketPolicyBytes / 4);
  });
});

describe('generated mesh: a consumer of 12 inputs, a product of 8 consumer domains, 4 of them building from it (the full scale runs in access:verify)', () => {
  let root: string;
  let synthesized: SynthesizedMesh;
  let policies: AccessPolicies;
  beforeAll(() => {
    root = writeScaleMesh({ consumers: 8, lakeInputs: 12 });
    synthesized = synthesizeMesh(root);
    policies = extractAccessPolicies(synthesized.templates);
  }, 120_000);
  afterAll(() => removeTempProject(root));

  test('synthesizes without errors, and every template stands alone', () => {
    expect(synthesized.errors).toEqual([]);
    expectSelfContained(synthesized);
  });

  test('every deployed policy is within its AWS quota', () => {
    const sizes = measureDeployedPolicies(policies);
    expect(sizes.largestManagedPolicy.chars).toBeLessThanOrEqual(ACCESS_LIMITS.managedPolicyChars);
    expect(sizes.mostManagedPolicies.count).toBeLessThanOrEqual(ACCESS_LIMITS.managedPoliciesPerRole);
    expect(sizes.largestRoleInline.chars).toBeLessThanOrEqual(ACCESS_LIMITS.roleInlineChars);
    expect(sizes.largestBucketPolicy.bytes).toBeLessThanOrEqual(ACCESS_LIMITS.bucketPolicyBytes);
    expect(sizes.largestKeyPolicy.bytes).toBeLessThanOrEqual(ACCESS_LIMITS.keyPolicyBytes);
  });

  test('the matrix is what the definitions declare, and self-granted roles reach only what contracts allow', async () => {
    const checks = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV });
    const report = await verifyAccess(checks, new OfflineAccessEvaluator(policies));
    // 20 domain roles and the execution roles of the 4 consumer domains that build from hub/golden.
    expect([report.roles, report.productVersions, report.domains]).toEqual([24, 15, 10]);
    expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(report)).toBe(true);
    const attack = await verifyAccess(
      selfGrantedChecks(synthesized.mesh, checks),
      new OfflineAccessEvaluator(withSelfGrantedAccess(policies)),
    );
    expect(formatVerifyReport(attack)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(attack)).toBe(true);
  }, 120_000);
});

describe('synthetic mesh large enough for nested product stacks', () => {
  test('every template, nested ones included, stands alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-nested-'));
    try {
      // 40 products with runtimes outgrow one template (lib/mesh/stack-layout.ts), so the domain is split into shards.
      writeSyntheticMesh(dir, { domains: 2, productsPerDomain: 40, inputsPerProduct: 2 });
      const synthesized = synthesizeMesh(dir);
      expect(synthesized.errors).toEqual([]);
      expect(synthesized.templates.some((t) => t.name.endsWith('.nested.template.json'))).toBe(true);
      expectSelfContained(synthesized);
    } finally {
      removeTempProject(dir);
    }
  }, 180_000);
});
