/**
 * `mesh concepts`: which products use which shared concept per domain, the lookalike columns that do not,
 * and join readiness (referencing / (referencing + not referencing)) per domain and for the mesh — against
 * a table worked out by hand, and on the example mesh.
 */

import { formatConceptUsage, registerConceptsCommand } from '../../bin/commands/concepts';
import { conceptUsage } from '../../lib/concepts/usage';
import { runCommand } from '../cli/support/run-command';
import { buildMesh, domainSpec, productSpec } from '../policies/support/mesh-builder';
import { PROJECT_ROOT } from '../support/temp-project';

const at = { name: 'updated_at', type: 'timestamp', description: 'Last change.' };
const mesh = buildMesh([
  {
    domain: domainSpec('crm'),
    products: [
      productSpec('accounts', {
        schema: {
          columns: [
            { name: 'customer_id', concept: 'customer_id', primaryKey: true },
            { name: 'country', type: 'varchar(2)', description: 'Country of residence.' },
            at,
          ],
        },
      }),
      productSpec('visits', {
        version: '2.0.0',
        schema: { columns: [{ name: 'customer_id', concept: 'customer_id' }, at] },
        previousVersions: [
          {
            version: '1.4.0',
            sunset: '2027-01-31',
            schema: { columns: [{ name: 'customer_id', type: 'string', description: 'Visitor.' }, at] },
          },
        ],
      }),
    ],
  },
  { domain: domainSpec('ops'), products: [productSpec('runs', { schema: { columns: [at] } })] },
  {
    domain: domainSpec('shop'),
    products: [
      productSpec('sales', {
        schema: {
          columns: [
            { name: 'order_id', concept: 'order_id', primaryKey: true },
            { name: 'client_id', type: 'string', description: 'Buyer.' },
            { name: 'amount', concept: 'money_amount', type: 'decimal(12,2)', currency: 'EUR' },
            at,
          ],
        },
      }),
    ],
  },
]);

describe('mesh concepts', () => {
  test('prints the concepts, their columns per domain and join readiness, as worked out by hand', () => {
    expect(formatConceptUsage(conceptUsage(mesh))).toBe(
      `concept         owner      type          pattern          referencing  not referencing  join readiness
--------------  ---------  ------------  ---------------  -----------  ---------------  --------------
customer_id     customers  string        ^C-[0-9]{6}$     1            2                33.3 %
order_id        sales      string        ^ORD-[0-9]{10}$  1            0                100 %
country_code    customers  varchar(2)    ^[A-Z]{2}$       0            1                0 %
currency_code   sales      varchar(3)    ^[A-Z]{3}$       0            0                -
money_amount    sales      decimal(p,s)  -                1            0                100 %
partition_date  sales      date          -                0            0                -

customer_id: Stable customer key, issued by the customers domain when an account is registered.
domain  product       column       majors  references it
------  ------------  -----------  ------  -----------------
crm     crm/accounts  customer_id  v1      yes
crm     crm/visits    customer_id  v2, v1  no: named like it
shop    shop/sales    client_id    v1      no: named like it

order_id: Sales order key, issued by the sales domain when an order is placed.
domain  product     column    majors  references it
------  ----------  --------  ------  -------------
shop    shop/sales  order_id  v1      yes

country_code: Country as ISO 3166-1 alpha-2 code, upper case.
domain  product       column   majors  references it
------  ------------  -------  ------  -----------------
crm     crm/accounts  country  v1      no: named like it

currency_code: Currency as ISO 4217 code, upper case.
no column means it

money_amount: An amount of money: a decimal, never a floating-point number, in the currency the column or a currency_code column names.
domain  product     column  majors  references it
------  ----------  ------  ------  -------------
shop    shop/sales  amount  v1      yes

partition_date: Calendar day a row belongs to (UTC), as a DATE; date partitions are written yyyy-MM-dd.
no column means it

join readiness: columns that reference a concept / columns that mean one
domain  referencing  not referencing  join readiness
------  -----------  ---------------  --------------
crm     1            2                33.3 %
ops     0            0                -
shop    2            1                66.7 %
mesh    3            3                50 %
`,
    );
  });

  test('a column that references its concept in one major but not another counts once, as not referencing', () => {
    const visits = conceptUsage(mesh)
      .concepts.find((c) => c.name === 'customer_id')!
      .domains.find((d) => d.domain === 'crm')!
      .columns.find((c) => c.product === 'crm/visits');
    expect(visits).toEqual({ product: 'crm/visits', column: 'customer_id', majors: [2, 1], referenced: false });
  });

  test('--json on the example mesh: every join key references its concept', async () => {
    const { stdout, exitCode } = await runCommand(
      [registerConceptsCommand],
      ['-C', PROJECT_ROOT, 'concepts', '--json'],
    );
    expect(exitCode).toBeUndefined();
    const report = JSON.parse(stdout);
    expect(report.mesh).toEqual({ referencing: 7, notReferencing: 0, joinReadiness: 1 });
    expect(report.domains).toEqual([
      { domain: 'customers', referencing: 3, notReferencing: 0, joinReadiness: 1 },
      { domain: 'fulfillment', referencing: 1, notReferencing: 0, joinReadiness: 1 },
      { domain: 'marketing', referencing: 1, notReferencing: 0, joinReadiness: 1 },
      { domain: 'sales', referencing: 2, notReferencing: 0, joinReadiness: 1 },
    ]);
    const customer = report.concepts.find((c: { name: string }) => c.name === 'customer_id');
    expect(customer).toMatchObject({ owner: 'customers', type: 'string', pattern: '^C-[0-9]{6}$', referencing: 4 });
    expect(
      customer.domains.flatMap((d: { columns: { product: string }[] }) => d.columns.map((c) => c.product)),
    ).toEqual(['customers/customer_profiles', 'customers/customer_segments', 'marketing/ad_clicks', 'sales/orders']);
  });
});
