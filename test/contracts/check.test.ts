import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkContracts } from '../../lib/contracts/check';
import { type ContractFinding, contractProblem } from '../../lib/contracts/finding';
import { lockFilePath, planLock, serializeLock } from '../../lib/contracts/lock';
import { orphanedContracts } from '../../lib/contracts/orphans';
import { CONTRACT_RULES } from '../../lib/contracts/rules';
import type { ProductDefinitionInput } from '../../lib/definition/schema';
import { loadMesh } from '../../lib/mesh/load';
import type { Mesh, MeshProduct } from '../../lib/mesh/model';
import { formatProblem } from '../../lib/mesh/problems';
import { meshOf, ordersInput, PROJECT_ROOT, productOf, tempRoot, writeFile } from './fixtures';

const TODAY = '2026-11-22';

/** Writes the lock `input` would produce, as the lock command does. */
function lockAs(root: string, input: ProductDefinitionInput, domain = 'sales'): void {
  const product = productOf(input, domain);
  writeFile(root, lockFilePath(product), serializeLock(planLock(product, undefined, TODAY).lock));
}

function summary(findings: readonly ContractFinding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${f.productId}`);
}

/** Checks a mesh of one orders product defined by `now`, against a lock written from `published`. */
function checkOrders(now: ProductDefinitionInput, published?: ProductDefinitionInput, today = TODAY) {
  const root = tempRoot();
  if (published) lockAs(root, published);
  return checkContracts(meshOf([{ domain: 'sales', input: now }]), root, today);
}

describe('checkContracts on the example mesh', () => {
  test(`finds no errors and no warnings on ${TODAY}`, () => {
    const mesh = loadMesh({ root: PROJECT_ROOT });
    expect(summary(checkContracts(mesh, PROJECT_ROOT, TODAY))).toEqual([]);
  });
});

describe('MESH-CON-001 breaking change without a major bump', () => {
  test('lists each breaking change, with the fix', () => {
    const columns = ordersInput().schema.columns.filter((c) => c.name !== 'note');
    const changed = ordersInput({ schema: { format: 'json', columns } });
    const [finding, ...rest] = checkOrders(changed, ordersInput());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'MESH-CON-001',
      severity: 'error',
      productId: 'sales/orders',
      file: 'domains/sales/products/orders.ts',
    });
    expect(finding.product?.id).toBe('sales/orders');
    expect(finding.message).toContain('v2 of sales/orders has 2 breaking changes');
    expect(finding.message).toContain('column note removed; consumers that select it fail [schema.columns.note]');
    expect(finding.message).toContain('storage format changed from parquet to json');
    expect(finding.changes?.map((c) => c.kind)).toEqual(['format-changed', 'column-removed']);
    expect(finding.fix).toContain('publish it as 3.0.0 and keep v2 in previousVersions with a sunset date');
  });

  test('a new major with the old one kept in previousVersions is fine (after re-locking)', () => {
    const v2 = ordersInput();
    const v3 = ordersInput({
      version: '3.0.0',
      schema: { format: 'json', columns: v2.schema.columns },
      previousVersions: [{ version: '2.0.0', sunset: '2027-06-30', schema: v2.schema }],
    });
    expect(summary(checkOrders(v3, v2))).toEqual(['MESH-CON-002 error sales/orders']);
  });

  test('is a warning for a draft product', () => {
    const draft = ordersInput({ status: 'draft' });
    const changed = { ...draft, schema: { ...draft.schema, format: 'json' as const } };
    expect(summary(checkOrders(changed, draft))).toEqual([
      'MESH-CON-001 warning sales/orders',
      'MESH-CON-002 warning sales/orders',
    ]);
  });
});

describe('MESH-CON-002 definition changed but lock not updated', () => {
  test('an informational change asks for a re-lock', () => {
    const changed = ordersInput({ tags: ['orders', 'finance'] });
    const findings = checkOrders(changed, ordersInput());
    expect(summary(findings)).toEqual(['MESH-CON-002 error sales/orders']);
    expect(findings[0].message).toBe(
      'the contract of sales/orders differs from domains/sales/products/orders.contract.lock.json (v2 changed)',
    );
    expect(findings[0].fix).toBe(
      'run npx mesh contract lock sales/orders and commit domains/sales/products/orders.contract.lock.json',
    );
  });

  test('a new major that is not locked yet asks for a re-lock', () => {
    const v2 = ordersInput();
    const v3 = ordersInput({
      version: '3.0.0',
      previousVersions: [{ version: '2.0.0', sunset: '2027-06-30', schema: v2.schema }],
    });
    expect(checkOrders(v3, v2)[0].message).toContain('v3 new)');
  });
});

describe('MESH-CON-003 missing lock', () => {
  test('is an error for a published product', () => {
    const findings = checkOrders(ordersInput());
    expect(summary(findings)).toEqual(['MESH-CON-003 error sales/orders']);
    expect(findings[0].fix).toBe(
      'run npx mesh contract lock sales/orders and commit domains/sales/products/orders.contract.lock.json',
    );
  });

  test('is a warning for a draft', () => {
    expect(summary(checkOrders(ordersInput({ status: 'draft' })))).toEqual(['MESH-CON-003 warning sales/orders']);
  });
});

describe('MESH-CON-004 version does not follow the change', () => {
  const withCoupon = (version: string) =>
    ordersInput({
      version,
      schema: {
        ...ordersInput().schema,
        columns: [...ordersInput().schema.columns, { name: 'coupon', type: 'string' }],
      },
    });

  test('an additive change without a minor bump is a warning, and re-locking is still the way out', () => {
    const findings = checkOrders(withCoupon('2.0.1'), ordersInput());
    expect(summary(findings)).toEqual(['MESH-CON-004 warning sales/orders', 'MESH-CON-002 error sales/orders']);
    expect(findings[0].message).toContain('1 compatible change (column-added) without a minor bump: 2.0.0 → 2.0.1');
    expect(findings[0].fix).toBe('set the version to 2.1.0');
  });

  test('with the minor bump only the re-lock is asked for', () => {
    expect(summary(checkOrders(withCoupon('2.1.0'), ordersInput()))).toEqual(['MESH-CON-002 error sales/orders']);
  });

  test('a version below the locked one is an error', () => {
    const findings = checkOrders(ordersInput({ version: '2.0.0' }), ordersInput({ version: '2.2.0' }));
    expect(summary(findings)).toEqual(['MESH-CON-004 error sales/orders']);
    expect(findings[0].message).toBe(
      'sales/orders v2: version 2.0.0 is below the locked 2.2.0; a published version never goes backwards',
    );
  });

  test('a current major below a locked major is an error', () => {
    const v2 = ordersInput();
    const v3 = ordersInput({
      version: '3.0.0',
      previousVersions: [{ version: '2.0.0', sunset: '2027-06-30', schema: v2.schema }],
    });
    const findings = checkOrders(v2, v3).filter((f) => f.ruleId === 'MESH-CON-004');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: 'sales/orders v2: current major 2 is below major 3, which the lock already records as published',
    });
  });
});

describe('MESH-CON-005 product removed or renamed before it was retired', () => {
  const REFUNDS_LOCK = 'domains/sales/products/refunds.contract.lock.json';

  /** A root holding the orders lock and the lock `refunds` wrote; the refunds file itself is gone. */
  function removedRefunds(refunds: Partial<ProductDefinitionInput> = {}): string {
    const root = tempRoot();
    lockAs(root, ordersInput());
    lockAs(root, ordersInput({ name: 'refunds', ...refunds }));
    return root;
  }
  const ordersOnly = () => meshOf([{ domain: 'sales', input: ordersInput() }]);

  test('a removed live product is an error on the domain, naming the lock, the majors and the safe rename', () => {
    const findings = orphanedContracts(removedRefunds(), ordersOnly(), TODAY);
    expect(findings).toEqual([
      {
        ruleId: 'MESH-CON-005',
        severity: 'error',
        productId: 'sales/refunds',
        domain: 'sales',
        file: REFUNDS_LOCK,
        message: `domains/sales/products/refunds.ts was removed, but ${REFUNDS_LOCK} records the published contract of sales/refunds (v2 2.0.0) and does not record it as deprecated; its tables would leave the sales stack and its data would be orphaned`,
        fix: `restore domains/sales/products/refunds.ts (from version control). To rename or remove it safely: add the new product as its own file, move the consumers' inputs (and the pipelines writing the data) to it, set status: 'deprecated' and sunset: 'YYYY-MM-DD' in domains/sales/products/refunds.ts, run npx mesh contract lock sales/refunds; after the sunset delete domains/sales/products/refunds.ts again and keep ${REFUNDS_LOCK} as its tombstone`,
      },
    ]);
    // No product: the policy engine attaches it to the domain, so only the sales stack fails.
    expect(findings[0].product).toBeUndefined();
    expect(summary(checkContracts(ordersOnly(), removedRefunds(), TODAY))).toEqual([
      'MESH-CON-005 error sales/refunds',
    ]);
  });

  test('a deprecated product removed before its sunset is an error that says until when to keep it', () => {
    const root = removedRefunds({ status: 'deprecated', sunset: '2026-12-31' });
    const [finding] = orphanedContracts(root, ordersOnly(), TODAY);
    expect(finding.message).toContain('its sunset 2026-12-31 has not passed (today is 2026-11-22)');
    expect(finding.fix).toBe(
      `restore domains/sales/products/refunds.ts (from version control) and keep it until its sunset 2026-12-31; after the sunset delete domains/sales/products/refunds.ts again and keep ${REFUNDS_LOCK} as its tombstone`,
    );
    // The sunset day itself is still served.
    expect(orphanedContracts(root, ordersOnly(), '2026-12-31')).toHaveLength(1);
  });

  test('after the sunset the lock is a tombstone: the product file may be gone', () => {
    const root = removedRefunds({ status: 'deprecated', sunset: '2026-12-31' });
    expect(orphanedContracts(root, ordersOnly(), '2027-01-01')).toEqual([]);
    expect(summary(checkContracts(ordersOnly(), root, '2027-01-01'))).toEqual([]);
  });

  test('a retired product with a passed sunset may go too; without a sunset it may not', () => {
    expect(orphanedContracts(removedRefunds({ status: 'retired', sunset: '2026-10-31' }), ordersOnly(), TODAY)).toEqual(
      [],
    );
    const [finding] = orphanedContracts(removedRefunds({ status: 'deprecated' }), ordersOnly(), TODAY);
    expect(finding.message).toContain('and records it as deprecated without a sunset');
  });

  test('a product whose file exists but is not in the mesh (it failed to load) is not a removal', () => {
    const root = removedRefunds();
    writeFile(root, 'domains/sales/products/refunds.ts', 'export default {};\n');
    expect(orphanedContracts(root, ordersOnly(), TODAY)).toEqual([]);
  });

  test('a likely rename is named: a new product of the domain, without a lock, with most of the columns', () => {
    const root = removedRefunds();
    const renamed = meshOf([
      { domain: 'sales', input: ordersInput() },
      { domain: 'sales', input: ordersInput({ name: 'refund_events', version: '1.0.0' }) },
    ]);
    const [finding] = orphanedContracts(root, renamed, TODAY);
    expect(finding.message).toContain(
      "; if it was renamed to sales/refund_events (domains/sales/products/refund_events.ts, not locked yet, 100% of the columns), the data stays under the old name's prefix and its consumers lose it",
    );
  });

  test('an unreadable lock of a removed product is MESH-CON-006 on the domain', () => {
    const root = tempRoot();
    writeFile(root, REFUNDS_LOCK, '{ not json');
    const [finding] = orphanedContracts(root, ordersOnly(), TODAY);
    expect(finding).toMatchObject({ ruleId: 'MESH-CON-006', severity: 'error', domain: 'sales', file: REFUNDS_LOCK });
    expect(finding.product).toBeUndefined();
    expect(finding.message).toContain('so this lock cannot tell whether sales/refunds was retired');
  });

  test('a hand-written retirement is caught: the lock must name its own product', () => {
    const root = tempRoot();
    lockAs(root, ordersInput({ status: 'deprecated', sunset: '2026-01-31' }));
    fs.renameSync(path.join(root, 'domains/sales/products/orders.contract.lock.json'), path.join(root, REFUNDS_LOCK));
    expect(
      orphanedContracts(root, meshOf([{ domain: 'sales', input: ordersInput({ name: 'other' }) }]), TODAY),
    ).toEqual([
      expect.objectContaining({ ruleId: 'MESH-CON-006', message: expect.stringContaining('names "sales/orders"') }),
    ]);
  });

  test('as a definition problem for mesh validate: file, rule, message and fix', () => {
    const [finding] = orphanedContracts(removedRefunds(), ordersOnly(), TODAY);
    const problem = contractProblem(finding);
    expect(problem).toMatchObject({ file: REFUNDS_LOCK, path: '' });
    expect(formatProblem(problem)).toMatch(
      /^domains\/sales\/products\/refunds\.contract\.lock\.json: \[MESH-CON-005\] domains\/sales\/products\/refunds\.ts was removed, .*; fix: restore /,
    );
  });
});

