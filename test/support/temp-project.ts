/**
 * Temporary projects for tests: a folder with cdk.json, domain and product files, and a `lib` link to the
 * platform's definitions (product files import '../../../lib/definition').
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** A file's content: TypeScript source, or a value written as `export default <json>`. */
export type FileContent = string | Record<string, unknown>;

export interface TempProjectSpec {
  /** Domain folder name → domain.ts content and product files (name without .ts → content). */
  readonly domains: Record<string, { readonly domain?: FileContent; readonly products?: Record<string, FileContent> }>;
  /** Mesh prefix. @default 'acme' */
  readonly prefix?: string;
}

function render(content: FileContent): string {
  return typeof content === 'string' ? content : `export default ${JSON.stringify(content, null, 2)};\n`;
}

export function makeTempProject(spec: TempProjectSpec): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-test-'));
  fs.writeFileSync(
    path.join(dir, 'cdk.json'),
    JSON.stringify({ context: { mesh: { prefix: spec.prefix ?? 'acme' } } }),
  );
  fs.symlinkSync(path.join(PROJECT_ROOT, 'lib'), path.join(dir, 'lib'), 'dir');
  for (const [name, domain] of Object.entries(spec.domains)) {
    const domainDir = path.join(dir, 'domains', name);
    fs.mkdirSync(path.join(domainDir, 'products'), { recursive: true });
    if (domain.domain !== undefined) fs.writeFileSync(path.join(domainDir, 'domain.ts'), render(domain.domain));
    for (const [product, content] of Object.entries(domain.products ?? {})) {
      fs.writeFileSync(path.join(domainDir, 'products', `${product}.ts`), render(content));
    }
  }
  return dir;
}

/**
 * A copy of the example mesh as a runnable project: domains/ and cdk.json copied (so they can be edited),
 * everything else linked.
 */
export function copyExampleProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-example-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'domains'), path.join(dir, 'domains'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'cdk.json'), path.join(dir, 'cdk.json'));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(dir, 'package.json'));
  for (const linked of ['lib', 'constructs', 'bin', 'node_modules', 'tsconfig.json']) {
    fs.symlinkSync(path.join(PROJECT_ROOT, linked), path.join(dir, linked));
  }
  return dir;
}

export function validDomain(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    description: `The ${name} domain.`,
    owner: { team: `${name} team`, email: `${name}@example.com` },
    costCenter: 'CC-1',
    ...overrides,
  };
}

export function validProduct(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    version: '1.0.0',
    description: { purpose: `The ${name} product.` },
    archetype: 'source-aligned',
    schema: {
      columns: [
        { name: 'id', type: 'string', description: 'Key.', required: true },
        { name: 'amount', type: 'decimal(12,2)', description: 'Amount.' },
        { name: 'updated_at', type: 'timestamp', description: 'Last change.' },
      ],
    },
    sla: { updateFrequency: 'daily', retention: '1 year' },
    access: { visibility: 'mesh' },
    ...overrides,
  };
}
