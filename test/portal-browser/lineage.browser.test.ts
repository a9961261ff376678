/**
 * Lineage as a person follows it: from a product page up through its inputs, page by page; the mesh graph
 * draws every input the CLI knows (`mesh graph --json`), with no product box on top of another; a product's
 * graph marks what it reads and what reads it as `mesh impact --json` and the lineage say.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type BrowserSession, openSession } from './support/browser';
import { edgeKeys, impactedBy, type Lineage, lineageOf, upstreamIn } from './support/mesh-facts';
import { type BuiltPortal, buildPortal, removePortal } from './support/portal';
import { checkedTabs } from './support/watched-page';

let session: BrowserSession;
let portal: BuiltPortal;
let lineage: Lineage;
const tabs = checkedTabs();

beforeAll(async () => {
  [session, portal, lineage] = await Promise.all([openSession(), buildPortal(), lineageOf()]);
});

afterEach(() => tabs.closeAll());

afterAll(async () => {
  await session?.browser.close();
  removePortal(portal);
});

async function open(page: string): Promise<Page> {
  return tabs.open(session.context, portal.url(page));
}

function productFile(id: string): string {
  const [domain, name] = id.split('/');
  return path.join(portal.dir, 'products', domain, `${name}.html`);
}

async function linkedProducts(page: Page, section: string): Promise<string[]> {
  const ids = await page.$$eval(`section#${section} a[data-product]`, (as) =>
    as.map((a) => a.getAttribute('data-product') ?? ''),
  );
  return [...new Set(ids)].sort();
}

/** Drawn edges as `producer -> consumer`, and the classes of each. */
async function drawnEdges(page: Page, svg: string): Promise<Record<string, string[]>> {
  const edges = await page.$$eval(`${svg} g.edge`, (gs) =>
    gs.map((g): [string, string[]] => [
      `${g.getAttribute('data-from')} -> ${g.getAttribute('data-to')}`,
      [...g.classList],
    ]),
  );
  return Object.fromEntries(edges);
}

async function drawnNodes(page: Page, svg: string): Promise<Record<string, string[]>> {
  const nodes = await page.$$eval(`${svg} g.node[data-product]`, (gs) =>
    gs.map((g): [string, string[]] => [g.getAttribute('data-product') ?? '', [...g.classList]]),
  );
  return Object.fromEntries(nodes);
}

test('from Campaign ROI report, upstream links lead to Campaign performance, then on to Orders', async () => {
  const page = await open('products/marketing/campaign_roi_report.html');
  expect((await page.textContent('h1'))?.trim()).toBe('Campaign ROI report');
  // Read off domains/marketing/products/campaign_roi_report.ts: its inputs.
  expect(await linkedProducts(page, 'upstream')).toEqual(['marketing/campaign_performance', 'sales/revenue_metrics']);

  await page.click('section#upstream a[data-product="marketing/campaign_performance"]');
  await page.waitForURL(/campaign_performance\.html$/);
  expect(fileURLToPath(page.url())).toBe(productFile('marketing/campaign_performance'));
  expect((await page.textContent('h1'))?.trim()).toBe('Campaign performance');
  expect(await linkedProducts(page, 'upstream')).toEqual([
    'customers/customer_profiles',
    'marketing/ad_clicks',
    'marketing/ad_spend',
    'sales/orders',
  ]);
  expect(await linkedProducts(page, 'downstream')).toEqual(['marketing/campaign_roi_report']);

  await page.click('section#upstream a[data-product="sales/orders"]');
  await page.waitForURL(/orders\.html$/);
  expect(fileURLToPath(page.url())).toBe(productFile('sales/orders'));
  expect((await page.textContent('h1'))?.trim()).toBe('Orders');
  expect(await linkedProducts(page, 'upstream')).toEqual([]);
});

