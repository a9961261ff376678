/**
 * Every page of the example mesh's portal as a person opens it from the file system: it loads cleanly and
 * offline, keeps the shared page structure, its links lead somewhere, axe finds nothing serious, and
 * screenshots are written for review (docs/screenshots/lineage.png too with UPDATE_SCREENSHOTS=1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../support/temp-project';
import { seriousViolations } from './support/axe';
import { type BrowserSession, openSession } from './support/browser';
import { type BuiltPortal, buildPortal, removePortal } from './support/portal';
import { linkTargets, NO_PROBLEMS, openWatched } from './support/watched-page';

/** One page of every type; the product has inputs and consumers, the domain products of its own. */
const PAGE_TYPES: Record<string, string> = {
  home: 'index.html',
  lineage: 'lineage.html',
  metrics: 'metrics.html',
  domain: 'domains/marketing.html',
  product: 'products/marketing/campaign_performance.html',
};

let session: BrowserSession;
let portal: BuiltPortal;

beforeAll(async () => {
  [session, portal] = await Promise.all([openSession(), buildPortal()]);
});

afterAll(async () => {
  await session?.browser.close();
  removePortal(portal);
});

/** Every HTML page the build wrote, relative to the site root. */
function allPages(): string[] {
  return fs
    .readdirSync(portal.dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

test('the build writes a page for the home, lineage, metrics, every domain and every product of the example mesh', () => {
  const domains = fs.readdirSync(path.join(PROJECT_ROOT, 'domains')).sort();
  const products = domains.flatMap((domain) =>
    fs
      .readdirSync(path.join(PROJECT_ROOT, 'domains', domain, 'products'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `products/${domain}/${file.replace(/\.ts$/, '.html')}`),
  );
  expect(allPages()).toEqual(
    ['index.html', 'lineage.html', 'metrics.html', ...domains.map((d) => `domains/${d}.html`), ...products].sort(),
  );
  expect(fs.existsSync(path.join(portal.dir, 'assets', 'search-index.js'))).toBe(true);
});

test('every page loads from file:// with no errors and no failed or external requests, and its links lead to files of the site', async () => {
  const problems: Record<string, unknown> = {};
  const broken: string[] = [];
  for (const page of allPages()) {
    const opened = await openWatched(session.context, portal.url(page));
    const hrefs = await linkTargets(opened.page, 'a[href]');
    await opened.close();
    problems[page] = opened.problems;
    for (const href of hrefs) {
      // mailto: links to owners are fine; anything else but the site's own files would leave the offline site.
      if (href.startsWith('mailto:')) continue;
      if (!href.startsWith('file://') || !fs.existsSync(fileURLToPath(href.replace(/[?#].*$/, '')))) {
        broken.push(`${page}: ${href}`);
      }
    }
  }
  expect(problems).toEqual(Object.fromEntries(allPages().map((page) => [page, NO_PROBLEMS])));
  expect(broken).toEqual([]);
});

test.each(Object.entries(PAGE_TYPES))('%s page: lang, title, one main, the portal navigation', async (_type, page) => {
  const { page: tab, close } = await openWatched(session.context, portal.url(page));
  try {
    expect(await tab.getAttribute('html', 'lang')).toBe('en');
    expect((await tab.title()).trim()).not.toBe('');
    expect(await tab.locator('main').count()).toBe(1);
    for (const target of ['home', 'lineage', 'metrics'] as const) {
      const hrefs = await linkTargets(tab, `header nav[aria-label="Portal"] a[data-nav="${target}"]`);
      expect(hrefs.map((href) => fileURLToPath(href))).toEqual([path.join(portal.dir, PAGE_TYPES[target])]);
    }
  } finally {
    await close();
  }
});

test.each(Object.entries(PAGE_TYPES))('%s page: nothing scrolls sideways in a 1280 px window', async (_type, page) => {
  // Wide graphs scroll inside their own box; the page itself must fit the window.
  const { page: tab, close } = await openWatched(session.context, portal.url(page));
  try {
    const width = await tab.$eval('html', (html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
  } finally {
    await close();
  }
});

test('a product page offers its ODCS contract for download', async () => {
  const { page: tab, close } = await openWatched(session.context, portal.url(PAGE_TYPES.product));
  try {
    const links = await linkTargets(tab, 'a[data-download="odcs"]');
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      const text = fs.readFileSync(fileURLToPath(href), 'utf8');
      expect(text).toMatch(/^apiVersion: /m);
      expect(text).toMatch(/^kind: DataContract$/m);
    }
  } finally {
    await close();
  }
});

test.each(Object.entries(PAGE_TYPES))('%s page: axe finds no serious or critical violation', async (_type, page) => {
  const { page: tab, close } = await openWatched(session.context, portal.url(page));
  try {
    expect(await seriousViolations(tab)).toEqual([]);
  } finally {
    await close();
  }
});

test('screenshots of every page type, full page, for review; lineage.png for the README on request', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-screenshots-'));
  for (const [type, page] of Object.entries(PAGE_TYPES)) {
    const { page: tab, close } = await openWatched(session.context, portal.url(page), {
      viewport: { width: 1400, height: 900 },
    });
    const file = path.join(folder, `${type}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    await close();
    // A PNG of some substance: an empty or blank page compresses to a few hundred bytes.
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  }
  console.log(`portal screenshots for review: ${folder}`);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const { page: tab, close } = await openWatched(session.context, portal.url(PAGE_TYPES.lineage), {
      viewport: { width: 1400, height: 900 },
    });
    const target = path.join(PROJECT_ROOT, 'docs', 'screenshots', 'lineage.png');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await tab.screenshot({ path: target });
    await close();
    console.log(`wrote ${path.relative(PROJECT_ROOT, target)}`);
  }
});
