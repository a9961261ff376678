/**
 * Definitions as the schemas parsed them (defaults filled in), kept per domain by the domain's evaluation key
 * (sandbox/evaluation-cache.ts: the content of the domain folder) and the schemas' own code. A warm load of
 * an unchanged domain skips zod; only files that parsed cleanly are kept, so every problem is found afresh.
 */
import * as path from 'node:path';
import { CACHE_ROOT, hashJson, hashSources, ResultCache } from '../cache/result-cache';
import { entryName } from './sandbox/evaluation-cache';

let schemaFingerprint: string | undefined;

/** The schemas, the per-file checks (check-product.ts) and what they import. */
function schemas(): string {
  schemaFingerprint ??= hashSources([
    path.join(__dirname, '..', 'definition'),
    path.join(__dirname, '..', 'build'),
    path.join(__dirname, '..', 'catalog'),
    path.join(__dirname, 'check-product.ts'),
    path.join(__dirname, 'problems.ts'),
    // Columns inherit types and descriptions from the shared concepts while they are parsed.
    path.join(__dirname, '..', 'policies', 'concepts.ts'),
    path.join(__dirname, '..', 'policies', 'concept-registry.ts'),
  ]);
  return schemaFingerprint;
}

/** Key under which an entry lists the product files whose per-file checks found nothing. */
const CHECKED = '\u0000checked';

/** One domain's parsed files: read at the start of the domain, written back once it is done. */
export class DomainParses {
  private readonly known: Record<string, unknown>;
  private added = false;

  constructor(
    private readonly cache: ResultCache<Record<string, unknown>>,
    private readonly name: string | undefined,
    private readonly prefix: string,
  ) {
    this.known = (name && cache.get(name)) || {};
  }

  get(file: string): unknown {
    return this.known[file];
  }

  set(file: string, data: unknown): void {
    this.known[file] = data;
    this.added = true;
  }

  /** Whether the file's per-file checks (checkProduct) found nothing under this key. */
  isChecked(file: string): boolean {
    return ((this.known[CHECKED] as string[] | undefined) ?? []).includes(file);
  }

  markChecked(file: string): void {
    if (this.isChecked(file)) return;
    this.known[CHECKED] = [...((this.known[CHECKED] as string[] | undefined) ?? []), file];
    this.added = true;
  }

  /** Writes the entry when a file was parsed afresh (and the domain has a key). */
  save(): void {
    if (this.added && this.name) this.cache.set(this.name, this.known, this.prefix);
  }
}

/** The parsed-definition cache of a project. */
export class ParsedDefinitions {
  private readonly cache: ResultCache<Record<string, unknown>>;

  constructor(root: string) {
    this.cache = new ResultCache(path.join(root, CACHE_ROOT, 'parsed'));
  }

  private readonly opened = new Map<string, DomainParses>();

  /** The parses of a domain folder; without its evaluation key nothing is read or kept. */
  forDomain(folder: string, key: string | undefined): DomainParses {
    const name = key === undefined ? undefined : entryName(folder, hashJson([key, schemas()]).slice(0, 32));
    const id = `${folder}\0${name}`;
    let parses = this.opened.get(id);
    if (!parses) {
      parses = new DomainParses(this.cache, name, entryName(folder));
      this.opened.set(id, parses);
    }
    return parses;
  }

  /** Whether every one of the files is held parsed under the domain's key. */
  covers(folder: string, key: string, files: readonly string[]): boolean {
    const parses = this.forDomain(folder, key);
    return files.every((file) => parses.get(file) !== undefined);
  }
}
