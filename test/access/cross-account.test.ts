/**
 * Reads across accounts, evaluated as AWS does: a request from another account needs the consumer's identity
 * policy and the producer's resource policy (bucket, key, Glue catalog) to allow it. Every role × product
 * version × read/write of the three-account prod stage (and of the one-account dev stage) must match the
 * definitions, also when every role grants itself s3:* and kms:*; removing either side refuses the read.
 */
import type { PolicyDocumentJson } from '../../lib/access/policy-json';
import { type AccessCheck, buildAccessMatrix } from '../../lib/access/verify/matrix';
import { selfGrantedChecks, withSelfGrantedAccess } from '../../lib/access/verify/self-granted';
import { type AccessPolicies, crossStackReferences, extractAccessPolicies } from '../../lib/access/verify/templates';
import { formatVerifyReport, isClean, measureDeployedPolicies, verifyAccess } from '../../lib/access/verify/verify';
import { PROD_CUSTOMERS, PROD_MARKETING, PROD_SALES, threeAccountMesh } from '../support/three-account-mesh';
import { OfflineAccessEvaluator } from './support/offline-evaluator';
import { type SynthesizedMesh, synthesizeMesh, TEST_ENV } from './support/synth-mesh';

const root = threeAccountMesh();

function verify(synthesized: SynthesizedMesh, policies = extractAccessPolicies(synthesized.templates)) {
  const checks = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV });
  return { checks, policies, report: () => verifyAccess(checks, new OfflineAccessEvaluator(policies)) };
}

/** The policies with resource policy statements whose Sid matches removed (bucket, key and catalog policies). */
function without(policies: AccessPolicies, sid: RegExp): AccessPolicies {
  const strip = (d: PolicyDocumentJson): PolicyDocumentJson => ({
    ...d,
    Statement: d.Statement.filter((s) => !sid.test(s.Sid ?? '')),
  });
  const keys = new Map([...new Set(policies.keysByAlias.values())].map((k) => [k, { ...k, policy: strip(k.policy) }]));
  return {
    roles: policies.roles,
    bucketPolicies: new Map([...policies.bucketPolicies].map(([b, d]) => [b, strip(d)])),
    keysByAlias: new Map([...policies.keysByAlias].map(([alias, key]) => [alias, keys.get(key) ?? key])),
    catalogPolicies: new Map([...policies.catalogPolicies].map(([c, d]) => [c, strip(d)])),
  };
}

const crossAccount = (c: AccessCheck) => c.role.account !== c.resourceAccount;

describe('prod: three domains in three accounts', () => {
  const synthesized = synthesizeMesh(root, { stage: 'prod' });
  const { checks, policies, report } = verify(synthesized);

  test('synthesizes standalone templates, each pinned to its account', () => {
    expect(synthesized.errors).toEqual([]);
    expect(crossStackReferences(synthesized.templates)).toEqual([]);
    expect(synthesized.templates.map((t) => `${t.name} ${t.env.account}`).sort()).toEqual([
      `Mesh-Prod-Customers ${PROD_CUSTOMERS}`,
      `Mesh-Prod-Marketing ${PROD_MARKETING}`,
      `Mesh-Prod-Sales ${PROD_SALES}`,
    ]);
  });

  test('the whole matrix matches the definitions: 0 unexpected, 0 missing', async () => {
    const result = await report();
    expect(formatVerifyReport(result)).toContain('unexpected allows: 0\nmissing allows: 0');
    expect(isClean(result)).toBe(true);
    // The matrix really crosses accounts, both ways: reads that must work and reads that must not.
    const across = checks.filter((c) => crossAccount(c) && c.kind === 'read-table');
    expect(across.filter((c) => c.expected).length).toBeGreaterThan(0);
    expect(across.filter((c) => !c.expected).length).toBeGreaterThan(0);
  });

  test("marketing reads sales' orders and customers' profiles from its own account; sales does not read profiles", () => {
    const expected = (role: string, target: string, kind: string) =>
      checks.find((c) => c.role.name === role && c.target === target && c.kind === kind)?.expected;
    expect(expected('acme-marketing-consumer', 'customers/profiles@1', 'read-object')).toBe(true);
    expect(expected('acme-marketing-consumer', 'sales/orders@1', 'read-table')).toBe(true);
    expect(expected('acme-sales-consumer', 'customers/profiles@1', 'read-object')).toBe(false);
    expect(expected('acme-marketing-producer', 'customers/profiles@1', 'write-object')).toBe(false);
  });

  test('roles granting themselves s3:* and kms:* in their own accounts still reach only what contracts allow', async () => {
    const attack = selfGrantedChecks(synthesized.mesh, checks);
    const result = await verifyAccess(attack, new OfflineAccessEvaluator(withSelfGrantedAccess(policies)));
    expect(result.unexpectedAllows.map((m) => `${m.check.role.name} ${m.check.action} ${m.check.target}`)).toEqual([]);
    expect(isClean(result)).toBe(true);
  });

  test.each([
    ['the bucket policy', /^AllowReadsFromReaderAccounts$/, ['list-prefix', 'read-object']],
    ['the key policy', /^AllowDecryptFromReaderAccounts$/, ['decrypt-key']],
    ['the Glue catalog policy', /^MeshAcmeD\w+Read\d+$/, ['read-table']],
  ])("without the producer's allow in %s, every read from another account is refused", async (_, sid, kinds) => {
    const result = await verifyAccess(
      checks.filter((c) => crossAccount(c) && c.expected && kinds.includes(c.kind)),
      new OfflineAccessEvaluator(without(policies, sid)),
    );
    expect(result.checks).toBeGreaterThan(0);
    expect(result.errors).toEqual([]);
    expect(result.missingAllows.length).toBe(result.checks);
  });

  test("without the consumer's identity grant, the producer's allow alone grants nothing", async () => {
    const stripped: AccessPolicies = {
      ...policies,
      roles: new Map(
        [...policies.roles].map(([arn, role]) => [
          arn,
          { ...role, managed: role.managed.filter((m) => !/-inputs-\d+$/.test(m.name)) },
        ]),
      ),
    };
    const reads = checks.filter((c) => crossAccount(c) && c.expected && c.kind.startsWith('read-'));
    const result = await verifyAccess(reads, new OfflineAccessEvaluator(stripped));
    expect(result.checks).toBeGreaterThan(0);
    expect(result.missingAllows.length).toBe(result.checks);
  });

  test('the consumer queries the producers from its own workgroup through one Athena catalog per producer account', () => {
    const marketing = synthesized.assembly.getStackByName('Mesh-Prod-Marketing').template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const catalogs = Object.values(marketing.Resources)
      .filter((r) => r.Type === 'AWS::Athena::DataCatalog')
      .map((r) => `${r.Properties.Name} ${(r.Properties.Parameters as Record<string, string>)['catalog-id']}`)
      .sort();
    expect(catalogs).toEqual([`acme_customers ${PROD_CUSTOMERS}`, `acme_sales ${PROD_SALES}`]);
    const grants = JSON.stringify(
      [...policies.roles.values()].find((r) => r.name === 'acme-marketing-consumer')?.managed,
    );
    expect(grants).toContain(`athena:eu-west-1:${PROD_MARKETING}:datacatalog/acme_sales`);
  });

  test('every policy stays within its quota, the merged Glue catalog policy included', () => {
    const sizes = measureDeployedPolicies(policies);
    expect(sizes.largestCatalogPolicy.bytes).toBeGreaterThan(0);
    expect(sizes.largestCatalogPolicy.bytes).toBeLessThanOrEqual(sizes.largestCatalogPolicy.limit);
    expect(sizes.largestBucketPolicy.bytes).toBeLessThanOrEqual(sizes.largestBucketPolicy.limit);
  });
});

