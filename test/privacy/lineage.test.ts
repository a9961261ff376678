/**
 * Sensitivity follows lineage (MESH-PRIV-001) and subject keys (MESH-PRIV-002): on the example mesh before
 * and after its fix, and on meshes built in memory that try to get personal data past the rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProductDefinitionInput } from '../../lib/definition';
import { tryLoadMesh } from '../../lib/mesh/load';
import { allProducts, type Mesh } from '../../lib/mesh/model';
import { formatProblem } from '../../lib/mesh/problems';
import { defineApproverRegistry } from '../../lib/policies/approver-registry';
import type { MeshRule } from '../../lib/policies/model';
import { sensitivityFollowsLineage } from '../../lib/policies/rules/privacy/sensitivity-lineage';
import { subjectKeysDeclared } from '../../lib/policies/rules/privacy/subject-keys';
import { buildMesh, domainSpec, productSpec } from '../policies/support/mesh-builder';
import { copyExampleProject, makeTempProject, PROJECT_ROOT, validDomain, validProduct } from '../support/temp-project';

const TODAY = '2026-12-03';
const reason = 'Segments of at least 1,000 customers: nobody is identified by them.';
const APPROVERS = defineApproverRegistry({
  guild: { name: 'governance guild', codeowners: ['@acme/guild'], maxExceptionDays: 90 },
  approvers: [
    { id: 'privacy-officer@example.com', teams: ['governance-guild'], domains: [] },
    { id: 'crm-steward@example.com', teams: ['governance-guild'], domains: ['crm'] },
  ],
});
const lineage = sensitivityFollowsLineage(APPROVERS);

/** `<product id> [<finding>] <message>` for every finding of the rules on every product. */
function findings(mesh: Mesh, rules: readonly MeshRule[] = [lineage, subjectKeysDeclared]): string[] {
  return allProducts(mesh).flatMap((product) =>
    rules.flatMap((rule) =>
      (rule.checkProduct?.(product, { mesh, today: TODAY }) ?? []).map(
        (v) => `${product.id} ${rule.id}[${v.finding}] ${v.message}`,
      ),
    ),
  );
}

function loaded(root: string): Mesh {
  const result = tryLoadMesh({ root, cache: false });
  expect(result.problems.map((p) => formatProblem(p))).toEqual([]);
  return result.mesh as Mesh;
}

describe('the example mesh', () => {
  test('passes: campaign_performance declares the profile columns it drops, customer_profiles its subject key', () => {
    expect(findings(loaded(PROJECT_ROOT))).toEqual([]);
  });

  test('fails without the fix: the internal, mesh-wide campaign figures read customer profiles', () => {
    const root = copyExampleProject();
    const file = path.join(root, 'domains/marketing/products/campaign_performance.ts');
    const fixed = fs.readFileSync(file, 'utf8');
    const unfixed = fixed.replace(/\n\s*privacy: \{ removes: .*\},?\n/, '\n');
    expect(unfixed).not.toEqual(fixed);
    fs.writeFileSync(file, unfixed);
    const profiles = path.join(root, 'domains/customers/products/customer_profiles.ts');
    fs.writeFileSync(
      profiles,
      fs.readFileSync(profiles, 'utf8').replace(/\n\s*privacy: \{ subjectKeys: .*\},?\n/, '\n'),
    );

    const found = findings(loaded(root));
    expect(found).toEqual([
      expect.stringContaining(
        'customers/customer_profiles MESH-PRIV-002[privacy.subjectKeys] holds personal data (email, phone) but declares no subject key',
      ),
      expect.stringContaining(
        'marketing/campaign_performance MESH-PRIV-001[Input::customers/customer_profiles@1] reads sensitive data of customers/customer_profiles@1 — email, phone (pii) — but it is classified internal (needs confidential or stricter), it is visible to the whole mesh',
      ),
      // Downstream, the report built on the campaign figures inherits what they did not declare removed.
      expect.stringContaining(
        'marketing/campaign_roi_report MESH-PRIV-001[Input::marketing/campaign_performance@2] reads sensitive data of marketing/campaign_performance@2',
      ),
    ]);
  });
});

// --- In memory: a producer with personal data and products that read it ---------------------------------

