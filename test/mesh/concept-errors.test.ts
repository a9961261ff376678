/**
 * Columns that reference shared concepts, when they get it wrong: an unknown concept, a type that contradicts
 * the concept, an amount without precision, a currency on what is not an amount. Each is a definition problem
 * reported like a compiler error — file:line:column of the field, its path, what is wrong, what is allowed.
 */
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { makeTempProject, validDomain } from '../support/temp-project';

/** Every problem of a sales domain with one product file, formatted as the CLI prints it. */
function problemsOf(source: string): string[] {
  const root = makeTempProject({ domains: { sales: { domain: validDomain('sales'), products: { refunds: source } } } });
  const result = tryLoadMesh({ root });
  expect(result.mesh).toBeUndefined();
  return result.problems.map(formatProblem);
}

/** A product file whose columns are the given lines (line 9 onwards). */
const product = (columns: string) => `import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'refunds',
  version: '1.0.0',
  description: { purpose: 'Refunds.' },
  archetype: 'source-aligned',
  schema: { columns: [
${columns}
  ] },
  sla: { updateFrequency: 'daily', retention: '1 year' },
  access: { visibility: 'mesh' },
});
`;

describe('concept references that the loader refuses', () => {
  test('an unknown concept is named with the concepts that exist, at the reference', () => {
    expect(
      problemsOf(
        product(`    { name: 'refund_id', type: 'string', description: 'Key.' },
    { name: 'customer_id', concept: 'customr_id', description: 'Who was refunded.' },`),
      ),
    ).toEqual([
      'domains/sales/products/refunds.ts:10:37: schema.columns[1].concept: unknown concept "customr_id" (concepts in lib/policies/concepts.ts: customer_id, order_id, country_code, currency_code, money_amount, partition_date)',
    ]);
  });

  test('a type that contradicts the concept says what the concept is and how to inherit it', () => {
    expect(
      problemsOf(
        product(`    { name: 'refund_id', type: 'string', description: 'Key.' },
    { name: 'customer_id', concept: 'customer_id', type: 'bigint' },`),
      ),
    ).toEqual([
      'domains/sales/products/refunds.ts:10:58: schema.columns[1].type: type "bigint" contradicts concept "customer_id", which is string (remove type to inherit it)',
    ]);
  });

  test('a contradiction inside a shared column list is found where the list is written', () => {
    const source = `import { defineProduct } from '../../../lib/definition';

const keys = [
  { name: 'order_id', concept: 'order_id', type: 'varchar(12)' },
] as const;

export default defineProduct({
  name: 'refunds',
  version: '1.0.0',
  description: { purpose: 'Refunds.' },
  archetype: 'source-aligned',
  schema: { columns: [...keys] },
  sla: { updateFrequency: 'daily', retention: '1 year' },
  access: { visibility: 'mesh' },
});
`;
    expect(problemsOf(source)).toEqual([
      'domains/sales/products/refunds.ts:4:50: schema.columns[0].type: type "varchar(12)" contradicts concept "order_id", which is string (remove type to inherit it)',
    ]);
  });

  test('an amount must give its precision, and a currency belongs to amounts only', () => {
    expect(
      problemsOf(
        product(`    { name: 'refund_id', type: 'string', description: 'Key.', currency: 'EUR' },
    { name: 'amount', concept: 'money_amount', currency: 'EUR' },
    { name: 'order_id', concept: 'order_id', currency: 'EUR' },`),
      ),
    ).toEqual([
      'domains/sales/products/refunds.ts:9:73: schema.columns[0].currency: a currency belongs to an amount: reference the money_amount concept (concept) or remove it',
      // No type is written: the column itself is pointed at.
      "domains/sales/products/refunds.ts:10:5: schema.columns[1].type: concept \"money_amount\" admits any decimal(p,s): give the column's precision and scale, e.g. type: 'decimal(14,2)'",
      'domains/sales/products/refunds.ts:11:56: schema.columns[2].currency: concept "order_id" is not an amount; remove currency',
    ]);
  });
});
