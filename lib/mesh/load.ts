/**
 * loadMesh(): finds every domain and product file, parses each with the definition schemas, checks the
 * mesh as a whole, and reports every problem of every file in one go.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import {
  type DomainDefinition,
  DomainDefinitionSchema,
  type ProductDefinition,
  ProductDefinitionSchema,
} from '../definition/schema';
import { checkProduct, majorOf } from './check-product';
import { type MeshConfig, readMeshConfig } from './config';
import type { Mesh, MeshDomain, MeshProduct, ProductVersion } from './model';
import { type DefinitionProblem, MeshDefinitionError, problemsFromZod } from './problems';
import { resolveMesh } from './resolve';

export interface LoadMeshOptions {
  /** Project root holding cdk.json and the domains folder. @default process.cwd() */
  readonly root?: string;
  /** Mesh settings. @default read from cdk.json */
  readonly config?: MeshConfig;
}

export interface MeshFiles {
  readonly domainFile: string;
  readonly productFiles: readonly string[];
}

export const DOMAIN_FILE = 'domain.ts';
export const PRODUCTS_DIR = 'products';

/** Domain folders and their product files, relative to the root, sorted. */
export function discoverMeshFiles(root: string, domainsDir: string): Map<string, MeshFiles> {
  const found = new Map<string, MeshFiles>();
  const base = path.join(root, domainsDir);
  if (!fs.existsSync(base)) return found;
  for (const entry of fs.readdirSync(base, { withFileTypes: true }).sort(byName)) {
    if (!entry.isDirectory()) continue;
    const productsDir = path.join(base, entry.name, PRODUCTS_DIR);
    const productFiles = fs.existsSync(productsDir)
      ? fs
          .readdirSync(productsDir)
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
          .sort()
          .map((f) => path.join(domainsDir, entry.name, PRODUCTS_DIR, f))
      : [];
    found.set(entry.name, { domainFile: path.join(domainsDir, entry.name, DOMAIN_FILE), productFiles });
  }
  return found;
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Result of loading: the mesh when there were no problems. */
export interface LoadResult {
  readonly mesh?: Mesh;
  readonly problems: readonly DefinitionProblem[];
}

/** Loads and resolves the mesh; never throws for definition mistakes, returns them. */
export function tryLoadMesh(options: LoadMeshOptions = {}): LoadResult {
  const root = path.resolve(options.root ?? process.cwd());
  const config = options.config ?? readMeshConfig(root);
  const problems: DefinitionProblem[] = [];
  const domains: MeshDomain[] = [];

  const files = discoverMeshFiles(root, config.domainsDir);
  if (files.size === 0) {
    problems.push({
      file: config.domainsDir,
      path: '',
      message: 'no domains found (expected <domain>/domain.ts folders)',
    });
  }

  for (const [folder, { domainFile, productFiles }] of files) {
    const domain = parseFile(root, domainFile, DomainDefinitionSchema, problems);
    if (domain && domain.name !== folder) {
      problems.push({
        file: domainFile,
        path: 'name',
        message: `domain name "${domain.name}" must equal its folder name "${folder}"`,
      });
    }
    const products: MeshProduct[] = [];
    const seen = new Map<string, string>();
    for (const productFile of productFiles) {
      const product = parseFile(root, productFile, ProductDefinitionSchema, problems);
      if (!product) continue;
      const fileName = path.basename(productFile, '.ts');
      const productProblems = checkProduct(productFile, product, fileName);
      const twin = seen.get(product.name);
      if (twin) {
        productProblems.push({
          file: productFile,
          path: 'name',
          message: `duplicate product name "${product.name}" (also declared in ${twin}); product names are unique in a domain`,
        });
      } else {
        seen.set(product.name, productFile);
      }
      problems.push(...productProblems);
      if (domain && productProblems.length === 0) products.push(meshProduct(domain, productFile, product));
    }
    if (domain) {
      domains.push(
        Object.freeze({
          name: domain.name,
          file: domainFile,
          definition: domain,
          products: Object.freeze(products.sort((a, b) => (a.name < b.name ? -1 : 1))),
        }),
      );
    }
  }
  if (problems.length > 0) return { problems };

  const resolved = resolveMesh(config, domains);
  if (resolved.problems.length > 0) return { problems: resolved.problems };
  return { mesh: resolved.mesh, problems: [] };
}

/** Loads and resolves the mesh; throws MeshDefinitionError listing every problem. */
export function loadMesh(options: LoadMeshOptions = {}): Mesh {
  const result = tryLoadMesh(options);
  if (!result.mesh) throw new MeshDefinitionError(result.problems);
  return result.mesh;
}

function parseFile<T extends z.ZodType>(
  root: string,
  file: string,
  schema: T,
  problems: DefinitionProblem[],
): z.infer<T> | undefined {
  const absolute = path.join(root, file);
  if (!fs.existsSync(absolute)) {
    problems.push({ file, path: '', message: 'file is missing (every domain folder needs a domain.ts)' });
    return undefined;
  }
  let exported: unknown;
  try {
    // Definition files are TypeScript; the app and CLI run under tsx and tests under jest, both load .ts.
    const loaded = require(absolute) as { default?: unknown };
    exported = loaded.default;
  } catch (err) {
    problems.push({ file, path: '', message: `cannot be loaded: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
  if (exported === undefined) {
    problems.push({ file, path: '', message: 'has no default export (write `export default defineProduct({...})`)' });
    return undefined;
  }
  const parsed = schema.safeParse(exported, { reportInput: true });
  if (!parsed.success) {
    problems.push(...problemsFromZod(file, schema, exported, parsed.error));
    return undefined;
  }
  return deepFreeze(parsed.data);
}

function meshProduct(domain: DomainDefinition, file: string, product: ProductDefinition): MeshProduct {
  const current: ProductVersion = {
    major: majorOf(product.version),
    version: product.version,
    schema: product.schema,
    current: true,
  };
  const previous: ProductVersion[] = product.previousVersions
    .map((v) => ({ major: majorOf(v.version), version: v.version, schema: v.schema, sunset: v.sunset, current: false }))
    .sort((a, b) => b.major - a.major);
  return Object.freeze({
    id: `${domain.name}/${product.name}`,
    domain: domain.name,
    name: product.name,
    file,
    definition: product,
    owner: product.owner ?? domain.owner,
    support: product.support ?? domain.support,
    classification: product.classification ?? domain.defaults.classification,
    versions: Object.freeze([current, ...previous]),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
