/**
 * Definitions are data: what a hostile or careless definition file can try, and what it gets. Each attempt
 * is a problem of its own file (its domain is blocked), never a change to the platform, the synth process
 * or another domain's definitions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';

const HELPERS = "import { defineProduct } from '../../../lib/definition';\n";
const valid = (name: string) => JSON.stringify(validProduct(name), null, 2);

/** A mesh with a healthy `sales` domain and an `attacker` domain whose product file is `source`. */
function load(source: string, prepare: (root: string) => void = () => {}) {
  const root = makeTempProject({
    domains: {
      sales: { domain: validDomain('sales'), products: { orders: validProduct('orders') } },
      attacker: { domain: validDomain('attacker'), products: { evil: source } },
    },
  });
  prepare(root);
  const result = tryLoadMesh({ root, sandbox: { timeoutMs: 1500 } });
  return { root, result, text: result.problems.map(formatProblem).join('\n') };
}

/** The healthy domain loaded untouched, and only the attacker's domain is blocked. */
function expectContained(result: ReturnType<typeof tryLoadMesh>) {
  expect([...result.blocked.keys()]).toEqual(['attacker']);
  const orders = result.partial.domains.find((d) => d.name === 'sales')?.products[0];
  expect(orders?.definition.version).toBe('1.0.0');
  expect(orders?.definition.schema.columns.map((c) => c.name)).toEqual(['id', 'amount', 'updated_at']);
}

describe('a value that is not plain data is an error naming the file and the field', () => {
  test.each([
    [
      'a function',
      `${HELPERS}export default defineProduct({ ...${valid('evil')}, title: () => 'x' } as any);`,
      'title: is a function',
    ],
    [
      'a getter',
      `${HELPERS}export default defineProduct({ ...${valid('evil')}, get version() { return '1.0.0'; } } as any);`,
      'version: is a getter or setter',
    ],
    [
      'a class instance',
      `class Sla { updateFrequency = 'daily'; retention = '1 year'; }\nexport default { ...${valid('evil')}, sla: new Sla() };`,
      'sla: is an instance of Sla',
    ],
    [
      'a Proxy',
      `export default { ...${valid('evil')}, access: new Proxy({ visibility: 'mesh' }, {}) };`,
      'access: is a Proxy',
    ],
    ['a Date', `export default { ...${valid('evil')}, tags: [new Date()] };`, 'tags[0]: is an instance of Date'],
    ['a symbol key', `export default { ...${valid('evil')}, [Symbol('x')]: 1 };`, 'has a symbol key (x)'],
    ['a default export that is a Proxy', `export default new Proxy(${valid('evil')}, {});`, 'is a Proxy'],
  ])('%s', (_name, source, expected) => {
    const { result, text } = load(source);
    expect(text).toMatch(new RegExp(`domains/attacker/products/evil\\.ts(:\\d+:\\d+)?: .*${escapeRegExp(expected)}`));
    expectContained(result);
  });
});