describe('deprecating a product', () => {
  test('the lock records status and sunset, so a stale lock asks for a re-lock that names them', () => {
    const root = tempRoot();
    lockAs(root, ordersInput());
    const findings = checkContracts(
      meshOf([{ domain: 'sales', input: ordersInput({ status: 'deprecated', sunset: '2027-06-30' }) }]),
      root,
      TODAY,
    );
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      [
        'MESH-CON-002',
        'the contract of sales/orders differs from domains/sales/products/orders.contract.lock.json (status live → deprecated until 2027-06-30)',
      ],
    ]);
    const lock = planLock(
      productOf(ordersInput({ status: 'deprecated', sunset: '2027-06-30' })),
      undefined,
      TODAY,
    ).lock;
    expect(lock).toMatchObject({ status: 'deprecated', sunset: '2027-06-30' });
    expect(Object.keys(lock)).toEqual(['$comment', 'lockVersion', 'product', 'status', 'sunset', 'majors']);
  });

  test('a live product records neither, so existing locks do not change', () => {
    const lock = planLock(productOf(ordersInput()), undefined, TODAY).lock;
    expect(lock.status).toBeUndefined();
    expect(lock.sunset).toBeUndefined();
  });

  test('a sunset on a product that is not deprecated or retired is a definition problem', () => {
    expect(() => productOf(ordersInput({ sunset: '2027-06-30' }))).toThrow(
      `domains/sales/products/orders.ts:sunset: a sunset applies to a deprecated or retired product, but status is "active"`,
    );
  });
});

