/**
 * Writes a synthetic mesh of D domains × P products into a folder, with realistic schemas (10–16 columns,
 * a date partition, quality rules, SLA) and cross-domain inputs, for benchmarks and scale tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SyntheticMeshOptions {
  readonly domains: number;
  readonly productsPerDomain: number;
  /** Cross-domain inputs per product (to products of the previous domain). @default 2 */
  readonly inputsPerProduct?: number;
  /** Inputs are drawn from the first N products of the previous domain. @default productsPerDomain */
  readonly inputPool?: number;
  /** Mesh prefix written to cdk.json. @default 'bench' */
  readonly prefix?: string;
  /**
   * Products of every domain but the first are Iceberg tables built from their first input (the runtime's
   * build, write-audit-publish); the others get scheduled checks. @default false: every product is checked only
   */
  readonly builds?: boolean;
}

const EXTRA_COLUMN_TYPES = [
  'string',
  'bigint',
  'double',
  'decimal(12,2)',
  'boolean',
  'timestamp',
  'int',
  'varchar(64)',
];

export function domainName(i: number): string {
  return `domain_${String(i).padStart(3, '0')}`;
}

export function productName(i: number): string {
  return `product_${String(i).padStart(3, '0')}`;
}

function productFile(d: number, p: number, options: SyntheticMeshOptions): string {
  const columnCount = 8 + ((d * 7 + p) % 7);
  const built = options.builds === true && d > 0;
  const columns = [
    `{ name: 'id', type: 'string', description: 'Row key.', required: true, unique: true, primaryKey: true }`,
    `{ name: 'updated_at', type: 'timestamp', description: 'Last change (UTC).', required: true }`,
  ];
  for (let c = 0; c < columnCount; c++) {
    const type = EXTRA_COLUMN_TYPES[(c + p) % EXTRA_COLUMN_TYPES.length];
    columns.push(`{ name: 'attribute_${c}', type: '${type}', description: 'Attribute ${c} of the entity.' }`);
  }
  columns.push(
    built
      ? `{ name: 'event_date', type: 'string', description: 'Partition day.', required: true, partition: true }`
      : `{ name: 'event_date', type: 'string', description: 'Partition day.', required: true, partition: { projection: 'date', range: 'NOW-2YEARS,NOW' } }`,
  );
  const inputs: string[] = [];
  const inputCount = d === 0 ? 0 : (options.inputsPerProduct ?? 2);
  for (let i = 0; i < inputCount && i < options.productsPerDomain; i++) {
    inputs.push(`'${domainName(d - 1)}/${productName((p + i) % (options.inputPool ?? options.productsPerDomain))}@1'`);
  }
  const attributes = Array.from({ length: columnCount }, (_, c) => {
    const type = EXTRA_COLUMN_TYPES[(c + p) % EXTRA_COLUMN_TYPES.length];
    return `CAST(NULL AS ${type}) AS attribute_${c}`;
  });
  const build =
    built && inputs.length > 0
      ? `build: {
    sql: 'SELECT i.id, i.updated_at, ${attributes.join(', ')}, i.event_date FROM {input:${inputs[0].slice(1, -1)}} AS i WHERE i.event_date <= CAST({run_date} AS varchar)',
    schedule: 'cron(0 5 * * ? *)',
    mode: 'partition-overwrite',
  },`
      : '';
  return `import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: '${productName(p)}',
  version: '1.${p % 5}.0',
  description: { purpose: 'Synthetic product ${p} of domain ${d}, shaped like a real source-aligned product.' },
  archetype: '${d === 0 ? 'source-aligned' : 'aggregate'}',
  classification: 'internal',
  schema: {
    format: '${built ? 'iceberg' : 'parquet'}',
    columns: [
      ${columns.join(',\n      ')},
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '26 hours', column: 'updated_at' }, retention: '2 years' },
  quality: [
    { rule: 'notNull', column: 'id' },
    { rule: 'unique', column: 'id' },
    { rule: 'rowCount', mustBeGreaterThan: 0 },
  ],
  access: { visibility: 'mesh' },
  inputs: [${inputs.join(', ')}],
  ${build}
});
`;
}

function domainFile(d: number): string {
  return `import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: '${domainName(d)}',
  description: 'Synthetic domain ${d}.',
  owner: { team: 'Team ${d}', email: 'team-${d}@example.com' },
  costCenter: 'CC-${1000 + d}',
});
`;
}

/**
 * Creates the mesh in `dir` with a cdk.json and a `lib` link to the platform's definitions, so the folder is
 * a project the app and the CLI can load.
 */
export function writeSyntheticMesh(dir: string, options: SyntheticMeshOptions): void {
  const projectRoot = path.resolve(__dirname, '..', '..');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'cdk.json'),
    JSON.stringify({ context: { mesh: { prefix: options.prefix ?? 'bench' } } }, null, 2),
  );
  const libLink = path.join(dir, 'lib');
  if (!fs.existsSync(libLink)) fs.symlinkSync(path.join(projectRoot, 'lib'), libLink, 'dir');
  for (let d = 0; d < options.domains; d++) {
    const domainDir = path.join(dir, 'domains', domainName(d));
    fs.mkdirSync(path.join(domainDir, 'products'), { recursive: true });
    fs.writeFileSync(path.join(domainDir, 'domain.ts'), domainFile(d));
    for (let p = 0; p < options.productsPerDomain; p++) {
      fs.writeFileSync(path.join(domainDir, 'products', `${productName(p)}.ts`), productFile(d, p, options));
    }
  }
}