const profiles = productSpec('profiles', {
  classification: 'confidential',
  schema: {
    columns: [
      { name: 'customer_id', type: 'string', description: 'Key.', required: true, primaryKey: true },
      { name: 'email', type: 'string', description: 'Email.', pii: true },
      { name: 'segment', type: 'string', description: 'Segment.' },
      { name: 'updated_at', type: 'timestamp', description: 'Last change.', required: true },
    ],
  },
  quality: [],
  privacy: { subjectKeys: ['customer_id'] },
  access: { visibility: 'consumers', consumers: [{ domain: 'marketing', purpose: 'Audience building' }] },
});

const derivedColumns = [
  { name: 'customer_id', type: 'string', description: 'Key.', required: true, primaryKey: true },
  { name: 'segment', type: 'string', description: 'Segment.' },
  { name: 'updated_at', type: 'timestamp', description: 'Last change.', required: true },
];

function derived(name: string, extra: Partial<ProductDefinitionInput> = {}): ProductDefinitionInput {
  return productSpec(name, {
    archetype: 'aggregate',
    schema: { format: 'iceberg', columns: derivedColumns },
    quality: [],
    inputs: ['crm/profiles@1'],
    build: {
      sql: 'SELECT p.customer_id, p.segment, p.updated_at FROM {input:crm/profiles@1} AS p',
      schedule: 'rate(1 day)',
      mode: 'full-refresh',
    },
    ...extra,
  });
}

function meshWith(...marketing: ProductDefinitionInput[]): Mesh {
  return buildMesh([
    { domain: domainSpec('crm'), products: [profiles] },
    { domain: domainSpec('marketing'), products: marketing },
    { domain: domainSpec('sales') },
  ]);
}

const dropsEmail = { removes: [{ input: 'crm/profiles@1', columns: ['email'], how: 'dropped' as const }] };
const withSql = (sql: string) => ({ sql, schedule: 'rate(1 day)', mode: 'full-refresh' as const });