describe('MESH-CON-006 invalid lock file', () => {
  test('names the file and the field', () => {
    const root = tempRoot();
    writeFile(
      root,
      'domains/sales/products/orders.contract.lock.json',
      '{"lockVersion": 2, "product": "sales/orders"}',
    );
    const findings = checkContracts(meshOf([{ domain: 'sales', input: ordersInput() }]), root, TODAY);
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'MESH-CON-006',
        'error',
        'domains/sales/products/orders.contract.lock.json:lockVersion: must be one of 1, got number 2',
      ],
      [
        'MESH-CON-006',
        'error',
        'domains/sales/products/orders.contract.lock.json:majors: is required (expected array)',
      ],
    ]);
  });
});

describe('MESH-CON-007 / 008 sunsets', () => {
  /** orders 2.0.0 with v1 until `sunset`, and shipments reading orders@1. */
  function sunsetMesh(sunset: string): Mesh {
    const orders = ordersInput({
      previousVersions: [{ version: '1.3.0', sunset, schema: ordersInput().schema }],
    });
    const shipments = ordersInput({ name: 'shipments', version: '1.0.0', inputs: ['sales/orders@1'] });
    return meshOf([
      { domain: 'sales', input: orders },
      { domain: 'fulfillment', input: shipments },
    ]);
  }

  function sunsetFindings(sunset: string, today: string): ContractFinding[] {
    const mesh = sunsetMesh(sunset);
    const root = tempRoot();
    for (const domain of mesh.domains) {
      for (const product of domain.products) {
        writeFile(root, lockFilePath(product), serializeLock(planLock(product, undefined, today).lock));
      }
    }
    return checkContracts(mesh, root, today);
  }

  test('no finding more than 30 days ahead', () => {
    expect(sunsetFindings('2027-03-31', '2027-02-28')).toEqual([]);
  });

  test('a warning on the consumer within 30 days', () => {
    const findings = sunsetFindings('2027-03-31', '2027-03-01');
    expect(summary(findings)).toEqual(['MESH-CON-007 warning fulfillment/shipments']);
    expect(findings[0].file).toBe('domains/fulfillment/products/shipments.ts');
    expect(findings[0].message).toBe(
      'fulfillment/shipments reads sales/orders@1, whose sunset is 2027-03-31 (in 30 days)',
    );
    expect(findings[0].fix).toContain('change "sales/orders@1" to "sales/orders@2" in the inputs of');
  });

  test('still a warning on the sunset day itself (the last day served)', () => {
    expect(summary(sunsetFindings('2027-03-31', '2027-03-31'))).toEqual(['MESH-CON-007 warning fulfillment/shipments']);
  });

  test('after the date: an error on the consumer and on the producer still serving it', () => {
    const findings = sunsetFindings('2027-03-31', '2027-04-02');
    expect(summary(findings)).toEqual(['MESH-CON-007 error fulfillment/shipments', 'MESH-CON-008 error sales/orders']);
    expect(findings[0].message).toBe(
      'fulfillment/shipments reads sales/orders@1, whose sunset was 2027-03-31 (2 days ago); the producer may remove it at any time',
    );
    expect(findings[1]).toMatchObject({
      file: 'domains/sales/products/orders.ts',
      message: 'sales/orders still serves v1 (1.3.0) after its sunset 2027-03-31',
    });
    expect(findings[1].fix).toContain('the files under its prefix are retained');
  });

  test('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => checkContracts(sunsetMesh('2027-03-31'), tempRoot(), '22/11/2026')).toThrow(
      'today must be a real calendar date written YYYY-MM-DD, got "22/11/2026"',
    );
  });
});

