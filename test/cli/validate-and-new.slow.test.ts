import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempProject, PROJECT_ROOT, validDomain, validProduct } from '../support/temp-project';

function mesh(root: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), '--root', root, ...args], {
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx mesh validate', () => {
  test('prints a table of domains and products of the example mesh and exits 0', () => {
    const { code, stdout } = mesh(PROJECT_ROOT, 'validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Mesh-Sales\s+sales\/orders\s+2\.0\.0\s+source-aligned\s+active\s+internal\s+mesh\s+v2,v1/);
    expect(stdout).toContain('4 domains, 11 products, 10 input edges valid');
  });

  test('lists every problem as file:line:column: field: message and exits 1', () => {
    const root = makeTempProject({
      domains: {
        sales: {
          domain: validDomain('sales'),
          products: {
            orders: validProduct('orders', { version: '1' }),
            refunds: validProduct('refunds', { sla: 'daily' }),
          },
        },
      },
    });
    const { code, stderr } = mesh(root, 'validate');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /domains\/sales\/products\/orders\.ts:\d+:\d+: version: must be a semantic version such as 1\.2\.0/,
    );
    expect(stderr).toMatch(/domains\/sales\/products\/refunds\.ts:\d+:\d+: sla: expected object, got "daily"/);
    expect(stderr).toContain('2 definition problems; synth would fail for sales');
  });
});

describe('npx mesh new', () => {
  test('scaffolds a domain and a product whose only findings are the TODO texts to fill in', () => {
    const root = makeTempProject({ domains: {} });
    fs.rmSync(path.join(root, 'domains'), { recursive: true, force: true });
    expect(mesh(root, 'new', 'domain', 'finance').stdout).toContain('created domains/finance/domain.ts');
    expect(mesh(root, 'new', 'product', 'finance/invoices').stdout).toContain(
      'created domains/finance/products/invoices.ts',
    );
    const { code, stdout, stderr } = mesh(root, 'validate');
    // Structurally valid: listed, no definition problem; every error is a TODO to replace, and the draft's
    // missing contract lock is a warning until it is published.
    expect(stdout).toContain('finance/invoices');
    expect(stderr).toContain('warning [MESH-CON-003] domains/finance/products/invoices.ts');
    const lines = stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^error \[MESH-DEF-001\[.+\]\] domains\/finance\/.* still holds the scaffolded TODO text/);
    expect(code).toBe(1);
  });

  test('refuses to overwrite, bad names and unknown domains', () => {
    const root = makeTempProject({ domains: { sales: { domain: validDomain('sales') } } });
    expect(mesh(root, 'new', 'domain', 'sales')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('domains/sales/domain.ts already exists; nothing was written'),
    });
    expect(mesh(root, 'new', 'product', 'sales/Bad-Name')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('product name "Bad-Name" must be snake_case'),
    });
    expect(mesh(root, 'new', 'product', 'finance/invoices')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'domain "finance" does not exist; create it first with: npx mesh new domain finance',
      ),
    });
  });
});
