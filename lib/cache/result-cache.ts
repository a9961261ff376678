/**
 * Results kept on disk by a hash of what they were computed from, under `node_modules/.cache/mesh/` of the
 * project, as other tools keep theirs. A warm run reads an entry instead of doing the work; a changed input
 * changes the key, so a stale entry is never read. Unreadable entries count as missing; a failed write (a
 * read-only node_modules) costs only the next run its speed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder of every cache of the platform, relative to the project root. */
export const CACHE_ROOT = path.join('node_modules', '.cache', 'mesh');

/** A hash of the text of files (and of every file in folders, not recursing), named by their base names. */
export function hashSources(entries: readonly string[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    const files = stat?.isDirectory()
      ? fs
          .readdirSync(entry)
          .sort()
          .filter((name) => /\.(ts|js|cjs|json)$/.test(name))
          .map((name) => path.join(entry, name))
      : [entry];
    for (const file of files)
      hash
        .update(`${path.basename(file)}\0`)
        .update(readOr(file))
        .update('\0');
  }
  return hash.digest('hex');
}

function readOr(file: string): Buffer | string {
  try {
    return fs.readFileSync(file);
  } catch {
    return '';
  }
}

/** sha256 of a JSON value, hex. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** A cache of JSON values in a folder, one file per key. */
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

  /**
   * Stores `value` under `key`. With `replaces`, entries whose names start with it (earlier results for the
   * same subject, e.g. one domain's files before an edit) are removed, so the folder does not grow per edit.
   */
  set(key: string, value: T, replaces?: string): void {
    if (!this.dir) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      // Written aside and renamed, so a concurrent reader never sees half an entry.
      const temporary = path.join(this.dir, `${key}.${process.pid}.tmp`);
      fs.writeFileSync(temporary, JSON.stringify(value));
      fs.renameSync(temporary, path.join(this.dir, `${key}.json`));
      if (replaces) {
        for (const name of fs.readdirSync(this.dir)) {
          if (name.startsWith(replaces) && name !== `${key}.json` && name.endsWith('.json')) {
            fs.rmSync(path.join(this.dir, name), { force: true });
          }
        }
      }
    } catch {
      // A read-only node_modules only costs the next run its speed.
    }
  }
}