describe('a definition cannot reach the platform', () => {
  test.each([
    [
      'the rule registry',
      "import { PLATFORM_RULES } from '../../../lib/policies';\nexport default { n: PLATFORM_RULES };",
    ],
    ['the loader', "import { tryLoadMesh } from '../../../lib/mesh/load';\nexport default { n: tryLoadMesh };"],
    ['aws-cdk-lib', "import { App } from 'aws-cdk-lib';\nexport default { n: App };"],
    ['node built-ins', "import * as fs from 'node:fs';\nexport default { n: fs.readFileSync('cdk.json', 'utf8') };"],
    [
      'another domain',
      "import orders from '../../sales/products/orders';\nexport default { ...orders, name: 'evil' };",
    ],
    [
      'the definition schemas (only the marker functions are exported)',
      "import { ProductDefinitionSchema } from '../../../lib/definition';\nexport default { n: ProductDefinitionSchema };",
    ],
  ])('importing %s is an error at the import', (_name, source) => {
    const { result, text } = load(source);
    expect(text).toMatch(/domains\/attacker\/products\/evil\.ts:1:\d+: /);
    expect(text).toMatch(/cannot import|No matching export/);
    expectContained(result);
  });

  test('a symlink inside the domain folder does not carry a platform file across the boundary', () => {
    const { result, text } = load(
      "import { PLATFORM_RULES } from './platform/index';\nexport default { n: PLATFORM_RULES };",
      (root) =>
        fs.symlinkSync(
          path.join(root, 'lib', 'policies'),
          path.join(root, 'domains', 'attacker', 'products', 'platform'),
        ),
    );
    expect(text).toContain('cannot import "./platform/index"');
    expect([...result.blocked.keys()]).toEqual(['attacker']);
  });

  test('side effects stay in the sandbox: environment, files, globals, the process', () => {
    const marker = path.join(os.tmpdir(), `mesh-sandbox-${process.pid}-${Date.now()}`);
    const source = `
      const g = globalThis as any;
      g.process.env.CDK_VALIDATION = 'false';
      try { g.process.getBuiltinModule?.('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); } catch {}
      Array.prototype.map = () => [];
      Object.defineProperty(Object.prototype, 'version', { get: () => '9.9.9', configurable: true });
      export default ${valid('evil')};
    `;
    const before = process.env.CDK_VALIDATION;
    const { result } = load(source);
    expect(process.env.CDK_VALIDATION).toBe(before);
    expect(fs.existsSync(marker)).toBe(false);
    expect([1, 2].map((n) => n * 2)).toEqual([2, 4]);
    // The healthy domain evaluated in its own isolate: the attacker's prototype changes never reached it.
    expect(result.blocked.has('sales')).toBe(false);
    expect(result.partial.domains.find((d) => d.name === 'sales')?.products[0].definition.version).toBe('1.0.0');
  });

  test('a file that never finishes blocks only its own domain', () => {
    const { result, text } = load('while (true) {}\nexport default {};');
    expect(text).toContain('domains/attacker/products/evil.ts');
    expect(text).toContain('did not finish within 1500 ms');
    expectContained(result);
  });

  test('a file that ends its process blocks only its own domain', () => {
    const { result, text } = load(
      '(globalThis as any).process.kill((globalThis as any).process.pid, "SIGKILL");\nexport default {};',
    );
    expect(text).toContain('domains/attacker/');
    expectContained(result);
  });

  test('a file that throws shows the file and the message, not a stack trace', () => {
    const { result, text } = load("throw new Error('no config for you');\nexport default {};");
    expect(text).toContain('domains/attacker/products/evil.ts: threw while being evaluated: no config for you');
    expect(text).not.toMatch(/\n\s+at /);
    expectContained(result);
  });
});

describe('what definitions may do keeps working', () => {
  test('shared helpers inside the domain folder, spreads and consts', () => {
    const root = makeTempProject({
      domains: {
        sales: {
          domain: validDomain('sales'),
          products: {
            orders: `${HELPERS}import { auditColumns } from '../common/audit';\nconst base = ${valid('orders')};\nexport default defineProduct({ ...base, schema: { columns: [...base.schema.columns, ...auditColumns] } } as any);`,
          },
        },
      },
    });
    fs.mkdirSync(path.join(root, 'domains', 'sales', 'common'));
    fs.writeFileSync(
      path.join(root, 'domains', 'sales', 'common', 'audit.ts'),
      "export const auditColumns = [{ name: 'loaded_at', type: 'timestamp', description: 'When the row was loaded.' }];\n",
    );
    const result = tryLoadMesh({ root });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.mesh?.domains[0].products[0].definition.schema.columns.map((c) => c.name)).toEqual([
      'id',
      'amount',
      'updated_at',
      'loaded_at',
    ]);
  });
});

describe('problems carry file:line:column of the field in the TypeScript source', () => {
  test('a nested field, through the define call', () => {
    const source = `${HELPERS}export default defineProduct({
  name: 'evil',
  version: '1.0.0',
  description: { purpose: 'x' },
  archetype: 'source-aligned',
  schema: {
    columns: [
      { name: 'id', type: 'string', description: 'Key.' },
      { name: 'amount', type: 'decimal(40,2)', description: 'Amount.' },
    ],
  },
  sla: { updateFrequency: 'daily', retention: '1 year' },
  access: { visibility: 'mesh' },
});
`;
    const { text } = load(source);
    expect(text).toContain(
      'domains/attacker/products/evil.ts:10:31: schema.columns[1].type: decimal precision must be 1..38',
    );
  });

  test('a field written in a const that is spread into an array', () => {
    const source = `const shared = [
  { name: 'id', type: 'strnig', description: 'Key.' },
] as const;
export default { ...${valid('evil')}, schema: { columns: [...shared] } };
`;
    const { text } = load(source);
    expect(text).toMatch(/domains\/attacker\/products\/evil\.ts:2:23: schema\.columns\[0\]\.type: /);
  });

  test('a syntax error has the line, the column and the compiler reason', () => {
    const { text } = load("export default {\n  name: 'evil'\n  version: '1.0.0' };\n");
    expect(text).toContain('domains/attacker/products/evil.ts:3:3: Expected "}" but found "version"');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
