import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { type FileContent, makeTempProject, validDomain, validProduct } from '../support/temp-project';

/**
 * Loads a mesh of the given files and returns every problem as `file:path: message` (locations are
 * asserted in their own tests below).
 */
function problemsOf(
  domains: Record<string, { domain?: FileContent; products?: Record<string, FileContent> }>,
): string[] {
  const root = makeTempProject({ domains });
  const result = tryLoadMesh({ root });
  expect(result.mesh).toBeUndefined();
  return result.problems.map((p) => formatProblem({ ...p, line: undefined, column: undefined }));
}

function withProduct(product: FileContent, fileName = 'orders') {
  return { sales: { domain: validDomain('sales'), products: { [fileName]: product } } };
}

const columns = (extra: Record<string, unknown>[]) => ({
  columns: [{ name: 'id', type: 'string', description: 'Key.' }, ...extra],
});

describe('definition errors read like compiler errors: file, field path, what is wrong, what is allowed', () => {
  test.each<[string, FileContent, string]>([
    [
      'unknown field (typo) gets a suggestion and the allowed fields',
      validProduct('orders', { descripton: 'x' }),
      'domains/sales/products/orders.ts:descripton: unknown field "descripton", did you mean "description"? (allowed: name, version,',
    ],
    [
      'unknown field inside a column',
      validProduct('orders', { schema: columns([{ name: 'x', type: 'int', nullable: true }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].nullable: unknown field "nullable" (allowed: name, type, concept, currency, description,',
    ],
    [
      'wrong type',
      validProduct('orders', { version: 1 }),
      'domains/sales/products/orders.ts:version: expected string, got number 1',
    ],
    [
      'missing required field',
      validProduct('orders', { archetype: undefined }),
      'domains/sales/products/orders.ts:archetype: must be one of "source-aligned", "aggregate", "consumer-aligned", got nothing',
    ],
    [
      'decimal precision above 38',
      validProduct('orders', { schema: columns([{ name: 'amount', type: 'decimal(40,2)' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].type: decimal precision must be 1..38, got decimal(40,2) (allowed: string, varchar(n), int, bigint, double, decimal(p,s)',
    ],
    [
      'map with a struct key',
      validProduct('orders', { schema: columns([{ name: 'm', type: 'map<struct<a:int>,int>' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].type: map keys must be a primitive type, got struct<a:int>',
    ],
    [
      'unknown type name',
      validProduct('orders', { schema: columns([{ name: 'm', type: 'strng' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].type: unknown type "strng"',
    ],
    [
      'unbalanced type',
      validProduct('orders', { schema: columns([{ name: 'm', type: 'array<int' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].type: expected ">" at position 10 of "array<int"',
    ],
    [
      'duplicate column',
      validProduct('orders', { schema: columns([{ name: 'id', type: 'bigint' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].name: duplicate column "id"',
    ],
    [
      'file name differs from product name',
      validProduct('order'),
      'domains/sales/products/orders.ts:name: product name "order" must equal the file name "orders"',
    ],
    [
      'column name Athena cannot use',
      validProduct('orders', { schema: columns([{ name: 'Order-Id', type: 'string' }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].name: column name must be snake_case: lowercase letters, digits and single underscores',
    ],
    [
      'partition column without projection settings',
      validProduct('orders', { schema: columns([{ name: 'day', type: 'string', partition: true }]) }),
      'domains/sales/products/orders.ts:schema.columns[1].partition: a parquet table needs partition projection settings ({ projection: "date", range } | { projection: "integer", range } | { projection: "enum", values } | { projection: "injected" }); `partition: true` is for iceberg tables',
    ],
    [
      'iceberg partition column with projection settings',
      validProduct('orders', {
        schema: {
          format: 'iceberg',
          ...columns([{ name: 'day', type: 'date', partition: { projection: 'date', range: '2024-01-01,NOW' } }]),
        },
      }),
      'domains/sales/products/orders.ts:schema.columns[1].partition: an iceberg table partitions by the column itself and needs no projection settings: write `partition: true`',
    ],
    [
      'partition projection that does not fit the column type',
      validProduct('orders', {
        schema: columns([{ name: 'day', type: 'double', partition: { projection: 'date', range: 'NOW-1YEARS,NOW' } }]),
      }),
      'domains/sales/products/orders.ts:schema.columns[1].type: partition columns must be string, int, bigint or date; got double',
    ],
    [
      'invalid semver',
      validProduct('orders', { version: '1.0' }),
      'domains/sales/products/orders.ts:version: must be a semantic version such as 1.2.0',
    ],
    [
      'empty schema',
      validProduct('orders', { schema: { columns: [] } }),
      'domains/sales/products/orders.ts:schema.columns: a product needs at least one column',
    ],
    [
      'quality rule on a column that does not exist',
      validProduct('orders', { quality: [{ rule: 'notNull', column: 'idd' }] }),
      'domains/sales/products/orders.ts:quality[0].column: column "idd" is not in the schema (columns: id, amount, updated_at)',
    ],
    [
      'pattern rule on a numeric column',
      validProduct('orders', { quality: [{ rule: 'pattern', column: 'amount', pattern: '^[0-9]+$' }] }),
      'domains/sales/products/orders.ts:quality[0].column: pattern applies to string or varchar columns; "amount" is decimal(12,2)',
    ],
    [
      'range rule on a text column',
      validProduct('orders', { quality: [{ rule: 'range', column: 'id', min: 0 }] }),
      'domains/sales/products/orders.ts:quality[0].column: range applies to numeric columns (int, bigint, double, decimal); "id" is string',
    ],
    [
      'unknown quality rule',
      validProduct('orders', { quality: [{ rule: 'notEmpty', column: 'id' }] }),
      'domains/sales/products/orders.ts:quality[0].rule: unknown quality rule (allowed: rowCount, notNull,',
    ],
    [
      'custom SQL that writes',
      validProduct('orders', { quality: [{ rule: 'sql', name: 'wipe', query: 'DELETE FROM {table}' }] }),
      'domains/sales/products/orders.ts:quality[0].query: must be a read-only SELECT',
    ],
    [
      'custom SQL with two statements',
      validProduct('orders', { quality: [{ rule: 'sql', name: 'two', query: 'SELECT 1; DROP TABLE x' }] }),
      'domains/sales/products/orders.ts:quality[0].query: must be a single statement',
    ],
    [
      'two thresholds on one rule',
      validProduct('orders', { quality: [{ rule: 'rowCount', mustBe: 1, mustBeGreaterThan: 0 }] }),
      'domains/sales/products/orders.ts:quality[0]: a rule takes one threshold, got mustBe and mustBeGreaterThan',
    ],
    [
      'freshness on a non-temporal column',
      validProduct('orders', {
        sla: { updateFrequency: 'daily', retention: '1 year', freshness: { within: '1 day', column: 'id' } },
      }),
      'domains/sales/products/orders.ts:sla.freshness.column: freshness is measured on a date or timestamp column; "id" is string',
    ],
    [
      'duration that is not one',
      validProduct('orders', { sla: { updateFrequency: 'daily', retention: 'forever' } }),
      'domains/sales/products/orders.ts:sla.retention: must be a duration such as "26 hours", "7 days" or "3 years"',
    ],
    [
      'earlier version with a higher major',
      validProduct('orders', {
        previousVersions: [{ version: '2.0.0', sunset: '2027-01-01', schema: columns([]) }],
      }),
      'domains/sales/products/orders.ts:previousVersions[0].version: an earlier version must have a lower major than the current 1.0.0, got 2.0.0',
    ],
    [
      'exception with a short reason',
      validProduct('orders', {
        exceptions: [{ rule: 'MESH-S3-001', reason: 'because', approvedBy: 'governance guild', expires: '2027-01-01' }],
      }),
      'domains/sales/products/orders.ts:exceptions[0].reason: must explain the exception in at least 20 characters',
    ],
    [
      'exception without an approver',
      validProduct('orders', {
        exceptions: [{ rule: 'MESH-S3-001', reason: 'the bucket is a public website mirror', expires: '2027-01-01' }],
      }),
      'domains/sales/products/orders.ts:exceptions[0].approvedBy: is required (expected string)',
    ],
    [
      'sunset on a day the calendar does not have',
      validProduct('orders', {
        version: '2.0.0',
        previousVersions: [{ version: '1.0.0', sunset: '2027-02-30', schema: columns([]) }],
      }),
      'domains/sales/products/orders.ts:previousVersions[0].sunset: must be a real calendar date',
    ],
    [
      'file without a default export',
      'export const orders = 1;\n',
      'domains/sales/products/orders.ts: has no default export (write `export default defineProduct({...})`)',
    ],
    [
      'file that does not compile',
      'export default {{;\n',
      'domains/sales/products/orders.ts: Expected identifier but found "{"',
    ],
  ])('%s', (_name, product, expected) => {
    const problems = problemsOf(withProduct(product));
    expect(problems.join('\n')).toContain(expected);
  });

  test('duplicate product name in one domain names both files', () => {
    const problems = problemsOf({
      sales: {
        domain: validDomain('sales'),
        products: { orders: validProduct('orders'), orders_copy: validProduct('orders') },
      },
    });
    expect(problems).toContain(
      'domains/sales/products/orders_copy.ts:name: duplicate product name "orders" (also declared in domains/sales/products/orders.ts); product names are unique in a domain',
    );
  });

  test('domain name that would break the S3 bucket name once prefixed', () => {
    const name = 'customer_relationships_x'; // 24 characters: allowed by itself, too long inside a bucket name
    const problems = problemsOf({ [name]: { domain: validDomain(name), products: { a: validProduct('a') } } });
    expect(problems.join('\n')).toMatch(
      /domains\/customer_relationships_x\/domain\.ts:name: the Athena results bucket name "acme-customer-relationships-x-athena-\{account\}-\{region\}" derived from domain "customer_relationships_x" breaks an AWS rule: S3 bucket names are at most 63 characters; this one can reach 66/,
    );
  });

  test('domain name must equal its folder', () => {
    const problems = problemsOf({ sales: { domain: validDomain('sale'), products: {} } });
    expect(problems).toContain('domains/sales/domain.ts:name: domain name "sale" must equal its folder name "sales"');
  });

  test('domain folder without domain.ts', () => {
    const problems = problemsOf({ sales: { products: { orders: validProduct('orders') } } });
    expect(problems).toContain('domains/sales/domain.ts: file is missing (every domain folder needs a domain.ts)');
  });

  describe('inputs', () => {
    const mesh = (inputs: string[], extra: Record<string, FileContent> = {}) => ({
      sales: { domain: validDomain('sales'), products: { orders: validProduct('orders'), ...extra } },
      marketing: {
        domain: validDomain('marketing'),
        products: { campaigns: validProduct('campaigns', { archetype: 'aggregate', inputs }) },
      },
    });

    test.each([
      ['missing domain', 'finance/orders@1', 'names unknown domain "finance" (domains: marketing, sales)'],
      ['missing product', 'sales/refunds@1', 'names unknown product "refunds" in domain "sales" (products: orders)'],
      [
        'missing major',
        'sales/orders@3',
        '"sales/orders@3": sales/orders has no live major 3 (live: @1; see domains/sales/products/orders.ts)',
      ],
      ['malformed reference', 'sales.orders', 'must reference a product as "<domain>/<product>@<major>"'],
    ])('%s', (_name, input, expected) => {
      const problems = problemsOf(mesh([input]));
      expect(problems.join('\n')).toContain(`domains/marketing/products/campaigns.ts:inputs[0]`);
      expect(problems.join('\n')).toContain(expected);
    });

    test('input to a product not visible to the consumer names both files', () => {
      const problems = problemsOf(
        mesh(['sales/private_notes@1'], {
          private_notes: validProduct('private_notes', { access: { visibility: 'domain' } }),
        }),
      );
      expect(problems).toContain(
        'domains/marketing/products/campaigns.ts:inputs[0]: "sales/private_notes@1" is not visible to domain "marketing": domains/sales/products/private_notes.ts has access.visibility "domain"; the producer must add { domain: "marketing", purpose: "..." } to access.consumers',
      );
    });

    test('input cycle across domains', () => {
      const problems = problemsOf({
        sales: {
          domain: validDomain('sales'),
          products: { orders: validProduct('orders', { inputs: ['marketing/campaigns@1'] }) },
        },
        marketing: {
          domain: validDomain('marketing'),
          products: { campaigns: validProduct('campaigns', { inputs: ['sales/orders@1'] }) },
        },
      });
      expect(problems.join('\n')).toMatch(
        /inputs: input cycle: (sales\/orders → marketing\/campaigns → sales\/orders|marketing\/campaigns → sales\/orders → marketing\/campaigns)/,
      );
    });
  });

  test('every problem of every file is reported in one run', () => {
    const problems = problemsOf({
      sales: {
        domain: validDomain('sales', { costCenter: '' }),
        products: {
          orders: validProduct('orders', { version: 'one' }),
          refunds: validProduct('refunds', { schema: { columns: [] } }),
        },
      },
      marketing: { domain: validDomain('marketing'), products: { campaigns: validProduct('campaign') } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('domains/sales/domain.ts:costCenter: must not be empty'),
        expect.stringContaining('domains/sales/products/orders.ts:version:'),
        expect.stringContaining('domains/sales/products/refunds.ts:schema.columns:'),
        expect.stringContaining('domains/marketing/products/campaigns.ts:name:'),
      ]),
    );
  });
});
