/**
 * `mesh validate` is synth's verdict on the definitions: for every kind of definition mistake, the domains
 * validate fails are the stacks synth fails, with the same error lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addDomainStacks } from '../../constructs/mesh-app';
import { tryLoadMesh } from '../../lib/mesh/load';
import { domainNames } from '../../lib/mesh/naming';
import { formatProblem } from '../../lib/mesh/problems';
import { definitionVerdict } from '../../lib/policies/definition-verdict';
import { TODAY, testApp } from '../policies/support/apps';
import { copyExampleProject } from '../support/temp-project';

type Edit = (root: string) => void;

function edit(file: string, change: (source: string) => string): Edit {
  return (root) => {
    const absolute = path.join(root, file);
    const before = fs.readFileSync(absolute, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    fs.writeFileSync(absolute, after);
  };
}

const ORDERS = 'domains/sales/products/orders.ts';
const SEGMENTS = 'domains/customers/products/customer_segments.ts';
const exception = (approvedBy: string, expires: string) =>
  edit(SEGMENTS, (s) =>
    s.replace(
      'defineProduct({',
      `defineProduct({\n  exceptions: [{ rule: 'MESH-PROD-002', reason: 'Limitations are being written with the legal team.', approvedBy: '${approvedBy}', expires: '${expires}' }],`,
    ),
  );

/** Error lines by stack, as validate reports them. */
function validateErrors(root: string): Map<string, string[]> {
  const loaded = tryLoadMesh({ root });
  const out = new Map<string, string[]>();
  const stackOf = (domain: string) => domainNames(loaded.partial.config, domain).stackName;
  for (const [domain, problems] of loaded.blocked) out.set(stackOf(domain), problems.map(formatProblem));
  const domains = loaded.partial.domains.map((d) => d.name).filter((d) => !loaded.blocked.has(d));
  for (const [domain, findings] of definitionVerdict(loaded.partial, { root, today: TODAY, domains })) {
    const errors = findings.filter((f) => f.status === 'fail' && f.severity === 'error').map((f) => f.text);
    if (errors.length > 0) out.set(stackOf(domain), errors);
  }
  return out;
}

/** Error lines by stack, as a synth of the whole app reports them. */
function synthErrors(root: string): Map<string, string[]> {
  const loaded = tryLoadMesh({ root });
  const app = testApp();
  addDomainStacks(app, loaded.partial, { blocked: loaded.blocked, governance: { today: TODAY, root } });
  const out = new Map<string, string[]>();
  for (const stack of app.synth().stacks) {
    const errors = stack.messages.filter((m) => m.level === 'error').map((m) => String(m.entry.data));
    if (errors.length > 0) out.set(stack.stackName, errors);
  }
  return out;
}

const sorted = (m: Map<string, string[]>) => [...m.entries()].map(([k, v]) => [k, [...v].sort()]).sort();

describe('validate and synth agree', () => {
  test.each<[string, Edit[]]>([
    ['the example mesh as it is', []],
    ['an exception approved by an unknown approver', [exception('a.friend@example.com', '2026-06-30')]],
    ['an expired exception', [exception('governance-lead@example.com', '2026-05-01')]],
    ['an exception for longer than the guild allows', [exception('governance-lead@example.com', '2027-06-01')]],
    [
      'a breaking change without a major bump',
      [edit(ORDERS, (s) => s.replace(/\n\s*\{ name: 'tax_amount'[^\n]*\n/, '\n'))],
    ],
    ['a sunset that has passed', [edit(ORDERS, (s) => s.replace("sunset: '2027-03-31'", "sunset: '2026-05-01'"))]],
    ['scaffolded TODO text', [edit(SEGMENTS, (s) => s.replace(/purpose: '[^']*'/, "purpose: 'TODO: say why'"))]],
    [
      'a product without a contract lock',
      [(root) => fs.rmSync(path.join(root, SEGMENTS.replace('.ts', '.contract.lock.json')))],
    ],
    ['a removed product with a published contract', [(root) => fs.rmSync(path.join(root, SEGMENTS))]],
    [
      'a schema error and a reference error in two domains',
      [
        edit(ORDERS, (s) => s.replace("version: '2.0.0'", "version: 'two'")),
        edit(SEGMENTS, (s) => s.replace("inputs: ['sales/orders@2']", "inputs: ['sales/ordrs@2']")),
      ],
    ],
  ])('%s', (_name, edits) => {
    const root = copyExampleProject();
    for (const apply of edits) apply(root);
    const validate = validateErrors(root);
    expect(sorted(validate)).toEqual(sorted(synthErrors(root)));
    if (edits.length > 0) expect(validate.size).toBeGreaterThan(0);
  });
});
