/**
 * The portal of a generated mesh too large to draw product by product: it builds, lineage.html switches to
 * the domain overview, domain and product pages load cleanly. Build time and site size are printed for the
 * record. One suite per mesh shape, each in its own test file so the shapes build in parallel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyntheticMeshOptions } from '../../bench/synthetic-mesh';
import { type BrowserSession, openSession } from './browser';
import { type BuiltPortal, buildPortal, folderSize, removePortal } from './portal';
import { type SyntheticProject, syntheticProject } from './synthetic';
import { NO_PROBLEMS, openWatched } from './watched-page';

const MB = 1024 * 1024;

export function describeScale(options: SyntheticMeshOptions): void {
  const shape = `${options.domains} domains × ${options.productsPerDomain} products`;
  describe(`a generated mesh of ${shape}`, () => {
    let session: BrowserSession;
    let project: SyntheticProject;
    let portal: BuiltPortal;

    beforeAll(async () => {
      project = syntheticProject(options);
      [session, portal] = await Promise.all([openSession(), buildPortal(project.root)]);
      const size = folderSize(portal.dir);
      const pages = fs
        .readdirSync(portal.dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.html'));
      console.log(
        `portal of ${shape}: built in ${(portal.buildMs / 1000).toFixed(1)} s (definitions loaded fresh), ` +
          `${(size.bytes / MB).toFixed(1)} MB in ${size.files} files, ${pages.length} pages; ` +
          `search index ${(fs.statSync(path.join(portal.dir, 'assets', 'search-index.js')).size / MB).toFixed(2)} MB`,
      );
    }, 300_000);

    afterAll(async () => {
      await session?.browser.close();
      removePortal(portal);
      if (project) fs.rmSync(project.root, { recursive: true, force: true });
    });

    test('lineage.html draws the domain overview: every domain, every cross-domain dependency, no errors', async () => {
      const { page, problems, close } = await openWatched(session.context, portal.url('lineage.html'));
      try {
        const svg = 'svg.lineage[data-scope="mesh"][data-level="domains"]';
        expect(await page.locator(svg).count()).toBe(1);
        expect(await page.locator('svg.lineage g.node[data-product]').count()).toBe(0);
        const domains = await page.$$eval(`${svg} g.node[data-domain]`, (gs) =>
          gs.map((g) => g.getAttribute('data-domain')),
        );
        expect(domains.sort()).toEqual(project.domains);
        const edges = await page.$$eval(`${svg} g.edge`, (gs) =>
          gs.map((g) => `${g.getAttribute('data-from')} -> ${g.getAttribute('data-to')}`),
        );
        expect(edges.sort()).toEqual(project.domainEdges);
        expect(problems).toEqual(NO_PROBLEMS);

        // A domain of the overview leads to its page, which loads cleanly too.
        const domain = project.domains[1];
        await page.click(`${svg} g.node[data-domain="${domain}"] a`);
        await page.waitForURL(new RegExp(`${domain}\\.html$`));
        expect(fileURLToPath(page.url())).toBe(path.join(portal.dir, 'domains', `${domain}.html`));
        expect(await page.locator('svg.lineage[data-scope="domain"]').count()).toBe(1);
        expect(problems).toEqual(NO_PROBLEMS);
      } finally {
        await close();
      }
    });

    test('a product page of a middle domain loads with no errors and links its inputs', async () => {
      const domain = project.domains[Math.floor(project.domains.length / 2)];
      const id = `${domain}/product_001`;
      const { page, problems, close } = await openWatched(session.context, portal.url(`products/${id}.html`));
      try {
        expect(problems).toEqual(NO_PROBLEMS);
        const upstream = await page.$$eval('section#upstream a[data-product]', (as) =>
          as.map((a) => a.getAttribute('data-product')),
        );
        expect([...new Set(upstream)].sort()).toEqual([...(project.inputs.get(id) ?? [])].sort());
        expect(await page.locator('svg.lineage[data-scope="product"] g.node.focus').count()).toBe(1);
      } finally {
        await close();
      }
    });

    test('the search finds one product among all of them by its id', async () => {
      const id = `${project.domains[0]}/product_007`;
      const { page, problems, close } = await openWatched(
        session.context,
        portal.url(`index.html?q=${encodeURIComponent(id)}`),
      );
      try {
        const found = await page.$$eval('#search-results a[data-product]', (as) =>
          as.map((a) => a.getAttribute('data-product')),
        );
        expect(found).toEqual([id]);
        expect(problems).toEqual(NO_PROBLEMS);
      } finally {
        await close();
      }
    });
  });
}
