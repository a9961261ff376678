/**
 * The portal as a list of files, built from the mesh: pages, the search index, the ODCS contracts and the
 * assets. Pure apart from reading the assets shipped beside this module; `writeSite` puts the files on disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { toOdcsContract } from '../contracts/odcs';
import { impactOf } from '../impact/impact';
import type { Mesh } from '../mesh/model';
import { allProducts } from '../mesh/model';
import type { MeshMetrics } from '../metrics';
import type { QualityReport } from '../quality/evaluate';
import type { SafeHtml } from './html';
import {
  domainGraph,
  domainPalette,
  meshDomainGraph,
  meshProductGraph,
  PRODUCT_GRAPH_LIMIT,
  productGraph,
} from './lineage-graphs';
import { layoutGraph } from './lineage-layout';
import { lineageSvg } from './lineage-svg';
import { pageShell } from './page-shell';
import { domainPageBody } from './pages/domain-page';
import { homePageBody } from './pages/home-page';
import { lineagePageBody } from './pages/lineage-page';
import { metricsPageBody } from './pages/metrics-page';
import { productPageBody } from './pages/product-page';
import { contractFile, domainPage, HOME_PAGE, LINEAGE_PAGE, METRICS_PAGE, productPage } from './paths';
import { searchIndexScript } from './search-index';

export interface PortalInput {
  readonly mesh: Mesh;
  /** Day the portal describes: sunsets, expiries. */
  readonly today: string;
  readonly metrics: MeshMetrics;
  /** Quality reports (`mesh check --json`); the last one per product and major is shown. @default none */
  readonly reports?: readonly QualityReport[];
  /** Called as pages are made, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SiteFile {
  /** Path inside the site, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

const ASSETS = path.join(__dirname, 'assets');
const ASSET_FILES = ['portal.css', 'search.js'];

function latestReports(reports: readonly QualityReport[]): Map<string, Map<number, QualityReport>> {
  const byProduct = new Map<string, Map<number, QualityReport>>();
  for (const report of reports) {
    const majors = byProduct.get(report.product) ?? new Map<number, QualityReport>();
    majors.set(report.major, report);
    byProduct.set(report.product, majors);
  }
  return byProduct;
}

export function buildSite(input: PortalInput): SiteFile[] {
  const { mesh, today } = input;
  const meshName = mesh.config.prefix;
  const palette = domainPalette(mesh);
  const files: SiteFile[] = [];
  const page = (
    file: string,
    title: string,
    body: SafeHtml,
    extra: { current?: 'home' | 'lineage' | 'metrics'; scripts?: string[] } = {},
  ) =>
    files.push({
      path: file,
      content: pageShell({ page: file, title, body, meshName, generatedOn: today, ...extra }).value,
    });
  const products = allProducts(mesh);
  const total = products.length + mesh.domains.length + 3;
  let done = 0;
  const tick = () => input.onProgress?.(++done, total);

  page(HOME_PAGE, 'Products', homePageBody(mesh), { current: 'home', scripts: ['search-index.js', 'search.js'] });
  files.push({ path: 'assets/search-index.js', content: searchIndexScript(mesh) });
  tick();

  const overview = products.length > PRODUCT_GRAPH_LIMIT;
  const meshGraph = lineageSvg(layoutGraph(overview ? meshDomainGraph(mesh) : meshProductGraph(mesh)), {
    scope: 'mesh',
    level: overview ? 'domains' : 'products',
    label: overview ? 'Lineage between the domains of the mesh' : 'Lineage of every product of the mesh',
    page: LINEAGE_PAGE,
    palette,
  });
  page(
    LINEAGE_PAGE,
    'Lineage',
    lineagePageBody({ mesh, graph: meshGraph, overview, productLimit: PRODUCT_GRAPH_LIMIT }),
    {
      current: 'lineage',
    },
  );
  tick();

  page(METRICS_PAGE, 'Metrics', metricsPageBody(input.metrics), { current: 'metrics' });
  tick();

  for (const domain of mesh.domains) {
    const file = domainPage(domain.name);
    const graph = lineageSvg(layoutGraph(domainGraph(mesh, domain.name)), {
      scope: 'domain',
      label: `Lineage of the ${domain.name} domain's products and their direct neighbours`,
      page: file,
      palette,
    });
    const metrics = input.metrics.domains.find((d) => d.domain === domain.name);
    page(file, domain.definition.title ?? domain.name, domainPageBody({ mesh, domain, graph, metrics }));
    tick();
  }

  const reports = latestReports(input.reports ?? []);
  for (const product of products) {
    const file = productPage(product.id);
    const spec = productGraph(mesh, product);
    const graph = lineageSvg(layoutGraph(spec), {
      scope: 'product',
      label: `Lineage of ${product.id}: what it reads and what is built from it`,
      page: file,
      palette,
    });
    const body = productPageBody({
      mesh,
      product,
      impact: impactOf(mesh, product.id),
      reports: reports.get(product.id) ?? new Map(),
      graph,
      hidden: { upstream: spec.hiddenUpstream, downstream: spec.hiddenDownstream },
      today,
    });
    page(file, product.definition.title ?? product.name, body);
    for (const version of product.versions) {
      const contract = toOdcsContract(mesh, product, version);
      files.push({
        path: contractFile(product.id, version.major),
        content: `# ODCS contract of ${product.id} v${version.major}, generated from ${product.file}.\n${stringify(contract, { lineWidth: 0 })}`,
      });
    }
    tick();
  }

  for (const asset of ASSET_FILES)
    files.push({ path: `assets/${asset}`, content: fs.readFileSync(path.join(ASSETS, asset), 'utf8') });
  return files;
}

/** Marks a folder as a portal, so a rebuild may replace it and nothing else is ever removed. */
export const PORTAL_MARKER = '.mesh-portal';

/**
 * Writes the site into `dir`, replacing an earlier portal there; returns its size in bytes. A folder that
 * holds anything but an earlier portal is refused: `--out .` must not empty a project.
 */
export function writeSite(dir: string, files: readonly SiteFile[]): number {
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0 && !entries.includes(PORTAL_MARKER))
      throw new Error(
        `${dir} is not empty and holds no earlier portal (no ${PORTAL_MARKER} file): choose an empty or new folder`,
      );
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, PORTAL_MARKER),
    'Written by mesh portal build; the folder is replaced by the next build.\n',
  );
  let bytes = 0;
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
    bytes += Buffer.byteLength(file.content);
  }
  return bytes;
}
