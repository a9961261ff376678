/** A fresh portal for a test file: built once with the CLI, as a user builds it, into a temporary folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMesh } from '../../support/run-mesh';
import { PROJECT_ROOT } from '../../support/temp-project';

export interface BuiltPortal {
  /** The folder the site was written to. */
  readonly dir: string;
  /** How long `mesh portal build` took, in milliseconds. */
  readonly buildMs: number;
  /**
   * The file:// URL of a page of the site, given relative to its root (`products/sales/orders.html`), with
   * any query or fragment kept as such (`index.html?q=orders`).
   */
  url(page: string): string;
}

/** Runs `mesh -C <root> portal build --out <tmp>`; fails with the CLI's output when it does not exit 0. */
export async function buildPortal(root: string = PROJECT_ROOT): Promise<BuiltPortal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-'));
  const started = Date.now();
  const run = await runMesh(['-C', root, 'portal', 'build', '--out', dir]);
  const buildMs = Date.now() - started;
  if (run.code !== 0) {
    throw new Error(`mesh portal build exited ${run.code}\n${run.stderr}${run.stdout}`);
  }
  return { dir, buildMs, url: (page) => pageUrl(dir, page) };
}

/** pathToFileURL would encode `?` and `#` as part of the file name; they are split off first. */
function pageUrl(dir: string, page: string): string {
  const [file, suffix = ''] = page.split(/(?=[?#])/, 2);
  return pathToFileURL(path.join(dir, file)).href + suffix;
}

/** Bytes and files under a folder, for the scale report. */
export function folderSize(dir: string): { readonly bytes: number; readonly files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { bytes, files };
}

export function removePortal(portal: BuiltPortal | undefined): void {
  if (portal) fs.rmSync(portal.dir, { recursive: true, force: true });
}
