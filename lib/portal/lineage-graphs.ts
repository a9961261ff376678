/**
 * Which lineage each page draws: the whole mesh (products, or domains once products are too many to read),
 * one domain with the products it exchanges data with, and one product with everything upstream and
 * downstream of it highlighted.
 */
import { impactOf, upstreamOf } from '../impact/impact';
import type { Mesh, MeshEdge, MeshProduct } from '../mesh/model';
import { allProducts } from '../mesh/model';
import type { GraphEdge, GraphNode, GraphSpec } from './lineage-layout';
import { domainPage, productPage } from './paths';

/** Above this many products the mesh page draws domains; each domain page still draws its products. */
export const PRODUCT_GRAPH_LIMIT = 300;

function productNode(product: MeshProduct, classes: readonly string[] = []): GraphNode {
  return {
    id: product.id,
    label: product.name,
    sublabel: product.domain,
    href: productPage(product.id),
    group: product.domain,
    classes,
  };
}

function edgeTitle(edge: MeshEdge): string {
  return `${edge.producer.id} v${edge.major} → ${edge.consumer.id}`;
}

/** One drawn edge per producer → consumer pair, even when a consumer reads two majors of one producer. */
function productEdges(edges: readonly MeshEdge[], classesOf?: (edge: MeshEdge) => readonly string[]): GraphEdge[] {
  const seen = new Map<string, GraphEdge>();
  for (const edge of edges) {
    const key = `${edge.producer.id}\u0000${edge.consumer.id}`;
    const existing = seen.get(key);
    if (existing) {
      seen.set(key, { ...existing, title: `${existing.title}; ${edgeTitle(edge)}` });
      continue;
    }
    seen.set(key, {
      from: edge.producer.id,
      to: edge.consumer.id,
      title: edgeTitle(edge),
      classes: classesOf?.(edge) ?? [],
    });
  }
  return [...seen.values()];
}

export function meshProductGraph(mesh: Mesh): GraphSpec {
  return { nodes: allProducts(mesh).map((p) => productNode(p)), edges: productEdges(mesh.edges) };
}

/** Domains as nodes; an edge per producing → consuming domain pair, weighted by the inputs behind it. */
export function meshDomainGraph(mesh: Mesh): GraphSpec {
  const nodes = mesh.domains.map((d) => ({
    id: d.name,
    label: d.definition.title ?? d.name,
    sublabel: `${d.products.length} product${d.products.length === 1 ? '' : 's'}`,
    href: domainPage(d.name),
    group: d.name,
  }));
  const weights = new Map<string, { from: string; to: string; count: number }>();
  for (const edge of mesh.edges) {
    if (edge.producer.domain === edge.consumer.domain) continue;
    const key = `${edge.producer.domain}\u0000${edge.consumer.domain}`;
    const entry = weights.get(key) ?? { from: edge.producer.domain, to: edge.consumer.domain, count: 0 };
    entry.count++;
    weights.set(key, entry);
  }
  const edges = [...weights.values()].map((w) => ({
    from: w.from,
    to: w.to,
    weight: w.count,
    title: `${w.from} → ${w.to}: ${w.count} input${w.count === 1 ? '' : 's'}`,
  }));
  return { nodes, edges };
}

/** A domain's products, and the products of other domains that feed them or read them directly. */
export function domainGraph(mesh: Mesh, domain: string): GraphSpec {
  const touching = mesh.edges.filter((e) => e.producer.domain === domain || e.consumer.domain === domain);
  const products = new Map<string, MeshProduct>();
  for (const product of allProducts(mesh).filter((p) => p.domain === domain)) products.set(product.id, product);
  for (const edge of touching) {
    products.set(edge.producer.id, edge.producer);
    products.set(edge.consumer.id, edge.consumer);
  }
  const nodes = [...products.values()].map((p) => productNode(p, p.domain === domain ? [] : ['neighbour']));
  return { nodes, edges: productEdges(touching) };
}

/** Products drawn on each side of a product's graph before deeper levels are left to the tables. */
export const NEIGHBOURHOOD_LIMIT = 15;

/** A product's lineage drawing and what it leaves out. */
export interface ProductGraph extends GraphSpec {
  /** Upstream and downstream products beyond the depth drawn. */
  readonly hiddenUpstream: number;
  readonly hiddenDownstream: number;
}

/**
 * The entries of the nearest levels, whole levels only, while they stay within the limit; the direct level
 * is always drawn. Keeps a product deep in a large mesh readable (and its page small).
 */
function nearestLevels<T extends { readonly depth: number }>(entries: readonly T[], limit: number): T[] {
  let depth = 1;
  while (entries.filter((e) => e.depth <= depth + 1).length <= limit && entries.some((e) => e.depth > depth)) depth++;
  return entries.filter((e) => e.depth <= depth);
}

/**
 * The product, what it reads and what is built from it, transitively, highlighted: whole levels up to
 * NEIGHBOURHOOD_LIMIT products on each side.
 */
export function productGraph(mesh: Mesh, product: MeshProduct, limit = NEIGHBOURHOOD_LIMIT): ProductGraph {
  const allUpstream = upstreamOf(mesh, product.id);
  const allDownstream = impactOf(mesh, product.id).consumers;
  const upstream = new Set(nearestLevels(allUpstream, limit).map((u) => u.product));
  const downstream = new Set(nearestLevels(allDownstream, limit).map((c) => c.product));
  const byId = new Map(allProducts(mesh).map((p) => [p.id, p]));
  const nodes: GraphNode[] = [productNode(product, ['focus'])];
  for (const id of upstream) nodes.push(productNode(byId.get(id) as MeshProduct, ['upstream']));
  for (const id of downstream)
    if (!upstream.has(id)) nodes.push(productNode(byId.get(id) as MeshProduct, ['downstream']));
  const shown = new Set(nodes.map((n) => n.id));
  const edges = productEdges(
    mesh.edges.filter((e) => shown.has(e.producer.id) && shown.has(e.consumer.id)),
    (e) => {
      const toFocus = e.consumer.id === product.id || upstream.has(e.consumer.id);
      const fromFocus = e.producer.id === product.id || downstream.has(e.producer.id);
      if (toFocus && upstream.has(e.producer.id)) return ['upstream'];
      if (fromFocus && downstream.has(e.consumer.id)) return ['downstream'];
      return [];
    },
  );
  return {
    nodes,
    edges,
    hiddenUpstream: allUpstream.length - upstream.size,
    hiddenDownstream: allDownstream.length - downstream.size,
  };
}

/** A stable colour per domain: its position in the sorted list. */
export function domainPalette(mesh: Mesh): Map<string, number> {
  return new Map(mesh.domains.map((d, i) => [d.name, i]));
}
