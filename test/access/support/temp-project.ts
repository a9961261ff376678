/**
 * Temporary mesh projects for tests: a cdk.json, a `lib` link to the platform's definitions (product files
 * import '../../../lib/definition'), and domain and product files written from plain objects.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DomainDefinitionInput, ProductDefinitionInput } from '../../../lib/definition';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface TempDomain {
  readonly definition: DomainDefinitionInput;
  readonly products?: readonly ProductDefinitionInput[];
}

/** Writes a project into a new temporary folder (or `dir`) and returns its root. */
export function writeTempProject(
  domains: readonly TempDomain[],
  options: { prefix?: string; dir?: string; stages?: Record<string, unknown>; defaultStage?: string } = {},
): string {
  const root = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-project-'));
  fs.mkdirSync(root, { recursive: true });
  const { stages, defaultStage } = options;
  fs.writeFileSync(
    path.join(root, 'cdk.json'),
    JSON.stringify({ context: { mesh: { prefix: options.prefix ?? 'acme', stages, defaultStage } } }),
  );
  const libLink = path.join(root, 'lib');
  if (!fs.existsSync(libLink)) fs.symlinkSync(path.join(PROJECT_ROOT, 'lib'), libLink, 'dir');
  for (const domain of domains) {
    const domainDir = path.join(root, 'domains', domain.definition.name);
    fs.mkdirSync(path.join(domainDir, 'products'), { recursive: true });
    fs.writeFileSync(
      path.join(domainDir, 'domain.ts'),
      `import { defineDomain } from '../../lib/definition';\n\nexport default defineDomain(${JSON.stringify(domain.definition, null, 2)});\n`,
    );
    for (const product of domain.products ?? []) {
      fs.writeFileSync(
        path.join(domainDir, 'products', `${product.name}.ts`),
        `import { defineProduct } from '../../../lib/definition';\n\nexport default defineProduct(${JSON.stringify(product, null, 2)});\n`,
      );
    }
  }
  return root;
}

export function domain(name: string, extra: Partial<DomainDefinitionInput> = {}): DomainDefinitionInput {
  return {
    name,
    description: `The ${name} domain.`,
    owner: { team: `${name} team`, email: `${name.replace(/_/g, '-')}@example.com` },
    costCenter: 'CC-1000',
    ...extra,
  };
}

/** A small valid product; `extra` overrides any field. */
export function product(name: string, extra: Partial<ProductDefinitionInput> = {}): ProductDefinitionInput {
  return {
    name,
    version: '1.0.0',
    description: { purpose: `The ${name} product.` },
    archetype: 'source-aligned',
    classification: 'internal',
    schema: {
      columns: [
        { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
        { name: 'amount', type: 'decimal(12,2)', description: 'An amount.' },
      ],
    },
    access: { visibility: 'mesh' },
    ...extra,
  };
}

/** Access shared with the named domains, each with a purpose. */
export function consumers(...domains: string[]) {
  return {
    visibility: 'consumers' as const,
    consumers: domains.map((d) => ({ domain: d, purpose: 'Reporting' })),
  };
}

/** A product built from its inputs (each read once in the build SQL). */
export function built(...inputs: string[]) {
  return {
    inputs,
    schema: {
      format: 'iceberg' as const,
      columns: [
        { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
        { name: 'amount', type: 'decimal(12,2)', description: 'An amount.' },
      ],
    },
    build: {
      sql: inputs.map((i) => `SELECT id, amount FROM {input:${i}}`).join(' UNION ALL '),
      schedule: 'rate(1 day)',
      mode: 'full-refresh' as const,
    },
  };
}

export function removeTempProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
