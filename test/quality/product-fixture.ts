/** Builds a resolved MeshProduct from an inline definition, the way the loader does, for quality tests. */
import { type ProductDefinitionInput, ProductDefinitionSchema } from '../../lib/definition/schema';
import { checkProduct, majorOf } from '../../lib/mesh/check-product';
import type { MeshProduct, ProductVersion } from '../../lib/mesh/model';
import { formatProblem } from '../../lib/mesh/problems';

/** A definition with every required field filled; override what the test is about. */
export function productInput(overrides: Partial<ProductDefinitionInput> = {}): ProductDefinitionInput {
  return {
    name: 'orders',
    version: '2.0.0',
    description: { purpose: 'Orders for quality tests.' },
    archetype: 'source-aligned',
    schema: {
      format: 'parquet',
      columns: [
        { name: 'order_id', type: 'string', required: true },
        { name: 'amount', type: 'decimal(12,2)' },
      ],
    },
    ...overrides,
  };
}

/** Parses and checks the definition like the mesh loader; throws with every problem. */
export function meshProductOf(input: ProductDefinitionInput, domain = 'sales'): MeshProduct {
  const definition = ProductDefinitionSchema.parse(input);
  const problems = checkProduct(`${domain}/${definition.name}.ts`, definition, definition.name);
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\n'));
  const current: ProductVersion = {
    major: majorOf(definition.version),
    version: definition.version,
    schema: definition.schema,
    current: true,
  };
  const previous = definition.previousVersions.map((v) => ({
    major: majorOf(v.version),
    version: v.version,
    schema: v.schema,
    sunset: v.sunset,
    current: false,
  }));
  return {
    id: `${domain}/${definition.name}`,
    domain,
    name: definition.name,
    file: `domains/${domain}/products/${definition.name}.ts`,
    definition,
    owner: definition.owner ?? { team: 'Test', email: 'test@example.com' },
    support: definition.support ?? [],
    classification: definition.classification ?? 'internal',
    versions: [current, ...previous],
  };
}

/** A product using every rule kind, with an SLA freshness promise: the reference case of the quality tests. */
export function allRulesProduct(): MeshProduct {
  return meshProductOf(
    productInput({
      name: 'payments',
      version: '3.1.0',
      schema: {
        format: 'parquet',
        columns: [
          { name: 'payment_id', type: 'bigint', required: true, unique: true },
          { name: 'reference', type: 'string', required: true },
          { name: 'status', type: 'string', required: true },
          { name: 'priority', type: 'int' },
          { name: 'amount', type: 'decimal(10,2)', required: true },
          { name: 'fee_ratio', type: 'double' },
          { name: 'country', type: 'varchar(2)' },
          { name: 'email', type: 'string' },
          { name: 'region', type: 'string' },
          { name: 'day', type: 'date', required: true },
          { name: 'updated_at', type: 'timestamp', required: true },
        ],
      },
      sla: { updateFrequency: 'daily', freshness: { within: '2 days', column: 'day' }, retention: '1 years' },
      quality: [
        { rule: 'rowCount', mustBeBetween: [100, 100_000] },
        { rule: 'notNull', column: 'reference' },
        { rule: 'nullValues', column: 'email', mustBeLessThan: 10, unit: 'percent' },
        { rule: 'unique', column: 'payment_id' },
        { rule: 'unique', columns: ['region', 'day'] },
        { rule: 'acceptedValues', column: 'status', values: ['new', 'paid', 'refunded'] },
        { rule: 'acceptedValues', column: 'priority', values: [1, 2, 3] },
        { rule: 'range', column: 'amount', min: 0, max: 5000 },
        { rule: 'range', column: 'fee_ratio', min: 0, max: 1, exclusive: true },
        { rule: 'pattern', column: 'reference', pattern: '^PAY-[A-Z]{2}[0-9]{6}$' },
        { rule: 'length', column: 'country', min: 2, max: 2 },
        { rule: 'freshness', column: 'updated_at', within: '1 hours' },
        {
          rule: 'sql',
          name: 'paid_without_amount',
          query: "SELECT count(*) FROM {table} WHERE status = 'paid' AND amount < 0",
        },
      ],
    }),
  );
}
