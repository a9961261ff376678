/**
 * Text from definition files stays text: markup in a product's title, purpose, tags and column descriptions
 * (and a domain's title) is escaped on every page, cannot end the search index's script, and survives as
 * the same text in the index and the ODCS contract.
 */
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import { parse } from 'yaml';
import { loadMesh } from '../../lib/mesh/load';
import type { SiteFile } from '../../lib/portal/build-site';
import type { SearchEntry } from '../../lib/portal/search-index';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';
import { byPath, siteOf } from './portal-fixtures';

const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(1)>';
const TITLE = `Orders ${SCRIPT}`;
// U+2028 ends a line in old JavaScript parsers; the index escapes it.
const PURPOSE = `Every order ${BREAKOUT} it's \u2028 all of them.`;
const TAG = '</script><script>alert(2)</script>';
const COLUMN = `Key ${SCRIPT}${BREAKOUT}`;
const DOMAIN_TITLE = `Shop ${BREAKOUT}`;

let project: string;
let files: SiteFile[];
let site: Map<string, string>;

beforeAll(() => {
  const evil = validProduct('orders', {
    title: TITLE,
    description: { purpose: PURPOSE, usage: SCRIPT },
    tags: ['orders', TAG],
  });
  const columns = (evil.schema as { columns: Record<string, unknown>[] }).columns;
  evil.schema = { columns: [{ ...columns[0], description: COLUMN }, ...columns.slice(1)] };
  project = makeTempProject({
    domains: {
      shop: { domain: validDomain('shop', { title: DOMAIN_TITLE }), products: { orders: evil } },
      finance: {
        domain: validDomain('finance'),
        products: { revenue: validProduct('revenue', { archetype: 'aggregate', inputs: ['shop/orders@1'] }) },
      },
    },
  });
  const mesh = loadMesh({ root: project });
  files = siteOf(mesh);
  site = byPath(files);
});

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

const pages = () => files.filter((f) => f.path.endsWith('.html'));
const escaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

describe('HTML pages', () => {
  it('show the markup as escaped text on the product, domain and home pages', () => {
    const product = site.get('products/shop/orders.html') ?? '';
    expect(product).toContain(`<h1>Orders &lt;script&gt;alert(1)&lt;/script&gt;</h1>`);
    expect(product).toContain(`<p data-field="purpose">${escaped(PURPOSE)}</p>`);
    expect(product).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(product).toContain(`<dd data-field="usage">&lt;script&gt;alert(1)&lt;/script&gt;</dd>`);
    expect(product).toContain(`<td>${escaped(COLUMN)}</td>`);
    expect(product).toContain(`#${escaped(TAG)}`);
    const domain = site.get('domains/shop.html') ?? '';
    expect(domain).toContain(`<h1>${escaped(DOMAIN_TITLE)}</h1>`);
    expect(domain).toContain(`>${escaped(TITLE)}</a>`);
    expect(site.get('index.html')).toContain(`>${escaped(DOMAIN_TITLE)}</a>`);
    // Window title of the page.
    expect(product).toContain(`<title>${escaped(TITLE)} · acme data portal</title>`);
  });

  it('never hold the raw markup: no injected element, attribute or script on any page', () => {
    expect(pages().length).toBe(3 + 2 + 2);
    for (const page of pages()) {
      for (const raw of [SCRIPT, BREAKOUT, TAG, '<img', 'onerror=alert(1)>', '<script>']) {
        expect(`${page.path}: ${page.content.includes(raw)}`).toBe(`${page.path}: false`);
      }
      // The only script elements are the portal's own, loaded from assets/.
      for (const [tag] of page.content.matchAll(/<script\b[^>]*>/gi)) {
        expect(tag).toMatch(/^<script src="(?:\.\.\/)*assets\/search(?:-index)?\.js">$/);
      }
    }
  });
});

describe('the search index (assets/search-index.js)', () => {
  const script = () => site.get('assets/search-index.js') ?? '';

  it('holds no `<` at all, so no value can close a script element or open a comment', () => {
    expect(script()).not.toMatch(/<\/script/i);
    expect(script()).not.toContain('<');
    expect(script()).toContain('\\u003c/script>');
    expect(script()).not.toContain('\u2028');
    expect(script()).toContain('\\u2028');
  });

  it('evaluates to the definitions’ text, unchanged', () => {
    const context = { window: {} as { MESH_SEARCH_INDEX?: SearchEntry[] } };
    vm.runInNewContext(script(), context);
    const entries = context.window.MESH_SEARCH_INDEX ?? [];
    expect(entries.map((e) => e.id)).toEqual(['finance/revenue', 'shop/orders']);
    const orders = entries[1];
    expect(orders.title).toBe(TITLE);
    expect(orders.purpose).toBe(PURPOSE);
    expect(orders.tags).toEqual(['orders', TAG]);
    expect(orders.href).toBe('products/shop/orders.html');
    // Nothing else is in the file: a single assignment.
    expect(Object.keys(context)).toEqual(['window']);
  });
});

it('the ODCS contract carries the same text, as YAML data', () => {
  const contract = parse(site.get('contracts/shop/orders.v1.odcs.yaml') ?? '') as {
    name: string;
    description: { purpose: string };
    tags: string[];
  };
  expect(contract.name).toBe(TITLE);
  expect(contract.description.purpose).toBe(PURPOSE);
  expect(contract.tags).toEqual(['orders', TAG]);
});