describe('MESH-CON-007 / 008 on a deprecated product', () => {
  /** orders 2.0.0 deprecated until `sunset`, shipments reading orders@2; every product locked as defined. */
  function endingFindings(sunset: string, today: string): ContractFinding[] {
    const mesh = meshOf([
      { domain: 'sales', input: ordersInput({ status: 'deprecated', sunset }) },
      {
        domain: 'fulfillment',
        input: ordersInput({ name: 'shipments', version: '1.0.0', inputs: ['sales/orders@2'] }),
      },
    ]);
    const root = tempRoot();
    for (const product of mesh.domains.flatMap((d) => d.products)) {
      writeFile(root, lockFilePath(product), serializeLock(planLock(product, undefined, today).lock));
    }
    return checkContracts(mesh, root, today);
  }

  test('consumers are warned 30 days ahead that the whole product ends', () => {
    expect(endingFindings('2027-06-30', '2027-05-30')).toEqual([]);
    const [finding] = endingFindings('2027-06-30', '2027-06-01');
    expect(finding).toMatchObject({
      ruleId: 'MESH-CON-007',
      severity: 'warning',
      productId: 'fulfillment/shipments',
      message: 'fulfillment/shipments reads sales/orders@2, whose product ends 2027-06-30 (in 29 days)',
    });
    expect(finding.fix).toContain(
      'remove "sales/orders@2" from the inputs of domains/fulfillment/products/shipments.ts',
    );
  });

  test('after the sunset: an error on the consumer, and on the producer still defining it', () => {
    const findings = endingFindings('2027-06-30', '2027-07-01');
    expect(summary(findings)).toEqual(['MESH-CON-007 error fulfillment/shipments', 'MESH-CON-008 error sales/orders']);
    expect(findings[1].message).toBe('sales/orders is still defined after its sunset 2027-06-30');
    expect(findings[1].fix).toContain(
      'then delete domains/sales/products/orders.ts and keep domains/sales/products/orders.contract.lock.json as the tombstone',
    );
  });

  test('a major ending before the product is announced by its own sunset', () => {
    const orders = ordersInput({
      status: 'deprecated',
      sunset: '2027-12-31',
      previousVersions: [{ version: '1.3.0', sunset: '2027-03-31', schema: ordersInput().schema }],
    });
    const mesh = meshOf([
      { domain: 'sales', input: orders },
      {
        domain: 'fulfillment',
        input: ordersInput({ name: 'shipments', version: '1.0.0', inputs: ['sales/orders@1'] }),
      },
    ]);
    const root = tempRoot();
    for (const product of mesh.domains.flatMap((d) => d.products)) {
      writeFile(root, lockFilePath(product), serializeLock(planLock(product, undefined, TODAY).lock));
    }
    const [finding] = checkContracts(mesh, root, '2027-03-20');
    expect(finding.message).toBe('fulfillment/shipments reads sales/orders@1, whose sunset is 2027-03-31 (in 11 days)');
  });
});

