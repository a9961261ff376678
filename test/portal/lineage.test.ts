/**
 * What the lineage drawings show: a product's neighbourhood cut at whole levels of NEIGHBOURHOOD_LIMIT
 * products per side (with what is left out counted and said), the focus marked, layouts that a browser can
 * draw even when empty, and domains instead of products on lineage.html once the mesh is too large.
 */
import type { Mesh } from '../../lib/mesh/model';
import { allProducts, findProduct } from '../../lib/mesh/model';
import {
  domainGraph,
  domainPalette,
  meshDomainGraph,
  NEIGHBOURHOOD_LIMIT,
  PRODUCT_GRAPH_LIMIT,
  productGraph,
} from '../../lib/portal/lineage-graphs';
import { layoutGraph } from '../../lib/portal/lineage-layout';
import { lineageSvg } from '../../lib/portal/lineage-svg';
import { byPath, drawnNodes, type GraphShape, graphMesh, lineageSvgOf, siteOf } from './portal-fixtures';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (domain: string, i: number) => `${domain}/p${String(i).padStart(2, '0')}`;

/**
 * A product `focus/hub` with, upstream, 4 direct inputs (`up1`), 8 at depth 2 (`up2`) and 8 at depth 3
 * (`up3`); downstream, 20 direct readers (`down1`, wider than the limit) and 3 at depth 2 (`down2`).
 */
function neighbourhood(): Mesh {
  const shape: GraphShape = {};
  for (const i of range(8)) shape[id('up3', i)] = [];
  for (const i of range(8)) shape[id('up2', i)] = [id('up3', i)];
  for (const i of range(4)) shape[id('up1', i)] = [id('up2', 2 * i), id('up2', 2 * i + 1)];
  shape['focus/hub'] = range(4).map((i) => id('up1', i));
  for (const i of range(20)) shape[id('down1', i)] = ['focus/hub'];
  for (const i of range(3)) shape[id('down2', i)] = [id('down1', i)];
  return graphMesh(shape);
}

const nodesWith = (graph: { nodes: readonly { id: string; classes?: readonly string[] }[] }, cls: string) =>
  graph.nodes
    .filter((n) => n.classes?.includes(cls))
    .map((n) => n.id)
    .sort();

describe('productGraph', () => {
  const mesh = neighbourhood();
  const hub = findProduct(mesh, 'focus', 'hub')!;

  it('draws whole levels up to NEIGHBOURHOOD_LIMIT upstream and counts the rest as hidden', () => {
    expect(NEIGHBOURHOOD_LIMIT).toBe(15);
    const graph = productGraph(mesh, hub);
    // Levels 1 and 2 are 12 products; level 3 would make 20, more than 15, so it is left out whole.
    expect(nodesWith(graph, 'upstream')).toEqual([
      ...range(4).map((i) => id('up1', i)),
      ...range(8).map((i) => id('up2', i)),
    ]);
    expect(graph.hiddenUpstream).toBe(8);
  });

  it('always draws the direct level, even wider than the limit, and hides the deeper one', () => {
    const graph = productGraph(mesh, hub);
    expect(nodesWith(graph, 'downstream')).toEqual(range(20).map((i) => id('down1', i)));
    expect(graph.hiddenDownstream).toBe(3);
  });

  it('marks the product itself as the one focus node', () => {
    const graph = productGraph(mesh, hub);
    expect(nodesWith(graph, 'focus')).toEqual(['focus/hub']);
    expect(graph.nodes[0]).toMatchObject({ id: 'focus/hub', href: 'products/focus/hub.html', group: 'focus' });
    expect(graph.nodes).toHaveLength(1 + 12 + 20);
    // Edges only between drawn nodes: 4 into the hub, 8 into up1, 20 out of it; none to up3 or down2.
    const shown = new Set(graph.nodes.map((n) => n.id));
    expect(graph.edges.every((e) => shown.has(e.from) && shown.has(e.to))).toBe(true);
    expect(graph.edges).toHaveLength(4 + 8 + 20);
    expect(graph.edges.filter((e) => e.classes?.includes('upstream'))).toHaveLength(12);
    expect(graph.edges.filter((e) => e.classes?.includes('downstream'))).toHaveLength(20);
  });

  it('draws everything when the limit allows, and a product alone with nothing around it', () => {
    const all = productGraph(mesh, hub, 100);
    expect(all.nodes).toHaveLength(1 + 20 + 23);
    expect([all.hiddenUpstream, all.hiddenDownstream]).toEqual([0, 0]);
    const source = productGraph(mesh, findProduct(mesh, 'up3', 'p00')!);
    // up3/p00 → up2/p00 → up1/p00 → hub → 20 readers (depth 4) → 3 (depth 5): 3 levels fit, the 20 do not.
    expect(nodesWith(source, 'downstream')).toEqual(['focus/hub', 'up1/p00', 'up2/p00']);
    expect(source.hiddenDownstream).toBe(23);
    expect(source.hiddenUpstream).toBe(0);
  });

  it('says on the product page how many it leaves out, and draws exactly the nodes of the graph', () => {
    const site = byPath(siteOf(mesh));
    const page = site.get('products/focus/hub.html') ?? '';
    expect(page).toContain('8 more upstream and 3 more downstream');
    const drawn = drawnNodes(lineageSvgOf(page));
    expect(drawn).toHaveLength(33);
    expect(drawn).not.toContain('up3/p00');
    expect(drawn).not.toContain('down2/p00');
    // down2/p00 reads down1/p00 ← hub ← 4 ← 8 (14 products, 4 levels); the 8 of up3 would make 22.
    expect(site.get('products/down2/p00.html')).toContain('8 more upstream and 0 more downstream');
  });
});

