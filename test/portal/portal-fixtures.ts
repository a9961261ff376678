/**
 * What the portal tests build sites from: the example mesh, a mesh held in memory for exact lineage shapes
 * (parsed with the definition schemas and resolved by the platform, without evaluating files), the metrics
 * a build without a synthesized assembly shows, and the links a page makes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainDefinitionSchema, ProductDefinitionSchema } from '../../lib/definition/schema';
import { DEFAULT_MESH_CONFIG } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import type { Mesh, MeshDomain, MeshProduct } from '../../lib/mesh/model';
import { resolveMesh } from '../../lib/mesh/resolve';
import { type MeshMetrics, portalMetrics } from '../../lib/metrics';
import { buildSite, type SiteFile } from '../../lib/portal/build-site';
import { PROJECT_ROOT, validDomain, validProduct } from '../support/temp-project';

export const TODAY = '2026-03-01';

/**
 * The metrics as a portal build without a current assembly shows them. `root` is a fresh empty folder: it
 * holds no cdk.out, so nothing is read and, with the portal's `synthesize: 'never'`, nothing is synthesized.
 * (An explicit `assembly` folder would have to be a cloud assembly: portalMetrics throws AssemblyError else.)
 */
export function metricsWithoutAssembly(mesh: Mesh): MeshMetrics {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-metrics-'));
  try {
    return portalMetrics({ mesh, root, today: TODAY });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function siteOf(mesh: Mesh): SiteFile[] {
  return buildSite({ mesh, today: TODAY, metrics: metricsWithoutAssembly(mesh) });
}

export function exampleMesh(): Mesh {
  return loadMesh({ root: PROJECT_ROOT });
}

/** The site's files by path; fails on a path written twice. */
export function byPath(files: readonly SiteFile[]): Map<string, string> {
  const map = new Map(files.map((f) => [f.path, f.content]));
  expect(map.size).toBe(files.length);
  return map;
}

/** `<domain>/<product>` → the ids it reads (major 1). */
export type GraphShape = Record<string, readonly string[]>;

/**
 * A mesh of the given products and inputs, built in memory: each definition parsed by the schemas the loader
 * uses, each product made as lib/mesh/load.ts makes it, and the whole resolved by resolveMesh (edges, cycle
 * and access checks), which must report no problem. Fast enough for hundreds of products.
 */
export function graphMesh(shape: GraphShape, prefix = 'acme'): Mesh {
  const byDomain = new Map<string, string[]>();
  for (const id of Object.keys(shape)) {
    const [domain, name] = id.split('/');
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), name]);
  }
  const domains: MeshDomain[] = [...byDomain.keys()].sort().map((name) => {
    const definition = DomainDefinitionSchema.parse(validDomain(name));
    const file = `domains/${name}/domain.ts`;
    const products = (byDomain.get(name) ?? []).sort().map((productName): MeshProduct => {
      const inputs = shape[`${name}/${productName}`].map((id) => `${id}@1`);
      const product = ProductDefinitionSchema.parse(validProduct(productName, { inputs }));
      return {
        id: `${name}/${productName}`,
        domain: name,
        name: productName,
        file: `domains/${name}/products/${productName}.ts`,
        definition: product,
        owner: product.owner ?? definition.owner,
        support: product.support ?? definition.support,
        classification: product.classification ?? definition.defaults.classification,
        versions: [{ major: 1, version: product.version, schema: product.schema, current: true }],
      };
    });
    return { name, file, definition, products };
  });
  const resolved = resolveMesh({ ...DEFAULT_MESH_CONFIG, prefix }, domains);
  expect(resolved.problems).toEqual([]);
  return resolved.mesh;
}

/** Every link-like attribute of an HTML page: href, src, action (and xlink:href), as written. */
export function linksOf(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action|xlink:href|srcset|poster|data)="([^"]*)"/g)].map((m) => m[1]);
}

/**
 * The site file a relative link on `page` opens, with its query and fragment dropped; undefined for a link
 * that is only a fragment (`#quality`), which stays on the page.
 */
export function linkTarget(page: string, link: string): string | undefined {
  const file = link.replace(/[?#].*$/, '');
  if (file === '') return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
}

/** Text between `<svg class="lineage"` and its `</svg>`: the lineage drawing of a page. */
export function lineageSvgOf(html: string): string {
  const start = html.indexOf('<svg class="lineage"');
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + '</svg>'.length);
}

/** The value of `data-<name>` of every `g.node` in a drawing. */
export function drawnNodes(svg: string, attribute: 'product' | 'domain' = 'product'): string[] {
  return [...svg.matchAll(new RegExp(`<g class="node[^"]*" data-${attribute}="([^"]+)"`, 'g'))].map((m) => m[1]);
}
