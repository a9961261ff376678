/**
 * Meshes built in memory for policy tests: definitions parsed with the real schemas, then resolved. Problems
 * of the resolution are ignored on purpose, so a test can hand the engine a mesh the loader would reject
 * (the engine must still catch what it governs).
 */
import {
  type DomainDefinitionInput,
  DomainDefinitionSchema,
  type ProductDefinitionInput,
  ProductDefinitionSchema,
} from '../../../lib/definition';
import { DEFAULT_MESH_CONFIG } from '../../../lib/mesh/config';
import type { Mesh, MeshDomain, MeshProduct, ProductVersion } from '../../../lib/mesh/model';
import { resolveMesh } from '../../../lib/mesh/resolve';

export interface DomainSpec {
  readonly domain: DomainDefinitionInput;
  readonly products?: readonly ProductDefinitionInput[];
}

const majorOf = (version: string) => Number(version.split('.')[0]);

export function buildMesh(specs: readonly DomainSpec[], prefix = 'acme'): Mesh {
  const domains: MeshDomain[] = specs.map(({ domain: input, products = [] }) => {
    const domain = DomainDefinitionSchema.parse(input);
    const meshProducts = products.map((productInput): MeshProduct => {
      const product = ProductDefinitionSchema.parse(productInput);
      const current: ProductVersion = {
        major: majorOf(product.version),
        version: product.version,
        schema: product.schema,
        current: true,
      };
      const previous = product.previousVersions.map((v) => ({
        major: majorOf(v.version),
        version: v.version,
        schema: v.schema,
        sunset: v.sunset,
        current: false,
      }));
      return {
        id: `${domain.name}/${product.name}`,
        domain: domain.name,
        name: product.name,
        file: `domains/${domain.name}/products/${product.name}.ts`,
        definition: product,
        owner: product.owner ?? domain.owner,
        support: product.support ?? domain.support,
        classification: product.classification ?? domain.defaults.classification,
        versions: [current, ...previous],
      };
    });
    return {
      name: domain.name,
      file: `domains/${domain.name}/domain.ts`,
      definition: domain,
      products: meshProducts.sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  });
  return resolveMesh({ ...DEFAULT_MESH_CONFIG, prefix }, domains).mesh;
}

/** A domain definition that passes every domain rule; `extra` overrides fields. */
export function domainSpec(name: string, extra: Partial<DomainDefinitionInput> = {}): DomainDefinitionInput {
  return {
    name,
    description: `The ${name} domain.`,
    owner: { team: `${name} team`, email: `${name}@example.com` },
    support: [{ channel: 'email', url: `mailto:${name}@example.com` }],
    costCenter: 'CC-1000',
    ...extra,
  };
}

/** A product definition that passes every definition rule; `extra` overrides fields. */
export function productSpec(name: string, extra: Partial<ProductDefinitionInput> = {}): ProductDefinitionInput {
  return {
    name,
    version: '1.0.0',
    description: {
      purpose: `The ${name} product, for tests.`,
      usage: 'Filter on event_date.',
      limitations: 'Test data only.',
    },
    archetype: 'source-aligned',
    classification: 'internal',
    schema: {
      columns: [
        { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
        { name: 'updated_at', type: 'timestamp', description: 'Last change.', required: true },
        { name: 'amount', concept: 'money_amount', type: 'decimal(12,2)', currency: 'EUR', description: 'An amount.' },
        {
          name: 'event_date',
          type: 'string',
          description: 'Partition day.',
          required: true,
          partition: { projection: 'date', range: 'NOW-1YEARS,NOW' },
        },
      ],
    },
    sla: { updateFrequency: 'daily', freshness: { within: '26 hours', column: 'updated_at' }, retention: '1 year' },
    quality: [{ rule: 'rowCount', mustBeGreaterThan: 0 }],
    access: { visibility: 'mesh' },
    ...extra,
  };
}
