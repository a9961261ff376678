/**
 * The portal of the example mesh as buildSite makes it: a page per product and domain, a contract per live
 * major, links that all lead to a file of the site, and nothing fetched from the network.
 */
import * as vm from 'node:vm';
import { parse } from 'yaml';
import type { Mesh } from '../../lib/mesh/model';
import { allProducts } from '../../lib/mesh/model';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { buildSite, type SiteFile } from '../../lib/portal/build-site';
import { contractFile, domainPage, productPage } from '../../lib/portal/paths';
import type { SearchEntry } from '../../lib/portal/search-index';
import {
  byPath,
  drawnNodes,
  exampleMesh,
  lineageSvgOf,
  linksOf,
  linkTarget,
  metricsWithoutAssembly,
  TODAY,
} from './portal-fixtures';

let mesh: Mesh;
let files: SiteFile[];
let site: Map<string, string>;
const progress: [number, number][] = [];

beforeAll(() => {
  mesh = exampleMesh();
  files = buildSite({
    mesh,
    today: TODAY,
    metrics: metricsWithoutAssembly(mesh),
    onProgress: (done, total) => progress.push([done, total]),
  });
  site = byPath(files);
});

const pages = () => files.filter((f) => f.path.endsWith('.html'));

describe('the files of the site', () => {
  it('has the home, lineage and metrics pages, a page per domain and per product, and the assets', () => {
    const products = allProducts(mesh);
    // The example mesh: domains/ holds 4 domains and 11 products.
    expect(mesh.domains.map((d) => d.name)).toEqual(['customers', 'fulfillment', 'marketing', 'sales']);
    expect(products).toHaveLength(11);
    const expected = [
      'index.html',
      'lineage.html',
      'metrics.html',
      'assets/portal.css',
      'assets/search.js',
      'assets/search-index.js',
      ...mesh.domains.map((d) => domainPage(d.name)),
      ...products.map((p) => productPage(p.id)),
      ...products.flatMap((p) => p.versions.map((v) => contractFile(p.id, v.major))),
    ];
    expect([...site.keys()].sort()).toEqual([...new Set(expected)].sort());
    expect(pages()).toHaveLength(3 + 4 + 11);
    expect(site.has('products/sales/orders.html')).toBe(true);
    expect(site.has('domains/marketing.html')).toBe(true);
  });

  it('names each product on its page and lists each domain’s products on the domain page', () => {
    for (const product of allProducts(mesh)) {
      const page = site.get(productPage(product.id)) ?? '';
      expect(page).toContain(`<h1>${product.definition.title ?? product.name}</h1>`);
      expect(page).toContain(`<p data-field="purpose">`);
      for (const version of product.versions)
        expect(page).toContain(`data-download="odcs" data-major="${version.major}"`);
      // The focus of the product's own lineage drawing is the product.
      expect(page).toMatch(new RegExp(`<g class="node c\\d+ focus" data-product="${product.id}"`));
      // The example's neighbourhoods are small: every page draws all of its lineage.
      expect(page).not.toContain('The drawing shows the nearest levels');
    }
    for (const domain of mesh.domains) {
      const page = site.get(domainPage(domain.name)) ?? '';
      expect(page).toContain(`<h1>${domain.definition.title ?? domain.name}</h1>`);
      const listed = [...page.matchAll(/<td><a data-product="([^"]+)"/g)].map((m) => m[1]);
      expect(listed).toEqual(domain.products.map((p) => p.id));
    }
  });

  it('draws every product of a small mesh on lineage.html, one arrow per producer and consumer pair', () => {
    const svg = lineageSvgOf(site.get('lineage.html') ?? '');
    expect(svg).toContain('data-level="products"');
    expect(drawnNodes(svg).sort()).toEqual(
      allProducts(mesh)
        .map((p) => p.id)
        .sort(),
    );
    const pairs = new Set(mesh.edges.map((e) => `${e.producer.id}>${e.consumer.id}`));
    const arrows = [...svg.matchAll(/<g class="edge[^"]*" data-from="([^"]+)" data-to="([^"]+)"/g)].map(
      (m) => `${m[1]}>${m[2]}`,
    );
    expect(arrows.sort()).toEqual([...pairs].sort());
  });

  it('reports progress once per page and ends at the total', () => {
    const total = 3 + mesh.domains.length + allProducts(mesh).length;
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(progress.every(([, t]) => t === total)).toBe(true);
  });
});