describe('MESH-PRIV-001: a product reading personal data is as protected as its input', () => {
  test('an internal, mesh-wide product that reads profiles without declaring anything fails', () => {
    expect(findings(meshWith(derived('audience')))).toEqual([
      expect.stringContaining(
        'MESH-PRIV-001[Input::crm/profiles@1] reads sensitive data of crm/profiles@1 — email (pii) — but it is classified internal (needs confidential or stricter), it is visible to the whole mesh',
      ),
    ]);
  });

  test('protected like its input (confidential, consumers that may read the input, with a purpose) passes', () => {
    const audience = derived('audience', {
      classification: 'confidential',
      access: { visibility: 'consumers', consumers: [{ domain: 'crm', purpose: 'Audience review' }] },
    });
    expect(findings(meshWith(audience))).toEqual([]);
  });

  test('a consumer that may not read the input itself is named', () => {
    const audience = derived('audience', {
      classification: 'confidential',
      access: { visibility: 'consumers', consumers: [{ domain: 'sales', purpose: 'Upselling' }] },
    });
    expect(findings(meshWith(audience))).toEqual([
      expect.stringContaining('it is read by sales, which may not read crm/profiles itself'),
    ]);
  });

  test('declaring the personal columns dropped, with a build that never selects them, passes', () => {
    expect(findings(meshWith(derived('audience', { privacy: dropsEmail })))).toEqual([]);
  });

  test.each([
    [
      'selects the column under another name',
      'SELECT p.customer_id, p.email AS segment, p.updated_at FROM {input:crm/profiles@1} AS p',
      'line 1, column 23 uses p.email',
    ],
    [
      'selects it unqualified',
      'SELECT customer_id,\n  email AS segment, updated_at FROM {input:crm/profiles@1}',
      'line 2, column 3 uses email',
    ],
    [
      'passes it through a star',
      'SELECT q.customer_id, q.segment, q.updated_at FROM (SELECT p.* FROM {input:crm/profiles@1} p) AS q',
      'line 1, column 60 selects p.*, which passes it through',
    ],
    ['selects everything', 'SELECT *\nFROM {input:crm/profiles@1}', 'line 1, column 8 selects *'],
  ])('a build that declares email dropped but %s fails', (_, sql, says) => {
    const audience = derived('audience', { privacy: dropsEmail, build: withSql(sql) });
    const found = findings(meshWith(audience));
    expect(found).toEqual([
      expect.stringContaining(
        `privacy.removes[0]: declares column "email" of crm/profiles@1 dropped, but build.sql ${says}`,
      ),
    ]);
  });

  test('the column named in a comment, a string or another input’s alias is no use of it', () => {
    const sql = [
      '-- email is dropped here',
      "SELECT p.customer_id, 'email' AS segment, p.updated_at FROM {input:crm/profiles@1} AS p",
      'JOIN {input:crm/profiles@1} AS q ON q.customer_id = p.customer_id',
    ].join('\n');
    const audience = derived('audience', { privacy: dropsEmail, build: withSql(sql) });
    // q is an alias of the same input: q.customer_id is not email, and nothing else names it.
    expect(findings(meshWith(audience))).toEqual([]);
  });

  test('pseudonymized: inside a one-way hash passes, outside it fails', () => {
    const pseudonymized = { removes: [{ input: 'crm/profiles@1', columns: ['email'], how: 'pseudonymized' as const }] };
    const columns = [...derivedColumns, { name: 'email_hash', type: 'string', description: 'Hashed email.' }];
    const hashed = derived('hashed', {
      privacy: pseudonymized,
      schema: { format: 'iceberg', columns },
      build: withSql(
        'SELECT p.customer_id, p.segment, p.updated_at, to_hex(sha256(to_utf8(lower(p.email)))) AS email_hash FROM {input:crm/profiles@1} AS p',
      ),
    });
    const plain = derived('plain', {
      privacy: pseudonymized,
      schema: { format: 'iceberg', columns },
      build: withSql(
        'SELECT p.customer_id, p.segment, p.updated_at, lower(p.email) AS email_hash FROM {input:crm/profiles@1} AS p',
      ),
    });
    expect(findings(meshWith(hashed, plain))).toEqual([
      expect.stringContaining(
        'marketing/plain MESH-PRIV-001[Removal::crm/profiles@1.email] privacy.removes[0]: declares column "email" of crm/profiles@1 pseudonymized, but build.sql line 1, column 54 uses p.email outside a one-way hash',
      ),
    ]);
  });

  test('a dropped column that is still in the schema, or one the input does not have, fails', () => {
    const keeps = derived('keeps', {
      privacy: { removes: [{ input: 'crm/profiles@1', columns: ['email', 'phone'], how: 'dropped' }] },
      schema: { format: 'iceberg', columns: [...derivedColumns, { name: 'email', type: 'string', description: 'x' }] },
      build: withSql('SELECT p.customer_id, p.segment, p.updated_at, NULL AS email FROM {input:crm/profiles@1} AS p'),
    });
    expect(findings(meshWith(keeps))).toEqual([
      expect.stringContaining(
        'declares column "email" of crm/profiles@1 dropped, but its own schema has a column "email"',
      ),
      expect.stringContaining(
        'declares column "phone" of crm/profiles@1 removed, but crm/profiles@1 has no such column',
      ),
    ]);
  });

  test('sensitivity travels on: a protected copy that keeps the data makes its readers protect it too', () => {
    const copy = derived('copy', {
      classification: 'confidential',
      access: { visibility: 'consumers', consumers: [{ domain: 'crm', purpose: 'Review' }] },
      schema: { format: 'iceberg', columns: [...derivedColumns, { name: 'email', type: 'string', description: 'x' }] },
      build: withSql('SELECT p.customer_id, p.segment, p.updated_at, p.email FROM {input:crm/profiles@1} AS p'),
    });
    const report = derived('report', {
      inputs: ['marketing/copy@1'],
      build: withSql('SELECT c.customer_id, c.segment, c.updated_at FROM {input:marketing/copy@1} AS c'),
    });
    expect(findings(meshWith(copy, report))).toEqual([
      expect.stringContaining(
        'marketing/report MESH-PRIV-001[Input::marketing/copy@1] reads sensitive data of marketing/copy@1 — email (pii)',
      ),
    ]);
    // Dropping it one step later clears it.
    const clean = derived('report', {
      inputs: ['marketing/copy@1'],
      privacy: { removes: [{ input: 'marketing/copy@1', columns: ['email'], how: 'dropped' }] },
      build: withSql('SELECT c.customer_id, c.segment, c.updated_at FROM {input:marketing/copy@1} AS c'),
    });
    expect(findings(meshWith(copy, clean))).toEqual([]);
  });

  test('a restricted input cannot be cleared by dropping columns: only protection or a declassification', () => {
    const restricted = { ...profiles, name: 'risk', classification: 'restricted' as const };
    const reader = derived('scores', {
      inputs: ['crm/risk@1'],
      privacy: { removes: [{ input: 'crm/risk@1', columns: ['email'], how: 'dropped' }] },
      build: withSql('SELECT r.customer_id, r.segment, r.updated_at FROM {input:crm/risk@1} AS r'),
    });
    const mesh = buildMesh([
      { domain: domainSpec('crm'), products: [profiles, restricted] },
      { domain: domainSpec('marketing'), products: [reader] },
    ]);
    const found = findings(mesh);
    expect(found).toEqual([expect.stringContaining('crm/risk is classified restricted')]);
    expect(found[0]).not.toContain('declare what it removes');
  });
});

