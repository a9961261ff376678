/**
 * Meshes at the edges: one with a domain but no products yet, and one whose only product reads nothing and is
 * read by nothing. Both build a portal that loads cleanly and says so in words.
 */
import * as fs from 'node:fs';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';
import { type BrowserSession, openSession } from './support/browser';
import { type BuiltPortal, buildPortal, removePortal } from './support/portal';
import { NO_PROBLEMS, openWatched } from './support/watched-page';

let session: BrowserSession;
let empty: BuiltPortal;
let lonely: BuiltPortal;
const projects: string[] = [];

beforeAll(async () => {
  const emptyProject = makeTempProject({ domains: { sales: { domain: validDomain('sales') } } });
  const lonelyProject = makeTempProject({
    domains: { sales: { domain: validDomain('sales'), products: { ledger: validProduct('ledger') } } },
  });
  projects.push(emptyProject, lonelyProject);
  [session, empty, lonely] = await Promise.all([openSession(), buildPortal(emptyProject), buildPortal(lonelyProject)]);
}, 120_000);

afterAll(async () => {
  await session?.browser.close();
  removePortal(empty);
  removePortal(lonely);
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a mesh with no products', () => {
  test.each(['index.html', 'lineage.html', 'metrics.html', 'domains/sales.html'])(
    '%s loads with no errors and says there are no products',
    async (page) => {
      const { page: tab, problems, close } = await openWatched(session.context, empty.url(page));
      try {
        expect(problems).toEqual(NO_PROBLEMS);
        expect(await tab.textContent('main')).toMatch(/no products/i);
      } finally {
        await close();
      }
    },
  );

  test('the search finds nothing and says so', async () => {
    const { page, problems, close } = await openWatched(session.context, empty.url('index.html?q=orders'));
    try {
      expect(await page.locator('#search-results li').count()).toBe(0);
      expect(await page.textContent('main')).toMatch(/no product/i);
      expect(problems).toEqual(NO_PROBLEMS);
    } finally {
      await close();
    }
  });
});

describe('a product with no inputs and no consumers', () => {
  test('its page says it reads nothing and nothing reads it, and its graph is the one node', async () => {
    const { page, problems, close } = await openWatched(session.context, lonely.url('products/sales/ledger.html'));
    try {
      expect(await page.textContent('section#upstream')).toMatch(/reads nothing/i);
      expect(await page.textContent('section#downstream')).toMatch(/nothing reads it/i);
      expect(await page.locator('section#upstream a[data-product], section#downstream a[data-product]').count()).toBe(
        0,
      );
      const svg = page.locator('svg.lineage[data-scope="product"]');
      expect(await svg.locator('g.node').count()).toBe(1);
      expect(await svg.locator('g.node.focus[data-product="sales/ledger"]').count()).toBe(1);
      expect(await svg.locator('g.edge').count()).toBe(0);
      expect(problems).toEqual(NO_PROBLEMS);
    } finally {
      await close();
    }
  });

  test('the mesh lineage draws it alone, without edges', async () => {
    const { page, problems, close } = await openWatched(session.context, lonely.url('lineage.html'));
    try {
      const svg = page.locator('svg.lineage[data-scope="mesh"]');
      expect(await svg.locator('g.node[data-product="sales/ledger"]').count()).toBe(1);
      expect(await svg.locator('g.edge').count()).toBe(0);
      expect(problems).toEqual(NO_PROBLEMS);
    } finally {
      await close();
    }
  });
});