describe('dev: the same mesh in one account', () => {
  const synthesized = synthesizeMesh(root, { stage: 'dev' });

  test('needs no cross-account statement, catalog policy or Athena catalog, and the matrix is clean', async () => {
    const text = synthesized.templates.map((t) => JSON.stringify(t.template)).join('\n');
    expect(text).not.toContain('FromReaderAccounts');
    expect(text).not.toContain('Custom::MeshCatalogPolicy');
    expect(text).not.toContain('AWS::Athena::DataCatalog');
    const { report } = verify(synthesized);
    expect(isClean(await report())).toBe(true);
  });
});

describe('the Glue catalog policy at its quota', () => {
  test('a producer whose shares across accounts would not fit in 10,240 bytes fails with the number and the limit', () => {
    const { writeTempProject, domain, product } =
      require('./support/temp-project') as typeof import('./support/temp-project');
    const { planDomainAccess } = require('../../lib/access/quotas') as typeof import('../../lib/access/quotas');
    const { loadMesh } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
    const { readMeshConfig } = require('../../lib/mesh/config') as typeof import('../../lib/mesh/config');
    // Twelve products, each shared with a different set of 30 domains, each domain in its own account.
    const readers = Array.from({ length: 32 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const account = (i: number) => String(200_000_000_000 + i);
    const names = ['hub', ...readers];
    const placed = (name: string) => ({
      ...domain(name),
      accounts: { prod: { account: account(names.indexOf(name)), region: 'eu-west-1' } },
    });
    const products = Array.from({ length: 12 }, (_, i) =>
      product(`share_${i}`, {
        access: {
          visibility: 'consumers',
          consumers: readers.filter((_, j) => j !== i && j !== i + 1).map((d) => ({ domain: d, purpose: 'Reports' })),
        },
      }),
    );
    const dir = writeTempProject(
      [{ definition: placed('hub'), products }, ...readers.map((r) => ({ definition: placed(r) }))],
      {
        stages: { prod: { prefix: 'acme', accounts: names.map((_, i) => account(i)) } },
        defaultStage: 'prod',
      },
    );
    const mesh = loadMesh({ root: dir, config: readMeshConfig(dir, 'prod') });
    const plan = planDomainAccess(mesh, mesh.domains.find((d) => d.name === 'hub')!);
    expect(plan.sizes.catalogPolicyBytes).toBeGreaterThan(10_240);
    expect(plan.problems.map((p) => `${p.file}: ${p.message}`).join('\n')).toMatch(
      /^domains\/hub\/domain\.ts: the Glue catalog policy statements of domain "hub" would reach \d+ bytes; Glue allows 10240 per account and region/m,
    );
  });
});
