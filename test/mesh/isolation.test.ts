/**
 * Blast radius of one domain's mistake: a problem in a domain's files blocks that domain's stack and the
 * stacks of domains that read the broken product, nothing else. Each domain of the example mesh is broken
 * in turn, with a different kind of mistake each time, and every stack is synthesized.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addDomainStacks } from '../../constructs/mesh-app';
import { tryLoadMesh } from '../../lib/mesh/load';
import { domainNames } from '../../lib/mesh/naming';
import { TODAY, testApp } from '../policies/support/apps';
import { copyExampleProject, makeTempProject, validDomain, validProduct } from '../support/temp-project';

type Kind = 'parse' | 'schema' | 'reference' | 'policy';

/** Each mistake, applied to a product file's source. */
const MISTAKES: Record<Kind, (source: string) => string> = {
  parse: (source) => source.replace('export default defineProduct({', 'export default defineProduct({{'),
  schema: (source) => source.replace(/version: '(\d+\.\d+\.\d+)'/, "version: 'v$1'"),
  reference: (source) =>
    source.includes('inputs: [')
      ? source.replace('inputs: [', "inputs: ['nowhere/nothing@1', ")
      : source.replace('defineProduct({', "defineProduct({\n  inputs: ['nowhere/nothing@1'],"),
  // Passes every definition check; the policy engine rejects the exception (expired long ago).
  policy: (source) =>
    source.replace(
      'defineProduct({',
      "defineProduct({\n  exceptions: [{ rule: 'MESH-TAG-001', reason: 'Tags are set by the finance tooling later.', approvedBy: 'governance@example.com', expires: '2020-01-01' }],",
    ),
};

/** Stacks with error annotations after one synth of the whole app, and the messages of each. */
function synthErrors(root: string): Map<string, string[]> {
  const loaded = tryLoadMesh({ root });
  const app = testApp();
  addDomainStacks(app, loaded.partial, {
    blocked: loaded.blocked,
    governance: { today: TODAY, root },
  });
  const assembly = app.synth();
  const errors = new Map<string, string[]>();
  for (const stack of assembly.stacks) {
    const messages = stack.messages.filter((m) => m.level === 'error').map((m) => String(m.entry.data));
    if (messages.length > 0) errors.set(stack.stackName, messages);
  }
  return errors;
}

function breakProduct(root: string, domain: string, product: string, kind: Kind): string {
  const file = path.join('domains', domain, 'products', `${product}.ts`);
  const absolute = path.join(root, file);
  const broken = MISTAKES[kind](fs.readFileSync(absolute, 'utf8'));
  expect(broken).not.toBe(fs.readFileSync(absolute, 'utf8'));
  fs.writeFileSync(absolute, broken);
  return file;
}

const stackOf = (domain: string) => domainNames({ prefix: 'acme', domainsDir: 'domains' } as never, domain).stackName;

describe('one domain broken at a time: every stack that does not read the broken product synthesizes', () => {
  // Broken product → the domains that read it (from the example mesh's inputs).
  test.each<[string, string, Kind, string[]]>([
    ['sales', 'orders', 'parse', ['customers', 'fulfillment', 'marketing']],
    ['customers', 'customer_profiles', 'schema', ['marketing']],
    ['fulfillment', 'shipments', 'reference', []],
    ['marketing', 'campaign_roi_report', 'policy', []],
    ['sales', 'revenue_metrics', 'policy', []],
  ])('%s/%s with a %s error', (domain, product, kind, readers) => {
    const root = copyExampleProject();
    const file = breakProduct(root, domain, product, kind);
    const errors = synthErrors(root);
    const expected = [domain, ...(kind === 'policy' ? [] : readers)].map(stackOf).sort();
    expect([...errors.keys()].sort()).toEqual(expected);
    expect(errors.get(stackOf(domain))?.join('\n')).toContain(file);
    for (const reader of kind === 'policy' ? [] : readers) {
      expect(errors.get(stackOf(reader))?.join('\n')).toContain(`${file} has definition problems`);
    }
  });

  test('two domains broken at once in different ways block only themselves and their readers', () => {
    const root = copyExampleProject();
    breakProduct(root, 'customers', 'customer_segments', 'parse');
    breakProduct(root, 'fulfillment', 'delivery_performance', 'schema');
    expect([...synthErrors(root).keys()].sort()).toEqual([stackOf('customers'), stackOf('fulfillment')]);
  });

  test("a broken domain file blocks the domain and its products' readers", () => {
    const root = copyExampleProject();
    const file = path.join(root, 'domains', 'customers', 'domain.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("costCenter: '", "costCenter: 42, x: '"));
    const errors = synthErrors(root);
    expect([...errors.keys()].sort()).toEqual([stackOf('customers'), stackOf('marketing')]);
  });
});

describe('-c domain=<x> loads no more than it must', () => {
  test("only the domain's files and the products its inputs name", () => {
    const root = copyExampleProject();
    // Marketing is not read by fulfillment: its broken file is never even evaluated.
    breakProduct(root, 'marketing', 'campaign_roi_report', 'parse');
    const loaded = tryLoadMesh({ root, domains: ['fulfillment'] });
    expect(loaded.problems).toEqual([]);
    expect(loaded.partial.domains.map((d) => [d.name, d.products.map((p) => p.name)])).toEqual([
      ['fulfillment', ['delivery_performance', 'inventory_history', 'shipments']],
      ['sales', ['orders']],
    ]);
  });

  test('not what the products it reads read in turn: work stays proportional to the domain', () => {
    const product = (name: string, inputs: string[]) =>
      validProduct(name, { inputs, ...(inputs.length > 0 ? { archetype: 'aggregate' } : {}) });
    const root = makeTempProject({
      domains: {
        a: { domain: validDomain('a'), products: { report: product('report', ['b/summary@1']) } },
        b: {
          domain: validDomain('b'),
          products: { summary: product('summary', ['c/events@1']), other: product('other', []) },
        },
        c: { domain: validDomain('c'), products: { events: 'export default { this is not TypeScript' } },
      },
    });
    const loaded = tryLoadMesh({ root, domains: ['a'] });
    expect(loaded.problems).toEqual([]);
    expect(loaded.partial.domains.map((d) => [d.name, d.products.map((p) => p.name)])).toEqual([
      ['a', ['report']],
      ['b', ['summary']],
    ]);
    // The full load still sees the broken file two hops away, and what it blocks.
    expect([...tryLoadMesh({ root }).blocked.keys()].sort()).toEqual(['b', 'c']);
  });

  test.each(['marketing', 'customers', 'sales'])("%s's stack is the same as in a full synth", (domain) => {
    const root = copyExampleProject();
    const full = tryLoadMesh({ root });
    const one = tryLoadMesh({ root, domains: [domain] });
    expect(one.problems).toEqual([]);
    const template = (mesh: typeof full.partial) => {
      const app = testApp();
      const [stack] = addDomainStacks(app, mesh, { onlyDomain: domain, governance: false });
      return app.synth().getStackByName(stack.stackName).template;
    };
    expect(template(one.partial)).toEqual(template(full.partial));
  });

  test('a broken product the domain reads still blocks it', () => {
    const root = copyExampleProject();
    breakProduct(root, 'customers', 'customer_profiles', 'schema');
    expect([...tryLoadMesh({ root, domains: ['marketing'] }).blocked.keys()].sort()).toEqual([
      'customers',
      'marketing',
    ]);
  });
});