describe('links', () => {
  it('every relative href, src and action of every page opens a file of the site', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages()) {
      for (const link of linksOf(page.content)) {
        if (link.startsWith('mailto:')) continue;
        const target = linkTarget(page.path, link);
        if (target === undefined) continue;
        checked++;
        if (!site.has(target)) broken.push(`${page.path}: ${link} (→ ${target})`);
      }
    }
    expect(broken).toEqual([]);
    // Navigation alone is 4 links per page, plus the stylesheet: the scan did find links.
    expect(checked).toBeGreaterThan(pages().length * 5);
  });

  it('links each product page to its domain page and to the contract files of its majors', () => {
    const page = site.get('products/sales/orders.html') ?? '';
    const targets = new Set(linksOf(page).map((l) => linkTarget('products/sales/orders.html', l)));
    expect(targets).toContain('domains/sales.html');
    expect(targets).toContain('contracts/sales/orders.v1.odcs.yaml');
    expect(targets).toContain('contracts/sales/orders.v2.odcs.yaml');
    expect(targets).toContain('assets/portal.css');
  });

  it('the search index points every entry at a product page of the site', () => {
    const context = { window: {} as { MESH_SEARCH_INDEX?: SearchEntry[] } };
    vm.runInNewContext(site.get('assets/search-index.js') ?? '', context);
    const entries = context.window.MESH_SEARCH_INDEX ?? [];
    expect(entries.map((e) => e.id)).toEqual(allProducts(mesh).map((p) => p.id));
    for (const entry of entries) expect(site.has(entry.href)).toBe(true);
    const orders = entries.find((e) => e.id === 'sales/orders');
    expect(orders?.columns).toContain('order_id');
    expect(orders?.concepts).toContain('order_id');
  });

  it('loads the search scripts on the home page only', () => {
    for (const page of pages()) {
      const scripts = [...page.content.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts).toEqual(
        page.path === 'index.html' ? ['<script src="assets/search-index.js">', '<script src="assets/search.js">'] : [],
      );
    }
  });
});

describe('offline', () => {
  const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

  it('no page loads or links anything by URL: every link is relative (or mailto:)', () => {
    const absolute = pages().flatMap((page) =>
      linksOf(page.content)
        .filter((l) => /^[a-z][a-z0-9+.-]*:|^\/\//i.test(l) && !l.startsWith('mailto:'))
        .map((l) => `${page.path}: ${l}`),
    );
    expect(absolute).toEqual([]);
    for (const page of pages()) {
      expect(page.content).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//i);
      expect(page.content).not.toMatch(/@import/i);
    }
  });

  it('the stylesheet and scripts hold no URL at all', () => {
    for (const asset of ['assets/portal.css', 'assets/search.js', 'assets/search-index.js']) {
      const content = site.get(asset) ?? '';
      expect(content.length).toBeGreaterThan(100);
      expect(content).not.toMatch(/https?:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
      expect(content).not.toMatch(/@import|url\(/i);
    }
  });

  it('the only http(s) text is the SVG namespace and the URLs the definitions give (support, concept docs)', () => {
    const fromDefinitions = new Set(allProducts(mesh).flatMap((p) => p.support.map((s) => s.url)));
    const unexpected: string[] = [];
    for (const file of files) {
      for (const [url] of file.content.matchAll(/https?:\/\/[^\s"'<>)]+/g)) {
        if (url === SVG_NAMESPACE) continue;
        if (fromDefinitions.has(url) || url.startsWith(`${CONCEPT_REGISTRY.documentationUrl}#`)) continue;
        unexpected.push(`${file.path}: ${url}`);
      }
      // The namespace is only ever an xmlns value, which no browser fetches.
      const namespaces = file.content.split(SVG_NAMESPACE).length - 1;
      const declared = file.content.split(`xmlns="${SVG_NAMESPACE}"`).length - 1;
      expect(`${file.path}: ${namespaces}`).toBe(`${file.path}: ${declared}`);
    }
    expect(unexpected).toEqual([]);
  });
});

describe('contracts', () => {
  it('writes one ODCS contract per live major that parses as YAML and names the product and major', () => {
    let contracts = 0;
    for (const product of allProducts(mesh)) {
      for (const version of product.versions) {
        const text = site.get(contractFile(product.id, version.major));
        expect(text).toBeDefined();
        expect(text?.split('\n')[0]).toBe(
          `# ODCS contract of ${product.id} v${version.major}, generated from ${product.file}.`,
        );
        const contract = parse(text ?? '') as Record<string, unknown>;
        expect(contract).toMatchObject({
          apiVersion: 'v3.1.0',
          kind: 'DataContract',
          id: `acme.${product.domain}.${product.name}.v${version.major}`,
          domain: product.domain,
          dataProduct: product.name,
          version: version.version,
          status: version.current ? product.definition.status : 'deprecated',
        });
        contracts++;
      }
    }
    // orders, revenue_metrics, customer_segments, delivery_performance, campaign_performance and
    // campaign_roi_report serve two majors.
    expect(contracts).toBe(17);
    expect(site.get('contracts/sales/orders.v2.odcs.yaml')).toContain('version: 2.');
  });
});
