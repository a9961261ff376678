/**
 * The home page's search as a person uses it: typing a column or a concept name lists the products that have
 * it and says why; a link in the URL (`?q=`) opens with the search done; nonsense lists nothing and says so.
 * Expectations are read off the definition files in domains/ by hand.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type BrowserSession, openSession } from './support/browser';
import { type BuiltPortal, buildPortal, removePortal } from './support/portal';
import { checkedTabs } from './support/watched-page';

let session: BrowserSession;
let portal: BuiltPortal;
const tabs = checkedTabs();

beforeAll(async () => {
  [session, portal] = await Promise.all([openSession(), buildPortal()]);
});

afterEach(() => tabs.closeAll());

afterAll(async () => {
  await session?.browser.close();
  removePortal(portal);
});

async function home(query = ''): Promise<Page> {
  return tabs.open(session.context, portal.url('index.html') + query);
}

/** The listed results: product id → the `.match` text saying why. */
async function results(page: Page): Promise<Record<string, string>> {
  const items = await page.$$eval('#search-results li', (lis) =>
    lis.map((li) => [
      li.querySelector('a[data-product]')?.getAttribute('data-product') ?? '',
      li.querySelector('.match')?.textContent ?? '',
    ]),
  );
  return Object.fromEntries(items);
}

async function typeSearch(page: Page, words: string): Promise<void> {
  const box = page.locator('input#search');
  await box.click();
  await box.pressSequentially(words);
}

test('the search box is labelled and of type search', async () => {
  const page = await home();
  expect(await page.getAttribute('input#search', 'type')).toBe('search');
  expect((await page.locator('label[for="search"]').textContent())?.trim()).not.toBe('');
});

test('typing a column only shipments has lists shipments alone, with the column as the reason', async () => {
  const page = await home();
  await typeSearch(page, 'weight_grams');
  await page.locator('#search-results li').first().waitFor();
  const found = await results(page);
  expect(Object.keys(found)).toEqual(['fulfillment/shipments']);
  expect(found['fulfillment/shipments']).toContain('column weight_grams');
});

test('a result links to the product page', async () => {
  const page = await home();
  await typeSearch(page, 'weight_grams');
  await page.click('#search-results a[data-product="fulfillment/shipments"]');
  await page.waitForURL(/shipments\.html$/);
  expect(fileURLToPath(page.url())).toBe(path.join(portal.dir, 'products', 'fulfillment', 'shipments.html'));
  expect((await page.textContent('h1'))?.trim()).toBe('Shipments');
});

test('a concept name finds the product whose column references it, naming the concept', async () => {
  // customers/customer_profiles' column `country` is the only reference to the shared concept country_code.
  const page = await home();
  await typeSearch(page, 'country_code');
  await page.locator('#search-results li').first().waitFor();
  const found = await results(page);
  expect(Object.keys(found)).toEqual(['customers/customer_profiles']);
  expect(found['customers/customer_profiles']).toContain('concept country_code');
});

test('?q= in the URL pre-fills the box and shows the results', async () => {
  const page = await home('?q=weight_grams');
  expect(await page.inputValue('input#search')).toBe('weight_grams');
  expect(Object.keys(await results(page))).toEqual(['fulfillment/shipments']);
});

test('nonsense lists nothing and says no product matches', async () => {
  const page = await home();
  await typeSearch(page, 'qzxjvw');
  await page.locator('main', { hasText: /no product/i }).waitFor();
  expect(await results(page)).toEqual({});
  expect(await page.textContent('main')).toContain('qzxjvw');
});

test('the domain list links every domain of the example mesh to its page', async () => {
  const page = await home();
  const domains = await page.$$eval('a[data-domain]', (as) => as.map((a) => a.getAttribute('data-domain')));
  expect([...new Set(domains)].sort()).toEqual(['customers', 'fulfillment', 'marketing', 'sales']);
  await page.click('a[data-domain="fulfillment"]');
  await page.waitForURL(/fulfillment\.html$/);
  expect(fileURLToPath(page.url())).toBe(path.join(portal.dir, 'domains', 'fulfillment.html'));
});
