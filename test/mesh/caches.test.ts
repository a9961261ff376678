/**
 * The content-keyed caches behind a warm synth or validate: evaluated definitions per domain and lock checks
 * per product. A hit is proven by planting an answer in the cache and seeing it come back; every edit that can
 * change an answer must miss.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_ROOT } from '../../lib/cache/result-cache';
import { checkContracts } from '../../lib/contracts/check';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { tryLoadMesh } from '../../lib/mesh/load';
import { DEFINITION_CACHE_DIR } from '../../lib/mesh/sandbox/evaluation-cache';
import { copyExampleProject, makeTempProject, validDomain, validProduct } from '../support/temp-project';

const TODAY = '2026-12-01';

function project(): string {
  const root = makeTempProject({
    domains: {
      sales: { domain: validDomain('sales'), products: { orders: validProduct('orders') } },
      customers: { domain: validDomain('customers'), products: { profiles: validProduct('profiles') } },
    },
  });
  fs.writeFileSync(path.join(root, 'domains', 'sales', 'common.ts'), "export const PURPOSE = 'Orders as placed.';\n");
  return root;
}

function entries(root: string): string[] {
  const dir = path.join(root, DEFINITION_CACHE_DIR);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function purposeOf(root: string, product: string): string | undefined {
  const result = tryLoadMesh({ root });
  return result.partial.domains.flatMap((d) => d.products).find((p) => p.id === product)?.definition.description
    .purpose;
}

/** Rewrites every cached answer of a domain so a hit is visible in the loaded mesh. */
function plant(root: string, domain: string, purpose: string): void {
  const dir = path.join(root, DEFINITION_CACHE_DIR);
  for (const name of entries(root).filter((n) => n.startsWith(`${domain}--`))) {
    const entry = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    for (const answer of Object.values(entry) as { value?: { description?: unknown } }[]) {
      const description = answer.value?.description;
      if (description && typeof description === 'object') (description as { purpose: string }).purpose = purpose;
    }
    fs.writeFileSync(path.join(dir, name), JSON.stringify(entry));
  }
  // The parse of the same content is kept too: drop it, so the planted evaluation is what gets parsed.
  const parsed = path.join(root, CACHE_ROOT, 'parsed');
  for (const name of fs.existsSync(parsed) ? fs.readdirSync(parsed) : []) {
    if (name.startsWith(`${domain}--`)) fs.rmSync(path.join(parsed, name));
  }
}

