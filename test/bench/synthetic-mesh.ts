/**
 * Writes a synthetic mesh of D domains × P products into a folder, with realistic schemas (10–16 columns,
 * a date partition, quality rules, SLA) and cross-domain inputs, for benchmarks and scale tests. The shape is
 * plain data first (`syntheticMeshSpec`), so the plain CDK baseline (test/bench/plain-app) builds the same
 * mesh without reading the definition files.
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

/** One column of a synthetic product, as its definition file declares it. */
export interface SyntheticColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly primaryKey?: boolean;
  /** `true` for an Iceberg partition column, a date projection for a Parquet one. */
  readonly partition?: true | { readonly projection: 'date'; readonly range: string };
}

/** A quality rule of a synthetic product. */
export type SyntheticRule =
  | { readonly rule: 'notNull' | 'unique'; readonly column: string }
  | { readonly rule: 'rowCount'; readonly mustBeGreaterThan: number };

/** A synthetic product: everything its definition file says. */
export interface SyntheticProduct {
  readonly name: string;
  readonly version: string;
  readonly description: { readonly purpose: string };
  readonly archetype: 'source-aligned' | 'aggregate';
  readonly classification: 'internal';
  readonly format: 'parquet' | 'iceberg';
  readonly columns: readonly SyntheticColumn[];
  readonly sla: {
    readonly updateFrequency: 'daily';
    readonly freshness: { readonly within: string; readonly column: string };
    readonly retention: string;
  };
  readonly quality: readonly SyntheticRule[];
  readonly access: { readonly visibility: 'mesh' };
  /** Inputs as `<domain>/<product>@<major>`. */
  readonly inputs: readonly string[];
  /** A build from the first input; without it the product is checked on a schedule only. */
  readonly build?: {
    /** SQL with `{input:<domain>/<product>@<major>}` and `{run_date}` slots. */
    readonly sql: string;
    readonly schedule: string;
    readonly mode: 'partition-overwrite';
  };
}

/** A synthetic domain: its definition file and its products. */
export interface SyntheticDomain {
  readonly name: string;
  readonly description: string;
  readonly owner: { readonly team: string; readonly email: string };
  readonly costCenter: string;
  readonly products: readonly SyntheticProduct[];
}

