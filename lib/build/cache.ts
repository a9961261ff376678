/**
 * Results of build validation, kept by a hash of everything they depend on — the product's definition, the
 * schemas of the inputs it reads, the mesh prefix (it is in the table names), and the platform's own version
 * and validation code — so a warm run skips DuckDB and a changed file never meets a stale result.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where results are kept under the project root, as other tools keep theirs. */
export const BUILD_CACHE_DIR = path.join('node_modules', '.cache', 'mesh', 'builds');

/** Bump when the shape of a cached entry changes. */
const ENTRY_FORMAT = 1;

let platformFingerprint: string | undefined;

/**
 * The platform's version and the text of the code that decides a validation's result (lib/build and
 * lib/quality), so an upgrade or a local change of the checks is never answered from an older cache.
 */
function platform(): string {
  if (platformFingerprint) return platformFingerprint;
  const hash = createHash('sha256');
  for (const file of [path.join(__dirname, '..', '..', 'package.json')]) hash.update(readOr(file));
  for (const dir of [__dirname, path.join(__dirname, '..', 'quality')]) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (/\.(ts|js)$/.test(name)) hash.update(name).update(readOr(path.join(dir, name)));
    }
  }
  platformFingerprint = hash.digest('hex');
  return platformFingerprint;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The key of a result: a hash of the inputs it was computed from (any JSON value) and the platform. */
export function cacheKey(inputs: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: ENTRY_FORMAT, platform: platform(), inputs }))
    .digest('hex');
}

/** A cache of JSON values in a folder; unreadable entries count as missing, failed writes are ignored. */
export class ResultCache<T> {
  constructor(private readonly dir: string | undefined) {}

  get(key: string): T | undefined {
    if (!this.dir) return undefined;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, `${key}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: T): void {
    if (!this.dir) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      // Written aside and renamed, so a concurrent reader never sees half an entry.
      const temporary = path.join(this.dir, `${key}.${process.pid}.tmp`);
      fs.writeFileSync(temporary, JSON.stringify(value));
      fs.renameSync(temporary, path.join(this.dir, `${key}.json`));
    } catch {
      // A read-only node_modules only costs the next run its speed.
    }
  }
}
