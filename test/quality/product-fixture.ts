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
