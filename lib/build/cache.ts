/**
 * Results of build validation, kept by a hash of everything they depend on — the product's definition, the
 * schemas of the inputs it reads, the mesh prefix (it is in the table names), and the platform's own version
 * and validation code — so a warm run skips DuckDB and a changed file never meets a stale result.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CACHE_ROOT, hashSources } from '../cache/result-cache';

/** Where results are kept under the project root, as other tools keep theirs. */
export const BUILD_CACHE_DIR = path.join(CACHE_ROOT, 'builds');

/** Bump when the shape of a cached entry changes. */
const ENTRY_FORMAT = 1;

let platformFingerprint: string | undefined;

/**
 * The platform's version and the text of the code that decides a validation's result (lib/build, lib/quality
 * and the shared concepts, whose patterns become checks), so an upgrade or a local change of the checks is
 * never answered from an older cache.
 */
function platform(): string {
  platformFingerprint ??= hashSources([
    path.join(__dirname, '..', '..', 'package.json'),
    __dirname,
    path.join(__dirname, '..', 'quality'),
    path.join(__dirname, '..', 'concepts'),
    path.join(__dirname, '..', 'policies', 'concepts.ts'),
    path.join(__dirname, '..', 'policies', 'concept-registry.ts'),
  ]);
  return platformFingerprint;
}

/** The key of a result: a hash of the inputs it was computed from (any JSON value) and the platform. */
export function cacheKey(inputs: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: ENTRY_FORMAT, platform: platform(), inputs }))
    .digest('hex');
}

export { ResultCache } from '../cache/result-cache';