describe('MESH-CON-009 two majors on one table', () => {
  test('is an error naming both', () => {
    const mesh = meshOf([{ domain: 'sales', input: ordersInput() }]);
    const orders = mesh.domains[0].products[0];
    // The loader rejects a major listed twice; the rule guards any other way to the same name.
    const twice: MeshProduct = { ...orders, versions: [orders.versions[0], { ...orders.versions[0], current: false }] };
    const broken: Mesh = { ...mesh, domains: [{ ...mesh.domains[0], products: [twice] }] };
    const root = tempRoot();
    lockAs(root, ordersInput());
    const findings = checkContracts(broken, root, TODAY).filter((f) => f.ruleId === 'MESH-CON-009');
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['error', 'sales/orders@2 and sales/orders@2 all resolve to table orders_v2 in the sales database'],
    ]);
  });
});

describe('rule metadata', () => {
  test('documents MESH-CON-001 … 009 once each, with title, explanation and fix', () => {
    expect(CONTRACT_RULES.map((r) => r.id)).toEqual([
      'MESH-CON-001',
      'MESH-CON-002',
      'MESH-CON-003',
      'MESH-CON-004',
      'MESH-CON-005',
      'MESH-CON-006',
      'MESH-CON-007',
      'MESH-CON-008',
      'MESH-CON-009',
    ]);
    for (const rule of CONTRACT_RULES) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(['error', 'warning']).toContain(rule.severity);
    }
  });
});