describe('evaluated definitions are kept per domain, by the content of the domain folder', () => {
  test('an unchanged domain is answered from the cache; one entry per domain', () => {
    const root = project();
    expect(purposeOf(root, 'sales/orders')).toBe('The orders product.');
    expect(entries(root).map((n) => n.split('--')[0])).toEqual(['customers', 'sales']);
    plant(root, 'sales', 'planted');
    expect(purposeOf(root, 'sales/orders')).toBe('planted');
    expect(purposeOf(root, 'customers/profiles')).toBe('The profiles product.');
  });

  test('editing a product file, or a helper it imports, is seen on the next load', () => {
    const root = project();
    const file = path.join(root, 'domains', 'sales', 'products', 'orders.ts');
    purposeOf(root, 'sales/orders');
    plant(root, 'sales', 'planted');
    fs.writeFileSync(
      file,
      `import { PURPOSE } from '../common';\nexport default ${JSON.stringify(validProduct('orders'))};\n`.replace(
        '"The orders product."',
        'PURPOSE',
      ),
    );
    expect(purposeOf(root, 'sales/orders')).toBe('Orders as placed.');
    fs.writeFileSync(path.join(root, 'domains', 'sales', 'common.ts'), "export const PURPOSE = 'Orders, edited.';\n");
    expect(purposeOf(root, 'sales/orders')).toBe('Orders, edited.');
    // The domain's earlier entries are replaced, not piled up.
    expect(entries(root).filter((n) => n.startsWith('sales--'))).toHaveLength(1);
  });

  test('a new file in the domain and a definition mistake are seen; a lock file does not invalidate', () => {
    const root = project();
    purposeOf(root, 'sales/orders');
    const before = entries(root);
    fs.writeFileSync(path.join(root, 'domains', 'sales', 'products', 'orders.contract.lock.json'), '{}');
    purposeOf(root, 'sales/orders');
    expect(entries(root)).toEqual(before);
    fs.writeFileSync(
      path.join(root, 'domains', 'sales', 'products', 'refunds.ts'),
      `export default ${JSON.stringify(validProduct('refunds', { version: 'one' }))};\n`,
    );
    const result = tryLoadMesh({ root });
    expect(result.problems.map((p) => `${p.file} ${p.path}`)).toContain('domains/sales/products/refunds.ts version');
    // The mistake is itself an answer that repeats: a second load reports it the same way.
    expect(tryLoadMesh({ root }).problems).toEqual(result.problems);
  });

  test('a per-file check that fails (name against file name) is reported on every load, cached or not', () => {
    const root = project();
    fs.writeFileSync(
      path.join(root, 'domains', 'sales', 'products', 'refunds.ts'),
      `export default ${JSON.stringify(validProduct('not_refunds'))};\n`,
    );
    const first = tryLoadMesh({ root }).problems.filter((p) => p.file.endsWith('refunds.ts'));
    expect(first.length).toBeGreaterThan(0);
    expect(tryLoadMesh({ root }).problems.filter((p) => p.file.endsWith('refunds.ts'))).toStrictEqual(first);
  });

  test('an answer that may not repeat (the sandbox timed out) is not kept', () => {
    const root = project();
    fs.writeFileSync(
      path.join(root, 'domains', 'sales', 'products', 'orders.ts'),
      'while (true) {}\nexport default {};\n',
    );
    const result = tryLoadMesh({ root, sandbox: { timeoutMs: 300 } });
    expect(result.problems.some((p) => p.file === 'domains/sales/products/orders.ts')).toBe(true);
    expect(entries(root).filter((n) => n.startsWith('sales--'))).toEqual([]);
  });

  test('a warm load of the example mesh is exactly a fresh one (evaluated and parsed definitions)', () => {
    const root = copyExampleProject();
    const fresh = tryLoadMesh({ root, cache: false });
    tryLoadMesh({ root });
    const warm = tryLoadMesh({ root });
    expect(fs.readdirSync(path.join(root, CACHE_ROOT, 'parsed')).length).toBe(fresh.partial.domains.length);
    expect(warm.partial).toStrictEqual(fresh.partial);
    expect(warm.problems).toStrictEqual(fresh.problems);
  });

  test('cache: false evaluates afresh and keeps nothing', () => {
    const root = project();
    tryLoadMesh({ root, cache: false });
    expect(entries(root)).toEqual([]);
  });
});

describe('lock checks are kept per product, by lock text, definition and day', () => {
  function locked() {
    const root = project();
    const mesh = tryLoadMesh({ root }).mesh!;
    for (const product of mesh.domains.flatMap((d) => d.products)) {
      writeLockFile(root, lockFilePath(product), planLock(product, undefined, TODAY).lock);
    }
    return { root, mesh };
  }

  test('a lock edited by hand after a clean check is caught on the next check', () => {
    const { root, mesh } = locked();
    expect(checkContracts(mesh, root, TODAY)).toEqual([]);
    expect(checkContracts(mesh, root, TODAY)).toEqual([]);
    const file = path.join(root, 'domains', 'sales', 'products', 'orders.contract.lock.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"1.0.0"', '"1.0.1"'));
    expect(checkContracts(mesh, root, TODAY).map((f) => `${f.ruleId} ${f.productId}`)).toEqual([
      'MESH-CON-006 sales/orders',
    ]);
  });

  test('a removed lock and a changed definition are caught; findings keep their product', () => {
    const { root, mesh } = locked();
    checkContracts(mesh, root, TODAY);
    fs.rmSync(path.join(root, 'domains', 'customers', 'products', 'profiles.contract.lock.json'));
    const missing = checkContracts(mesh, root, TODAY);
    expect(missing.map((f) => f.ruleId)).toEqual(['MESH-CON-003']);
    expect(checkContracts(mesh, root, TODAY)[0].product?.id).toBe('customers/profiles');
    const sales = mesh.domains.find((d) => d.name === 'sales')!;
    const [orders] = sales.products;
    const changed = {
      ...mesh,
      domains: mesh.domains.map((d) =>
        d !== sales
          ? d
          : {
              ...d,
              products: [
                {
                  ...orders,
                  versions: [
                    {
                      ...orders.versions[0],
                      schema: { ...orders.versions[0].schema, columns: orders.versions[0].schema.columns.slice(0, 2) },
                    },
                  ],
                },
              ],
            },
      ),
    };
    expect(checkContracts(changed, root, TODAY).map((f) => `${f.ruleId} ${f.productId}`)).toContain(
      'MESH-CON-001 sales/orders',
    );
  });
});