describe('MESH-PRIV-001: a declassification holds only when the guild approved it', () => {
  const declassified = (declassification: Record<string, unknown>) =>
    derived('audience', { privacy: { declassification } as ProductDefinitionInput['privacy'] });

  test('approved by a registered approver outside the domain, within the maximum: passes', () => {
    const product = declassified({ reason, approvedBy: 'privacy-officer@example.com', expires: '2027-01-31' });
    expect(findings(meshWith(product))).toEqual([]);
  });

  test.each([
    [
      'by someone not in the registry',
      { approvedBy: 'marketing-lead@example.com', expires: '2027-01-31' },
      'is approved by "marketing-lead@example.com", who is not an approver',
    ],
    ['past its expiry', { approvedBy: 'privacy-officer@example.com', expires: '2026-11-30' }, 'expired on 2026-11-30'],
    [
      'for longer than the guild allows',
      { approvedBy: 'privacy-officer@example.com', expires: '2027-12-31' },
      'the governance guild allows at most 90 days',
    ],
  ])('approved %s: fails', (_, fields, says) => {
    expect(findings(meshWith(declassified({ reason, ...fields })))).toEqual([expect.stringContaining(says)]);
  });

  test('approved by a member of the declassified domain: fails (the producer is not the approver’s domain)', () => {
    const crmProduct = derived('audience', {
      inputs: ['crm/profiles@1'],
      privacy: { declassification: { reason, approvedBy: 'crm-steward@example.com', expires: '2027-01-31' } },
    });
    const mesh = buildMesh([{ domain: domainSpec('crm'), products: [profiles, { ...crmProduct, name: 'audience' }] }]);
    expect(findings(mesh)).toEqual([
      expect.stringContaining('a member of domain crm: nobody declassifies their own domain'),
    ]);
  });
});

describe('privacy declarations that name what does not exist are definition errors', () => {
  test.each([
    [
      { subjectKeys: ['person_id'] },
      'privacy.subjectKeys[0]: subject key column "person_id" is not in the schema (columns: id, amount, updated_at)',
    ],
    [
      { removes: [{ input: 'crm/profiles@1', columns: ['email'], how: 'dropped' }] },
      'privacy.removes[0].input: "crm/profiles@1" is not one of the product\'s inputs (inputs: none)',
    ],
    [
      { declassification: { reason, approvedBy: 'a@example.com', expires: '2027-01-01', inputs: ['crm/x@1'] } },
      'privacy.declassification.inputs[0]: "crm/x@1" is not one of the product\'s inputs',
    ],
    [{ declassification: { reason, expires: '2027-01-01' } }, 'privacy.declassification.approvedBy: '],
    [
      { removes: [{ input: 'crm/profiles@1', columns: ['email'], how: 'masked' }] },
      'privacy.removes[0].how: must be one of "dropped", "pseudonymized"',
    ],
  ])('%j', (privacy, says) => {
    const root = makeTempProject({
      domains: { sales: { domain: validDomain('sales'), products: { orders: validProduct('orders', { privacy }) } } },
    });
    const result = tryLoadMesh({ root, cache: false });
    expect(result.problems.map((p) => formatProblem(p)).join('\n')).toMatch(
      new RegExp(`domains/sales/products/orders\\.ts:\\d+:\\d+: ${escapeRegExp(says)}`),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
