/**
 * Text from definition files is text: a product whose title, purpose and a column description hold markup
 * shows it literally on every page that names the product, and none of it runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { copyExampleProject } from '../support/temp-project';
import { type BrowserSession, openSession } from './support/browser';
import { type BuiltPortal, buildPortal, removePortal } from './support/portal';
import { checkedTabs } from './support/watched-page';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMAGE = '<img src=x onerror="window.__pwned=2">';
const TITLE = `Daily revenue ${SCRIPT}`;
const PURPOSE = `Net revenue per day ${IMAGE} across all channels.`;
const COLUMN = `Net revenue of the day ${SCRIPT}${IMAGE}.`;

let session: BrowserSession;
let portal: BuiltPortal;
let project: string;
const tabs = checkedTabs();

/** Puts the markup into sales/revenue_metrics' title, purpose and the description of its column `revenue`. */
function plantMarkup(root: string): void {
  const file = path.join(root, 'domains', 'sales', 'products', 'revenue_metrics.ts');
  const quoted = (text: string) => `'${text.replace(/'/g, "\\'")}'`;
  const source = fs.readFileSync(file, 'utf8');
  const planted = source
    .replace("title: 'Daily revenue'", `title: ${quoted(TITLE)}`)
    .replace(/purpose:\s*'[^']*'/, `purpose: ${quoted(PURPOSE)}`)
    .replace(
      "description: 'Net revenue of the day: sales minus returns, without tax, EUR.'",
      `description: ${quoted(COLUMN)}`,
    );
  // Each replacement must have hit, or the test would pass on a page without the markup.
  expect(planted.split(SCRIPT).length - 1).toBe(2);
  expect(planted.split(IMAGE).length - 1).toBe(2);
  fs.writeFileSync(file, planted);
}

beforeAll(async () => {
  project = copyExampleProject();
  plantMarkup(project);
  [session, portal] = await Promise.all([openSession(), buildPortal(project)]);
});

afterEach(() =>
  tabs.closeAll(async (page) => {
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  }),
);

afterAll(async () => {
  await session?.browser.close();
  removePortal(portal);
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

async function open(page: string): Promise<Page> {
  return tabs.open(session.context, portal.url(page));
}

test('the product page shows the title, purpose and column description as written, and runs none of it', async () => {
  const page = await open('products/sales/revenue_metrics.html');
  expect((await page.textContent('h1'))?.trim()).toBe(TITLE);
  expect(await page.textContent('[data-field="purpose"]')).toContain(PURPOSE);
  expect(await page.textContent('section#schema tr[data-column="revenue"]')).toContain(COLUMN);
  // Nothing became an element: the only scripts are the portal's own, and no image was planted.
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.$$eval('script', (ss) => ss.filter((s) => s.textContent?.includes('__pwned')).length)).toBe(0);
});

test('search results show the title and purpose literally', async () => {
  const page = await open('index.html?q=revenue_metrics');
  const item = page.locator('#search-results li', { has: page.locator('a[data-product="sales/revenue_metrics"]') });
  expect(await item.count()).toBe(1);
  expect(await item.textContent()).toContain(TITLE);
  expect(await page.locator('#search-results img').count()).toBe(0);
});

test.each([
  'index.html',
  'lineage.html',
  'metrics.html',
  'domains/sales.html',
  'products/marketing/campaign_roi_report.html',
])('%s loads without running the planted markup', async (page) => {
  const tab = await open(page);
  expect(await tab.locator('main img').count()).toBe(0);
});