test('a product page shows owner, purpose, a schema table per live major, access, quality and an Athena query', async () => {
  const page = await open('products/marketing/campaign_performance.html');
  expect(await page.textContent('[data-field="owner"]')).toContain('marketing-analytics@example.com');
  expect(await page.textContent('[data-field="purpose"]')).toContain('Daily spend, reach and attributed sales');
  // campaign_performance has majors 2 (current) and 1 (sunsetting), both live.
  const majors = await page.$$eval('section#schema table[data-major]', (ts) =>
    ts.map((t) => t.getAttribute('data-major')),
  );
  expect(majors.sort()).toEqual(['1', '2']);
  expect(await page.locator('section#schema table[data-major="2"] tr[data-column="attributed_revenue"]').count()).toBe(
    1,
  );
  for (const section of ['access', 'quality']) {
    expect((await page.textContent(`section#${section}`))?.trim()).not.toBe('');
  }
  expect(await page.textContent('section#query pre code')).toMatch(/SELECT[\s\S]+FROM/i);
});

test('lineage.html draws one edge for every producer → consumer pair of the mesh, and a node per product', async () => {
  const page = await open('lineage.html');
  const svg = 'svg.lineage[data-scope="mesh"]';
  expect(await page.getAttribute(svg, 'role')).toBe('group');
  expect((await page.getAttribute(svg, 'aria-label'))?.trim()).not.toBe('');
  expect(Object.keys(await drawnEdges(page, svg)).sort()).toEqual(edgeKeys(lineage.edges));
  expect(Object.keys(await drawnNodes(page, svg)).sort()).toEqual([...lineage.products].sort());
  expect(await page.locator(`${svg} g.node a`).count()).toBe(lineage.products.length);
});

test('no two product boxes of the mesh graph overlap', async () => {
  const page = await open('lineage.html');
  const boxes = await page.$$eval('svg.lineage[data-scope="mesh"] g.node', (gs) =>
    gs.map((g) => {
      const r = g.getBoundingClientRect();
      return { id: g.getAttribute('data-product') ?? '', x: r.x, y: r.y, right: r.right, bottom: r.bottom };
    }),
  );
  expect(boxes.length).toBe(lineage.products.length);
  const overlapping: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom) overlapping.push(`${a.id} / ${b.id}`);
    }
  }
  expect(overlapping).toEqual([]);
});

test.each(['sales/orders', 'marketing/campaign_performance', 'fulfillment/shipments'])(
  '%s: its graph marks it as focus, what it reads as upstream and what reads it as downstream',
  async (id) => {
    const [domain, name] = id.split('/');
    const page = await open(`products/${domain}/${name}.html`);
    const svg = 'svg.lineage[data-scope="product"]';
    expect(await page.getAttribute(svg, 'role')).toBe('group');

    const upstream = upstreamIn(lineage, id);
    const downstream = new Set(await impactedBy(id));
    const nodes = await drawnNodes(page, svg);
    const expectedNodes = Object.fromEntries(
      [id, ...upstream, ...downstream].map((n) => [
        n,
        n === id ? 'focus' : upstream.has(n) ? 'upstream' : 'downstream',
      ]),
    );
    const roleOf = (classes: string[]) => ['focus', 'upstream', 'downstream'].filter((c) => classes.includes(c));
    expect(Object.fromEntries(Object.entries(nodes).map(([n, classes]) => [n, roleOf(classes).join(' ')]))).toEqual(
      expectedNodes,
    );

    // Edges: into the focus from its upstream are upstream; out of it into its consumers are downstream.
    const edges = await drawnEdges(page, svg);
    const expectedEdges: Record<string, string> = {};
    for (const edge of lineage.edges) {
      const key = `${edge.producer} -> ${edge.consumer}`;
      if (upstream.has(edge.producer) && (edge.consumer === id || upstream.has(edge.consumer))) {
        expectedEdges[key] = 'upstream';
      } else if ((edge.producer === id || downstream.has(edge.producer)) && downstream.has(edge.consumer)) {
        expectedEdges[key] = 'downstream';
      }
    }
    const roles = Object.fromEntries(
      Object.entries(edges)
        .map(([key, classes]) => [key, roleOf(classes).join(' ')] as const)
        .filter(([, role]) => role !== ''),
    );
    expect(roles).toEqual(expectedEdges);

    // The downstream section lists every transitive consumer, the upstream section the direct inputs.
    expect(await linkedProducts(page, 'downstream')).toEqual([...downstream].sort());
    const direct = lineage.edges.filter((e) => e.consumer === id).map((e) => e.producer);
    expect(await linkedProducts(page, 'upstream')).toEqual([...new Set(direct)].sort());
  },
);
