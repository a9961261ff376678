/**
 * Definitions the access rules must refuse, each with a message that names the file, the field and the fix.
 * Loaded through tryLoadMesh from real project folders, as `mesh validate` and `cdk synth` load them.
 */
import { checkAccessQuotas } from '../../lib/access/quotas';
import { tryLoadMesh } from '../../lib/mesh/load';
import type { DefinitionProblem } from '../../lib/mesh/problems';
import { bucketPolicyBlowingMesh, identityPolicyBlowingMesh } from './support/quota-meshes';
import { domain, product, removeTempProject, type TempDomain, writeTempProject } from './support/temp-project';

const pii = {
  schema: {
    columns: [
      { name: 'customer_id', type: 'string', description: 'Key.', required: true },
      { name: 'email', type: 'string', description: 'Address.', pii: true },
    ],
  },
};
const reader = (inputs: string[]) => ({ definition: domain('marketing'), products: [product('report', { inputs })] });
const sales = (...products: ReturnType<typeof product>[]): TempDomain => ({ definition: domain('sales'), products });

interface Case {
  readonly name: string;
  readonly mesh: TempDomain[];
  /** Problems come from loading, or from sizing the access policies of a mesh that loads. */
  readonly stage: 'load' | 'quota';
  readonly expected: { readonly file: string; readonly path: string; readonly message: RegExp };
}

const cases: Case[] = [
  {
    name: 'input to a private product',
    stage: 'load',
    mesh: [sales(product('secret', { access: { visibility: 'domain' } })), reader(['sales/secret@1'])],
    expected: {
      file: 'domains/marketing/products/report.ts',
      path: 'inputs[0]',
      message:
        /^"sales\/secret@1" is not visible to domain "marketing": domains\/sales\/products\/secret.ts has access.visibility "domain"/,
    },
  },
  {
    name: 'input to a product shared with other domains only',
    stage: 'load',
    mesh: [
      sales(product('orders', { access: { visibility: 'consumers', consumers: [{ domain: 'finance' }] } })),
      { definition: domain('finance') },
      reader(['sales/orders@1']),
    ],
    expected: {
      file: 'domains/marketing/products/report.ts',
      path: 'inputs[0]',
      message:
        /without this domain in access.consumers; the producer must add \{ domain: "marketing", purpose: "..." \} to access.consumers$/,
    },
  },
  {
    name: 'PII product visible to the whole mesh',
    stage: 'load',
    mesh: [sales(product('customers', { ...pii, access: { visibility: 'mesh' } }))],
    expected: {
      file: 'domains/sales/products/customers.ts',
      path: 'access.visibility',
      message: /^a product with PII or restricted data cannot be visible to the whole mesh; use "consumers"/,
    },
  },
  {
    name: 'consumer without purpose on a restricted product',
    stage: 'load',
    mesh: [
      sales(
        product('contracts', {
          classification: 'restricted',
          access: { visibility: 'consumers', consumers: [{ domain: 'marketing' }] },
        }),
      ),
      { definition: domain('marketing') },
    ],
    expected: {
      file: 'domains/sales/products/contracts.ts',
      path: 'access.consumers[0].purpose',
      message: /^consumer "marketing" of a product with PII or restricted data needs a purpose$/,
    },
  },
  {
    name: 'input to a retired product',
    stage: 'load',
    mesh: [sales(product('legacy', { status: 'retired' })), reader(['sales/legacy@1'])],
    expected: {
      file: 'domains/marketing/products/report.ts',
      path: 'inputs[0]',
      message:
        /^"sales\/legacy@1" is retired \(domains\/sales\/products\/legacy.ts: status "retired"\); it accepts no consumers$/,
    },
  },
  {
    name: 'input to a version no longer served',
    stage: 'load',
    mesh: [sales(product('orders', { version: '3.0.0' })), reader(['sales/orders@2'])],
    expected: {
      file: 'domains/marketing/products/report.ts',
      path: 'inputs[0]',
      message:
        /^"sales\/orders@2": sales\/orders has no live major 2 \(live: @3; see domains\/sales\/products\/orders.ts\)$/,
    },
  },
  {
    name: 'input without a major version',
    stage: 'load',
    mesh: [sales(product('orders')), reader(['sales/orders'])],
    expected: {
      file: 'domains/marketing/products/report.ts',
      path: 'inputs[0]',
      message: /must reference a product as "<domain>\/<product>@<major>"/,
    },
  },
  {
    name: 'consumer list naming an unknown domain',
    stage: 'load',
    mesh: [
      sales(
        product('orders', { access: { visibility: 'consumers', consumers: [{ domain: 'nowhere', purpose: 'x' }] } }),
      ),
    ],
    expected: {
      file: 'domains/sales/products/orders.ts',
      path: 'access.consumers[0].domain',
      message: /^unknown domain "nowhere" \(domains: sales\)$/,
    },
  },
  {
    name: 'consumer lists that would blow the 20 KB bucket policy',
    stage: 'quota',
    mesh: bucketPolicyBlowingMesh(),
    expected: {
      file: 'domains/hub/domain.ts',
      path: '',
      message:
        /^the data bucket policy of domain "hub" would reach \d{5} bytes; S3 allows 20480\. Each distinct access\.consumers list costs a statement naming two roles per consumer domain, and the execution-role pattern of each one whose builds read it \(alpha: 70 consumer domains; beta: 70 consumer domains; gamma: 70 consumer domains\)/,
    },
  },
  {
    name: 'inputs that would need more than 10 managed policies per role',
    stage: 'quota',
    mesh: identityPolicyBlowingMesh(),
    expected: {
      file: 'domains/lake/domain.ts',
      path: '',
      message:
        /need \d\d managed policies of at most 6144 characters on each of its roles; IAM attaches at most 10 to a role/,
    },
  },
];

describe('definitions the access rules refuse', () => {
  test.each(cases)('$name', ({ mesh, stage, expected }) => {
    const root = writeTempProject(mesh);
    try {
      const loaded = tryLoadMesh({ root });
      let problems: readonly DefinitionProblem[];
      if (stage === 'load') {
        expect(loaded.mesh).toBeUndefined();
        problems = loaded.problems;
      } else {
        expect(loaded.problems).toEqual([]);
        problems = checkAccessQuotas(loaded.mesh!);
      }
      // Problems found while loading also carry the line and column of the field.
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: expected.file,
          path: expected.path,
          message: expect.stringMatching(expected.message),
        }),
      );
    } finally {
      removeTempProject(root);
    }
  });
});
