/**
 * loadMesh(): finds every domain and product file, parses each with the definition schemas, checks the
 * mesh as a whole, and reports every problem of every file in one go.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { crossAccountProblems } from '../access/cross-account';
import {
  type DomainDefinition,
  DomainDefinitionSchema,
  INPUT_REFERENCE,
  type ProductDefinition,
  ProductDefinitionSchema,
} from '../definition/schema';
import { checkProduct, majorOf } from './check-product';
import { type MeshConfig, readMeshConfig } from './config';
import { locateProblems } from './locate';
import type { Mesh, MeshDomain, MeshProduct, ProductVersion } from './model';
import { type DomainParses, ParsedDefinitions } from './parsed-cache';
import { type DefinitionProblem, MeshDefinitionError, problemsFromZod } from './problems';
import { resolveMesh } from './resolve';
import { type EvaluatedDefinition, evaluateDefinitions } from './sandbox/evaluate-definitions';
import type { SandboxOptions } from './sandbox/sandbox';
import { placeDomain } from './stage-placement';

export interface LoadMeshOptions {
  /** Project root holding cdk.json and the domains folder. @default process.cwd() */
  readonly root?: string;
  /** Mesh settings. @default read from cdk.json */
  readonly config?: MeshConfig;
  /** Limits of the sandbox definitions run in. @default 5 s and 256 MB per domain */
  readonly sandbox?: SandboxOptions;
  /**
   * Load only these domains and what their stacks read of others: the producers' domain files and the
   * product files their `inputs` name (not the inputs of those), and the domain files of the consumers they
   * name. Work stays proportional to the domain, whatever the size of the mesh; the inputs of products
   * outside these domains are not resolved (a full synth or `mesh validate` checks them).
   * @default every domain
   */
  readonly domains?: readonly string[];
  /**
   * Keep what each domain's definitions evaluated to under `node_modules/.cache/mesh/definitions/`, keyed by
   * the content of the domain folder, and read it back while nothing in the folder changed.
   * @default true
   */
  readonly cache?: boolean;
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

/** Products as this loader made them, by the key of the sources they were made from. */
const SOURCE_KEYS = new WeakMap<MeshProduct, string>();

/**
 * The key of the definition sources a product was loaded from (the content of its domain folder and its
 * file), for caches of results derived from it; `undefined` for a product object the loader did not make
 * (a copy changed in memory), whose content must then be hashed itself. The platform's own code is not in
 * the key: a cache adds the fingerprint of what it depends on.
 */
export function sourceKeyOf(product: MeshProduct): string | undefined {
  return SOURCE_KEYS.get(product);
}

/** Result of loading. */
export interface LoadResult {
  /** The mesh, when no file of any domain has a problem. */
  readonly mesh?: Mesh;
  /** Every problem of every domain. */
  readonly problems: readonly DefinitionProblem[];
  /**
   * What loaded: every domain whose domain file is valid, with its valid products and the inputs that
   * resolved. The stacks of domains that are not blocked are built from it.
   */
  readonly partial: Mesh;
  /** Problems by domain folder: these domains' stacks cannot be built until they are fixed. */
  readonly blocked: ReadonlyMap<string, readonly DefinitionProblem[]>;
}

/**
 * Loads and resolves the mesh; never throws for definition mistakes, returns them. Definition files are
 * evaluated apart from the platform (lib/mesh/sandbox): only their plain-data exports reach this process.
 */
