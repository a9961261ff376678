/**
 * The access matrix, simulated offline on synthesized templates: every role × every product version ×
 * read (object, listing, table) and write, plus every role × domain key, must match the definitions —
 * zero unexpected allows, zero missing allows — on the example mesh and on a mesh at scale.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readerScope } from '../../lib/access/principals';
import { sharedGroups } from '../../lib/access/producer-fences';
import { ACCESS_LIMITS } from '../../lib/access/quotas';
import { type AccessCheck, buildAccessMatrix } from '../../lib/access/verify/matrix';
import { type AccessPolicies, crossStackReferences, extractAccessPolicies } from '../../lib/access/verify/templates';
import { formatVerifyReport, isClean, measureDeployedPolicies, verifyAccess } from '../../lib/access/verify/verify';
import { findDomain, findProduct, type Mesh } from '../../lib/mesh/model';
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

describe('example mesh', () => {
  let synthesized: SynthesizedMesh;
  let policies: AccessPolicies;
  beforeAll(() => {
    synthesized = synthesizeMesh(PROJECT_ROOT);
    policies = extractAccessPolicies(synthesized.templates);
  });

  test('synthesizes without errors, and every template stands alone', () => {
    expect(synthesized.errors).toEqual([]);
    expectSelfContained(synthesized);
  });

  test('every role × product version × read/write, and every role × key, is what the definitions declare', async () => {
    const report = await verifyAccess(
      buildAccessMatrix(synthesized.mesh, { env: TEST_ENV }),
      new OfflineAccessEvaluator(policies),
    );
    expect(formatVerifyReport(report)).toContain('8 roles × 10 product versions (+ 4 domain keys) = 352 checks');
    expect(isClean(report)).toBe(true);
  });

  test('a consumer that grants itself everything in its own stack still reads only what contracts allow', async () => {
    // Every role gets s3:*, kms:* on *: only the producers' bucket and key policies stand in the way.
    const greedy: AccessPolicies = {
      ...policies,
      roles: new Map(
        [...policies.roles].map(([arn, role]) => [
          arn,
          {
            ...role,
            inline: [
              ...role.inline,
              {
                name: 'GrantedItself',
                document: {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }],
                },
              },
            ],
          },
        ]),
      ),
    };
    const contractChecks = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV })
      .filter((c) => c.kind !== 'read-table') // the Glue catalog has no per-stack resource policy to fence it
      .map((c) => ({ ...c, expected: contractAllows(synthesized.mesh, c) }));
    const report = await verifyAccess(contractChecks, new OfflineAccessEvaluator(greedy));
    expect(formatVerifyReport(report)).toContain('unexpected allows: 0');
    expect(isClean(report)).toBe(true);
    // The fences let through more than the edges (contract readers without an input), never more than contracts.
    expect(contractChecks.filter((c) => c.expected).length).toBeGreaterThan(
      buildAccessMatrix(synthesized.mesh, { env: TEST_ENV }).filter((c) => c.expected && c.kind !== 'read-table')
        .length,
    );
  });

  test('deployed policies are far from their quotas', () => {
    const sizes = measureDeployedPolicies(policies);
    expect(sizes.largestManagedPolicy.chars).toBeLessThan(ACCESS_LIMITS.managedPolicyChars / 2);
    expect(sizes.largestBucketPolicy.bytes).toBeLessThan(ACCESS_LIMITS.bucketPolicyBytes / 4);
  });
});

/** What the producers' fences allow a role whatever its identity policies say: the contracts. */
function contractAllows(mesh: Mesh, check: AccessCheck): boolean {
  const own = check.role.domain === check.owner;
  if (check.kind === 'write-object') return own && check.role.kind === 'producer';
  if (own) return true;
  if (check.kind === 'decrypt-key') {
    return sharedGroups(findDomain(mesh, check.owner)!).some(
      (g) => g.scope.kind === 'mesh' || g.scope.domains.includes(check.role.domain),
    );
  }
  const scope = readerScope(findProduct(mesh, check.owner, check.target.split('/')[1].split('@')[0])!);
  return scope.kind === 'mesh' || (scope.kind === 'consumers' && scope.domains.includes(check.role.domain));
}

describe('mesh at scale: a consumer of 150 inputs, a product of 100 consumer domains', () => {
  let root: string;
  let synthesized: SynthesizedMesh;
  let policies: AccessPolicies;
  beforeAll(() => {
    root = writeScaleMesh();
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

  test('every role × product version × read/write, and every role × key, is what the definitions declare', async () => {
    const checks = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV });
    const report = await verifyAccess(checks, new OfflineAccessEvaluator(policies));
    expect(report.roles).toBe(204);
    expect(report.productVersions).toBe(153);
    expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(report)).toBe(true);
  }, 600_000);
});

describe('synthetic mesh large enough for nested product stacks', () => {
  test('every template, nested ones included, stands alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-nested-'));
    try {
      writeSyntheticMesh(dir, { domains: 2, productsPerDomain: 240, inputsPerProduct: 2 });
      const synthesized = synthesizeMesh(dir);
      expect(synthesized.errors).toEqual([]);
      expect(synthesized.templates.some((t) => t.name.endsWith('.nested.template.json'))).toBe(true);
      expectSelfContained(synthesized);
    } finally {
      removeTempProject(dir);
    }
  }, 180_000);
});
