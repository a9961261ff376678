/**
 * Results of build validation, kept by a hash of everything they depend on — the product's definition, the
 * schemas of the inputs it reads, the mesh prefix (it is in the table names), and the platform's own version
 * and validation code — so a warm run skips DuckDB and a changed file never meets a stale result.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_ROOT } from '../cache/result-cache';

/** Where results are kept under the project root, as other tools keep theirs. */
export const BUILD_CACHE_DIR = path.join(CACHE_ROOT, 'builds');

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

export { ResultCache } from '../cache/result-cache';