export function tryLoadMesh(options: LoadMeshOptions = {}): LoadResult {
  const root = path.resolve(options.root ?? process.cwd());
  const config = options.config ?? readMeshConfig(root);
  const problems: DefinitionProblem[] = [];
  const domains: MeshDomain[] = [];
  /** Products and domains that failed to load, by id, with the file to fix. */
  const unavailable = new Map<string, string>();

  const files = discoverMeshFiles(root, config.domainsDir);
  if (files.size === 0) {
    problems.push({
      file: config.domainsDir,
      path: '',
      message: 'no domains found (expected <domain>/domain.ts folders)',
    });
  }
  const keys = new Map<string, string>();
  const parsedCache = options.cache === false ? undefined : new ParsedDefinitions(root);
  // A full load of a domain whose files are all held parsed needs none of their evaluated values; a load of
  // some domains reads the values to follow inputs and consumers.
  const alreadyParsed =
    parsedCache && !options.domains
      ? (domain: string, key: string, domainFiles: readonly string[]) => parsedCache.covers(domain, key, domainFiles)
      : undefined;
  const values = evaluateNeeded(root, config.domainsDir, files, options, keys, alreadyParsed);

  for (const [folder, meshFiles] of files) {
    const { domainFile } = meshFiles;
    const touched = values.has(domainFile) || meshFiles.productFiles.some((file) => values.has(file));
    if (options.domains && !options.domains.includes(folder) && !touched) continue;
    const productFiles = meshFiles.productFiles.filter((file) => values.has(file));
    const parsed = parsedCache?.forDomain(folder, keys.get(folder));
    const parsedDomain = parseFile(domainFile, DomainDefinitionSchema, values, problems, parsed);
    const placement = parsedDomain ? placeDomain(parsedDomain, config, domainFile) : undefined;
    if (placement) problems.push(...placement.problems);
    const domain = placement?.definition;
    if (domain && domain.name !== folder) {
      problems.push({
        file: domainFile,
        path: 'name',
        message: `domain name "${domain.name}" must equal its folder name "${folder}"`,
      });
    }
    if (!domain) unavailable.set(folder, domainFile);
    const products: MeshProduct[] = [];
    const seen = new Map<string, string>();
    for (const productFile of productFiles) {
      const fileName = path.basename(productFile, '.ts');
      const product = parseFile(productFile, ProductDefinitionSchema, values, problems, parsed);
      if (!product) {
        unavailable.set(`${folder}/${fileName}`, productFile);
        continue;
      }
      const productProblems = parsed?.isChecked(productFile) ? [] : checkProduct(productFile, product, fileName);
      if (productProblems.length === 0) parsed?.markChecked(productFile);
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
      if (domain && productProblems.length === 0) {
        const loaded = meshProduct(domain, productFile, product);
        const key = keys.get(folder);
        if (key) SOURCE_KEYS.set(loaded, `${key}:${productFile}`);
        products.push(loaded);
      } else unavailable.set(`${folder}/${fileName}`, productFile);
    }
    parsed?.save();
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

  const resolved = resolveMesh(config, domains, unavailable, [...files.keys()], options.domains);
  problems.push(...resolved.problems, ...crossAccountProblems(resolved.mesh));
  const located = locateProblems(root, problems);
  return {
    mesh: located.length === 0 ? resolved.mesh : undefined,
    problems: located,
    partial: resolved.mesh,
    blocked: problemsByDomain(config.domainsDir, located),
  };
}

/** Loads and resolves the mesh; throws MeshDefinitionError listing every problem. */
export function loadMesh(options: LoadMeshOptions = {}): Mesh {
  const result = tryLoadMesh(options);
  if (!result.mesh) throw new MeshDefinitionError(result.problems);
  return result.mesh;
}

/**
 * Evaluates the definition files loading needs: all of them, or with `domains` those domains' files and then,
 * in one more round, the files their inputs and consumers name.
 */
function evaluateNeeded(
  root: string,
  domainsDir: string,
  files: ReadonlyMap<string, MeshFiles>,
  options: LoadMeshOptions,
  keys: Map<string, string>,
  alreadyParsed?: (domain: string, key: string, files: readonly string[]) => boolean,
): Map<string, EvaluatedDefinition> {
  const exists = (file: string) => fs.existsSync(path.join(root, file));
  const values = new Map<string, EvaluatedDefinition>();
  const all = (folders: Iterable<MeshFiles>) =>
    [...folders].flatMap(({ domainFile, productFiles }) => [domainFile, ...productFiles]).filter(exists);
  let pending = options.domains
    ? all(options.domains.map((d) => files.get(d)).filter((f): f is MeshFiles => f !== undefined))
    : all(files.values());
  // Round one: the selected domains; round two: what they name. Nothing those name is needed.
  for (let round = 1; pending.length > 0 && round <= 2; round++) {
    const evaluated = evaluateDefinitions(
      root,
      domainsDir,
      pending,
      options.sandbox,
      options.cache === false ? null : root,
      keys,
      alreadyParsed,
    );
    for (const [file, value] of evaluated) values.set(file, value);
    if (!options.domains) break;
    const next = new Set<string>();
    for (const { value } of evaluated.values()) {
      // The producer's fences name its consumers' roles, derived from the consumers' domain files.
      for (const consumer of consumerDomainsOf(value)) {
        const domainFile = files.get(consumer)?.domainFile;
        if (domainFile && !values.has(domainFile) && exists(domainFile)) next.add(domainFile);
      }
      for (const reference of inputsOf(value)) {
        const [, domain, product] = INPUT_REFERENCE.exec(reference) ?? [];
        const producer = domain ? files.get(domain) : undefined;
        if (!producer) continue;
        const productFile = path.join(domainsDir, domain, PRODUCTS_DIR, `${product}.ts`);
        for (const file of [producer.domainFile, productFile]) {
          if (!values.has(file) && exists(file)) next.add(file);
        }
      }
    }
    pending = [...next];
  }
  return values;
}

/** The domains an evaluated product lists in `access.consumers`, before validation. */
function consumerDomainsOf(value: unknown): string[] {
  const consumers = (value as { access?: { consumers?: unknown } } | undefined)?.access?.consumers;
  if (!Array.isArray(consumers)) return [];
  return consumers.map((c) => (c as { domain?: unknown })?.domain).filter((d): d is string => typeof d === 'string');
}

/** The `inputs` of an evaluated product, before validation (only to know what else to load). */
function inputsOf(value: unknown): string[] {
  const inputs = (value as { inputs?: unknown } | undefined)?.inputs;
  return Array.isArray(inputs) ? inputs.filter((i): i is string => typeof i === 'string') : [];
}

/** The domain folder a problem's file is in; problems outside every domain (none found) block them all. */
function problemsByDomain(
  domainsDir: string,
  problems: readonly DefinitionProblem[],
): Map<string, DefinitionProblem[]> {
  const byDomain = new Map<string, DefinitionProblem[]>();
  for (const problem of problems) {
    const relative = path.relative(domainsDir, problem.file);
    const folder = relative.startsWith('..') || relative === '' ? '*' : relative.split(path.sep)[0];
    byDomain.set(folder, [...(byDomain.get(folder) ?? []), problem]);
  }
  return byDomain;
}

function parseFile<T extends z.ZodType>(
  file: string,
  schema: T,
  values: ReadonlyMap<string, EvaluatedDefinition>,
  problems: DefinitionProblem[],
  parsed?: DomainParses,
): z.infer<T> | undefined {
  const evaluated = values.get(file);
  if (!evaluated) {
    problems.push({ file, path: '', message: 'file is missing (every domain folder needs a domain.ts)' });
    return undefined;
  }
  if (evaluated.problems) {
    problems.push(...evaluated.problems);
    return undefined;
  }
  const known = parsed?.get(file);
  if (known !== undefined) return deepFreeze(known as z.infer<T>);
  const result = schema.safeParse(evaluated.value, { reportInput: true });
  if (!result.success) {
    problems.push(...problemsFromZod(file, schema, evaluated.value, result.error));
    return undefined;
  }
  parsed?.set(file, result.data);
  return deepFreeze(result.data);
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
