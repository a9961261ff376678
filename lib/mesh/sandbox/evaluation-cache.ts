/**
 * What each domain's definition files evaluated to, kept by a hash of everything in the domain folder (a
 * definition imports only from its own folder) and of the code that compiles and evaluates them. A warm
 * load of an unchanged domain reads one file instead of compiling and running its definitions; an edit to
 * any file of the domain changes the key. Answers that may not repeat (a timeout, a crashed sandbox) are
 * never kept.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_ROOT, hashSources, ResultCache } from '../../cache/result-cache';
import type { SandboxOptions } from './sandbox';

/** Where the entries live, relative to the project root. */
export const DEFINITION_CACHE_DIR = path.join(CACHE_ROOT, 'definitions');

/** Bump when the shape of an entry changes. */
const ENTRY_FORMAT = 1;

/** Files of a domain folder that cannot change what a definition evaluates to. */
const NOT_DEFINITION_INPUT = /\.contract\.lock\.json$/;

let platformFingerprint: string | undefined;

/** The compiler, the sandbox and the runtime they run on. */
function platform(): string {
  platformFingerprint ??= createHash('sha256')
    .update(
      JSON.stringify([
        ENTRY_FORMAT,
        process.version,
        (require('esbuild/package.json') as { version: string }).version,
        hashSources([__dirname, path.join(__dirname, '..', 'problems.ts')]),
      ]),
    )
    .digest('hex');
  return platformFingerprint;
}

/** A file under a domain folder; `linked` when a symlink is on its way, so where it really is matters. */
interface FolderFile {
  readonly file: string;
  readonly linked: boolean;
}

/** Every file under a folder, relative to it, sorted; symlinked folders are followed once. */
function filesUnder(dir: string): FolderFile[] {
  const found: FolderFile[] = [];
  const seen = new Set<string>();
  const walk = (relative: string, linked: boolean) => {
    const absolute = path.join(dir, relative);
    if (linked) {
      let real: string;
      try {
        real = fs.realpathSync(absolute);
      } catch {
        return;
      }
      if (seen.has(real)) return;
      seen.add(real);
    }
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(relative, entry.name);
      // Only symlinks need a stat of their own; plain entries say what they are.
      const link = entry.isSymbolicLink();
      const stat = link ? fs.statSync(path.join(dir, child), { throwIfNoEntry: false }) : entry;
      if (stat?.isDirectory()) walk(child, linked || link);
      else if (stat?.isFile() && !NOT_DEFINITION_INPUT.test(entry.name))
        found.push({ file: child, linked: linked || link });
    }
  };
  walk('', false);
  return found;
}

/** The key of one domain's answers. */
export function domainKey(root: string, domainsDir: string, domain: string, options: SandboxOptions): string {
  const folder = path.join(root, domainsDir, domain);
  const realFolder = path.relative(root, fs.realpathSync(folder));
  const hash = createHash('sha256').update(`${platform()}\0${JSON.stringify(options)}\0${domainsDir}\0${realFolder}\0`);
  for (const { file, linked } of filesUnder(folder)) {
    const absolute = path.join(folder, file);
    // Where a file really is decides whether a definition may import it (the compile boundary), so a
    // symlink that starts pointing elsewhere is a change even when the content is the same.
    const real = linked ? path.relative(root, fs.realpathSync(absolute)) : '';
    hash.update(`${file}\0${real}\0`).update(fs.readFileSync(absolute)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/** Answers of one domain's files, by file relative to the root. */
export type DomainAnswers<T> = Record<string, T>;

/** The cache of a project (`undefined` turns it off). */
export function definitionCache<T>(root: string | undefined): ResultCache<DomainAnswers<T>> {
  return new ResultCache<DomainAnswers<T>>(root === undefined ? undefined : path.join(root, DEFINITION_CACHE_DIR));
}

/** Entry name: the domain's folder name (made file-safe) and its key; earlier entries of the domain share the prefix. */
export function entryName(domain: string, key?: string): string {
  const safe = domain.replace(/[^A-Za-z0-9_-]/g, '_');
  return key === undefined ? `${safe}--` : `${safe}--${key}`;
}
