/**
 * writeSite puts the site on disk: into a new or empty folder, over an earlier portal (replacing it whole),
 * and never into a folder that holds anything else, which it leaves as it was.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PORTAL_MARKER, type SiteFile, writeSite } from '../../lib/portal/build-site';
import { exampleMesh, siteOf } from './portal-fixtures';

let work: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-write-'));
});

afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every file under a folder, relative, with forward slashes, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const SMALL: SiteFile[] = [
  { path: 'index.html', content: '<!doctype html><title>home</title>' },
  { path: 'products/sales/orders.html', content: 'Straße, 東京 — not ASCII' },
  { path: 'assets/portal.css', content: 'body{}' },
];

describe('writeSite', () => {
  it('writes every file of the built example site, the marker beside them, and returns the bytes', () => {
    const files = siteOf(exampleMesh());
    const out = path.join(work, 'portal');
    const bytes = writeSite(out, files);
    expect(filesUnder(out)).toEqual([PORTAL_MARKER, ...files.map((f) => f.path)].sort());
    for (const file of files) expect(fs.readFileSync(path.join(out, file.path), 'utf8')).toBe(file.content);
    expect(bytes).toBe(files.reduce((n, f) => n + Buffer.byteLength(f.content), 0));
  });

  it('counts bytes, not characters, and creates missing parent folders', () => {
    const out = path.join(work, 'a', 'b', 'site');
    const bytes = writeSite(out, SMALL);
    // 'Straße, 東京 — not ASCII' is 22 characters and 29 bytes in UTF-8.
    expect(bytes).toBe(34 + 29 + 6);
    expect(fs.readFileSync(path.join(out, 'products', 'sales', 'orders.html'), 'utf8')).toBe(SMALL[1].content);
  });

  it('writes into an existing empty folder', () => {
    writeSite(work, SMALL);
    expect(filesUnder(work)).toEqual([PORTAL_MARKER, 'assets/portal.css', 'index.html', 'products/sales/orders.html']);
  });

  it('refuses a folder that holds files but no earlier portal, and leaves them untouched', () => {
    const project = path.join(work, 'project');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), '{"name":"mine"}');
    fs.writeFileSync(path.join(project, 'src', 'index.ts'), 'export {};\n');
    const before = filesUnder(project);
    const mtime = fs.statSync(path.join(project, 'package.json')).mtimeMs;
    expect(() => writeSite(project, SMALL)).toThrow(
      `${project} is not empty and holds no earlier portal (no ${PORTAL_MARKER} file): choose an empty or new folder`,
    );
    expect(filesUnder(project)).toEqual(before);
    expect(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).toBe('{"name":"mine"}');
    expect(fs.statSync(path.join(project, 'package.json')).mtimeMs).toBe(mtime);
    expect(fs.existsSync(path.join(project, PORTAL_MARKER))).toBe(false);
  });

  it('refuses a folder holding only a dot file (a hidden file is still somebody’s)', () => {
    fs.writeFileSync(path.join(work, '.env'), 'SECRET=1\n');
    expect(() => writeSite(work, SMALL)).toThrow(/holds no earlier portal/);
    expect(fs.readdirSync(work)).toEqual(['.env']);
  });

  it('replaces an earlier portal whole: pages that are gone are removed, the marker is kept', () => {
    const out = path.join(work, 'portal');
    writeSite(out, SMALL);
    fs.writeFileSync(path.join(out, 'products', 'sales', 'stale-note.txt'), 'left behind');
    const next: SiteFile[] = [
      { path: 'index.html', content: 'second build' },
      { path: 'domains/finance.html', content: 'finance' },
    ];
    writeSite(out, next);
    expect(filesUnder(out)).toEqual([PORTAL_MARKER, 'domains/finance.html', 'index.html']);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('second build');
    expect(fs.existsSync(path.join(out, 'products'))).toBe(false);
    // And a third build over the second works the same way.
    writeSite(out, SMALL);
    expect(filesUnder(out)).toEqual([PORTAL_MARKER, 'assets/portal.css', 'index.html', 'products/sales/orders.html']);
  });
});