/** The whole mesh `writeSyntheticMesh` writes, as data. */
export interface SyntheticMeshSpec {
  readonly prefix: string;
  readonly domains: readonly SyntheticDomain[];
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

function productSpec(d: number, p: number, options: SyntheticMeshOptions): SyntheticProduct {
  const columnCount = 8 + ((d * 7 + p) % 7);
  const built = options.builds === true && d > 0;
  const attributeType = (c: number) => EXTRA_COLUMN_TYPES[(c + p) % EXTRA_COLUMN_TYPES.length];
  const columns: SyntheticColumn[] = [
    { name: 'id', type: 'string', description: 'Row key.', required: true, unique: true, primaryKey: true },
    { name: 'updated_at', type: 'timestamp', description: 'Last change (UTC).', required: true },
  ];
  for (let c = 0; c < columnCount; c++) {
    columns.push({ name: `attribute_${c}`, type: attributeType(c), description: `Attribute ${c} of the entity.` });
  }
  columns.push({
    name: 'event_date',
    type: 'string',
    description: 'Partition day.',
    required: true,
    partition: built ? true : { projection: 'date', range: 'NOW-2YEARS,NOW' },
  });
  const inputs: string[] = [];
  const inputCount = d === 0 ? 0 : (options.inputsPerProduct ?? 2);
  for (let i = 0; i < inputCount && i < options.productsPerDomain; i++) {
    inputs.push(`${domainName(d - 1)}/${productName((p + i) % (options.inputPool ?? options.productsPerDomain))}@1`);
  }
  const attributes = Array.from(
    { length: columnCount },
    (_, c) => `CAST(NULL AS ${attributeType(c)}) AS attribute_${c}`,
  );
  return {
    name: productName(p),
    version: `1.${p % 5}.0`,
    description: { purpose: `Synthetic product ${p} of domain ${d}, shaped like a real source-aligned product.` },
    archetype: d === 0 ? 'source-aligned' : 'aggregate',
    classification: 'internal',
    format: built ? 'iceberg' : 'parquet',
    columns,
    sla: { updateFrequency: 'daily', freshness: { within: '26 hours', column: 'updated_at' }, retention: '2 years' },
    quality: [
      { rule: 'notNull', column: 'id' },
      { rule: 'unique', column: 'id' },
      { rule: 'rowCount', mustBeGreaterThan: 0 },
    ],
    access: { visibility: 'mesh' },
    inputs,
    ...(built && inputs.length > 0
      ? {
          build: {
            sql: `SELECT i.id, i.updated_at, ${attributes.join(', ')}, i.event_date FROM {input:${inputs[0]}} AS i WHERE i.event_date <= CAST({run_date} AS varchar)`,
            schedule: 'cron(0 5 * * ? *)',
            mode: 'partition-overwrite' as const,
          },
        }
      : {}),
  };
}

/** The mesh as data: the same domains, products, columns, inputs and builds `writeSyntheticMesh` writes. */
export function syntheticMeshSpec(options: SyntheticMeshOptions): SyntheticMeshSpec {
  return {
    prefix: options.prefix ?? 'bench',
    domains: Array.from({ length: options.domains }, (_, d) => ({
      name: domainName(d),
      description: `Synthetic domain ${d}.`,
      owner: { team: `Team ${d}`, email: `team-${d}@example.com` },
      costCenter: `CC-${1000 + d}`,
      products: Array.from({ length: options.productsPerDomain }, (_, p) => productSpec(d, p, options)),
    })),
  };
}

/** A value as a one-line TypeScript literal, `{ key: 'text', flag: true }` (the definition files' style). */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value !== 'object' || value === null) return String(value);
  const fields = Object.entries(value).map(([key, v]) => `${key}: ${literal(v)}`);
  return `{ ${fields.join(', ')} }`;
}

function productFile(product: SyntheticProduct): string {
  const build = product.build
    ? `build: {
    sql: ${literal(product.build.sql)},
    schedule: ${literal(product.build.schedule)},
    mode: ${literal(product.build.mode)},
  },`
    : '';
  return `import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: ${literal(product.name)},
  version: ${literal(product.version)},
  description: ${literal(product.description)},
  archetype: ${literal(product.archetype)},
  classification: ${literal(product.classification)},
  schema: {
    format: ${literal(product.format)},
    columns: [
      ${product.columns.map(literal).join(',\n      ')},
    ],
  },
  sla: ${literal(product.sla)},
  quality: [
    ${product.quality.map(literal).join(',\n    ')},
  ],
  access: ${literal(product.access)},
  inputs: [${product.inputs.map(literal).join(', ')}],
  ${build}
});
`;
}

function domainFile(domain: SyntheticDomain): string {
  return `import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: ${literal(domain.name)},
  description: ${literal(domain.description)},
  owner: ${literal(domain.owner)},
  costCenter: ${literal(domain.costCenter)},
});
`;
}

/**
 * Creates the mesh in `dir` with a cdk.json and a `lib` link to the platform's definitions, so the folder is
 * a project the app and the CLI can load.
 */
export function writeSyntheticMesh(dir: string, options: SyntheticMeshOptions): void {
  const projectRoot = path.resolve(__dirname, '..', '..');
  const spec = syntheticMeshSpec(options);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ context: { mesh: { prefix: spec.prefix } } }, null, 2));
  const libLink = path.join(dir, 'lib');
  if (!fs.existsSync(libLink)) fs.symlinkSync(path.join(projectRoot, 'lib'), libLink, 'dir');
  for (const domain of spec.domains) {
    const domainDir = path.join(dir, 'domains', domain.name);
    fs.mkdirSync(path.join(domainDir, 'products'), { recursive: true });
    fs.writeFileSync(path.join(domainDir, 'domain.ts'), domainFile(domain));
    for (const product of domain.products) {
      fs.writeFileSync(path.join(domainDir, 'products', `${product.name}.ts`), productFile(product));
    }
  }
}
