/**
 * In-memory meshes for contract tests: definitions parsed and resolved the way the loader does, without files,
 * plus temporary roots to hold lock files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type DomainDefinitionInput,
  DomainDefinitionSchema,
  type ProductDefinitionInput,
  ProductDefinitionSchema,
} from '../../lib/definition/schema';
import { checkProduct, majorOf } from '../../lib/mesh/check-product';
import { DEFAULT_MESH_CONFIG } from '../../lib/mesh/config';
import type { Mesh, MeshDomain, MeshProduct, ProductVersion } from '../../lib/mesh/model';
import { formatProblem } from '../../lib/mesh/problems';
import { resolveMesh } from '../../lib/mesh/resolve';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const CONFIG = { ...DEFAULT_MESH_CONFIG, prefix: 'acme' };

/** An orders-like product with a column for every constraint kind; override what a test is about. */
export function ordersInput(overrides: Partial<ProductDefinitionInput> = {}): ProductDefinitionInput {
  return {
    name: 'orders',
    version: '2.0.0',
    description: { purpose: 'Every order, one row per order.', usage: 'Filter on order_date.' },
    archetype: 'source-aligned',
    status: 'active',
    tags: ['orders'],
    classification: 'internal',
    schema: {
      format: 'parquet',
      columns: [
        {
          name: 'order_id',
          type: 'string',
          description: 'Order number.',
          required: true,
          unique: true,
          primaryKey: true,
        },
        { name: 'channel', type: 'string', description: 'web, store or phone.', required: true },
        { name: 'net_amount', type: 'decimal(12,2)', description: 'Net value, EUR.', required: true },
        { name: 'country', type: 'varchar(2)', description: 'Country code.' },
        { name: 'note', type: 'string', description: 'Free text.' },
        { name: 'ordered_at', type: 'timestamp', description: 'When it was placed.', required: true },
        {
          name: 'order_date',
          type: 'string',
          description: 'Partition day.',
          required: true,
          partition: { projection: 'date', range: '2019-01-01,NOW' },
        },
      ],
    },
    sla: { updateFrequency: 'hourly', freshness: { within: '2 hours', column: 'ordered_at' }, retention: '10 years' },
    quality: [
      { rule: 'acceptedValues', column: 'channel', values: ['web', 'store', 'phone'] },
      { rule: 'range', column: 'net_amount', min: -100, max: 100 },
      { rule: 'pattern', column: 'order_id', pattern: '^ORD-[0-9]+$' },
      { rule: 'length', column: 'country', min: 1, max: 3 },
    ],
    access: { visibility: 'mesh' },
    ...overrides,
  };
}

export function domainInput(name: string, overrides: Partial<DomainDefinitionInput> = {}): DomainDefinitionInput {
  return {
    name,
    description: `The ${name} domain.`,
    owner: { team: `${name} team`, email: `${name}@example.com` },
    costCenter: 'CC-1',
    ...overrides,
  };
}

/** Parses and checks a product like the loader does; throws with every problem. */
export function productOf(input: ProductDefinitionInput, domain = 'sales'): MeshProduct {
  const definition = ProductDefinitionSchema.parse(input);
  const file = `domains/${domain}/products/${definition.name}.ts`;
  const problems = checkProduct(file, definition, definition.name);
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\n'));
  const current: ProductVersion = {
    major: majorOf(definition.version),
    version: definition.version,
    schema: definition.schema,
    current: true,
  };
  const previous: ProductVersion[] = definition.previousVersions
    .map((v) => ({ major: majorOf(v.version), version: v.version, schema: v.schema, sunset: v.sunset, current: false }))
    .sort((a, b) => b.major - a.major);
  return {
    id: `${domain}/${definition.name}`,
    domain,
    name: definition.name,
    file,
    definition,
    owner: definition.owner ?? { team: `${domain} team`, email: `${domain}@example.com` },
    support: definition.support ?? [],
    classification: definition.classification ?? 'internal',
    versions: [current, ...previous],
  };
}

/** A resolved mesh of the given domains and products; throws on resolution problems. */
export function meshOf(
  products: readonly { domain: string; input: ProductDefinitionInput }[],
  domainOverrides: Record<string, Partial<DomainDefinitionInput>> = {},
): Mesh {
  const names = [...new Set([...products.map((p) => p.domain), ...Object.keys(domainOverrides)])].sort();
  const domains: MeshDomain[] = names.map((name) => ({
    name,
    file: `domains/${name}/domain.ts`,
    definition: DomainDefinitionSchema.parse(domainInput(name, domainOverrides[name])),
    products: products
      .filter((p) => p.domain === name)
      .map((p) => productOf(p.input, name))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  }));
  const { mesh, problems } = resolveMesh(CONFIG, domains);
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\n'));
  return mesh;
}

/** A fresh temporary project root for lock files. */
export function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-contracts-'));
}

/** Writes a file under `root`, creating folders. */
export function writeFile(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}