describe('layoutGraph', () => {
  it('gives an empty graph a finite, positive size, and its SVG no Infinity or NaN', () => {
    const layout = layoutGraph({ nodes: [], edges: [] });
    expect(layout.nodes).toEqual([]);
    expect(layout.edges).toEqual([]);
    expect(Number.isFinite(layout.width) && layout.width > 0).toBe(true);
    expect(Number.isFinite(layout.height) && layout.height > 0).toBe(true);
    const svg = lineageSvg(layout, { scope: 'mesh', label: 'empty', page: 'lineage.html', palette: new Map() }).value;
    expect(svg).toContain(`width="${layout.width}" height="${layout.height}"`);
    expect(svg).not.toMatch(/Infinity|NaN/);
  });

  it('places every node at finite coordinates, producers left of consumers, and drops unknown and self edges', () => {
    const layout = layoutGraph({
      nodes: [
        { id: 'a', label: 'a', group: 'x' },
        { id: 'b', label: 'a rather long label for a node', group: 'x' },
        { id: 'c', label: 'c', group: 'y' },
      ],
      edges: [
        { from: 'a', to: 'b', title: 'a → b' },
        { from: 'b', to: 'c', title: 'b → c' },
        { from: 'a', to: 'missing', title: 'dangling' },
        { from: 'c', to: 'c', title: 'self' },
      ],
    });
    expect(layout.edges.map((e) => e.title)).toEqual(['a → b', 'b → c']);
    for (const n of layout.nodes) {
      for (const v of [n.x, n.y, n.width, n.height]) expect(Number.isFinite(v)).toBe(true);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    const [a, b, c] = layout.nodes;
    expect(a.x + a.width).toBeLessThan(b.x);
    expect(b.x + b.width).toBeLessThan(c.x);
    expect(b.width).toBeGreaterThan(a.width);
    // Each edge leaves its producer's right side and enters its consumer's left side.
    const ab = layout.edges[0].points;
    expect(ab[0].x).toBeCloseTo(a.x + a.width);
    expect(ab[ab.length - 1].x).toBeCloseTo(b.x);
  });
});

describe('domain graphs', () => {
  const mesh = neighbourhood();

  it('meshDomainGraph draws a node per domain and an arrow per domain pair, weighted by its inputs', () => {
    const graph = meshDomainGraph(mesh);
    expect(graph.nodes.map((n) => [n.id, n.sublabel, n.href])).toEqual([
      ['down1', '20 products', 'domains/down1.html'],
      ['down2', '3 products', 'domains/down2.html'],
      ['focus', '1 product', 'domains/focus.html'],
      ['up1', '4 products', 'domains/up1.html'],
      ['up2', '8 products', 'domains/up2.html'],
      ['up3', '8 products', 'domains/up3.html'],
    ]);
    expect(graph.edges.map((e) => [e.from, e.to, e.weight]).sort()).toEqual([
      ['down1', 'down2', 3],
      ['focus', 'down1', 20],
      ['up1', 'focus', 4],
      ['up2', 'up1', 8],
      ['up3', 'up2', 8],
    ]);
  });

  it('leaves inputs inside a domain out of the domain overview', () => {
    const local = graphMesh({ 'a/raw': [], 'a/clean': ['a/raw'], 'b/report': ['a/clean'] });
    expect(meshDomainGraph(local).edges.map((e) => [e.from, e.to, e.weight])).toEqual([['a', 'b', 1]]);
    // The domain page of `b` draws its product and the neighbour it reads, marked as a neighbour.
    const b = domainGraph(local, 'b');
    expect(b.nodes.map((n) => [n.id, n.classes])).toEqual([
      ['b/report', []],
      ['a/clean', ['neighbour']],
    ]);
  });

  it('gives each domain its own colour index, in order', () => {
    expect([...domainPalette(mesh)]).toEqual([
      ['down1', 0],
      ['down2', 1],
      ['focus', 2],
      ['up1', 3],
      ['up2', 4],
      ['up3', 5],
    ]);
  });
});

describe('lineage.html of a large mesh', () => {
  it(`draws domains, not products, above PRODUCT_GRAPH_LIMIT (${PRODUCT_GRAPH_LIMIT}) products`, () => {
    expect(PRODUCT_GRAPH_LIMIT).toBe(300);
    // 7 domains × 43 products = 301; the first 3 products of d1…d6 read the same product of the domain before.
    const shape: GraphShape = {};
    for (const d of range(7))
      for (const p of range(43)) shape[id(`d${d}`, p)] = d === 0 || p >= 3 ? [] : [id(`d${d - 1}`, p)];
    const mesh = graphMesh(shape);
    expect(allProducts(mesh)).toHaveLength(PRODUCT_GRAPH_LIMIT + 1);
    const site = byPath(siteOf(mesh));
    const page = site.get('lineage.html') ?? '';
    expect(page).toContain(`301 products are more than one drawing can show readably (the limit is 300)`);
    const svg = lineageSvgOf(page);
    expect(svg).toContain('data-level="domains"');
    expect(drawnNodes(svg, 'domain')).toEqual(range(7).map((d) => `d${d}`));
    expect(drawnNodes(svg, 'product')).toEqual([]);
    expect(svg).toContain('<title>d0 → d1: 3 inputs</title>');
    expect(svg.match(/<g class="edge[" ]/g)).toHaveLength(6);
    // Each domain box opens the domain's page, which still draws its products.
    expect(svg).toContain('<a href="domains/d3.html">');
    expect(drawnNodes(lineageSvgOf(site.get('domains/d3.html') ?? ''))).toHaveLength(43 + 3 + 3);
  });
});
