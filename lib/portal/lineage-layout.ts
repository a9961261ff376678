/**
 * Lays out a lineage graph with dagre (a layered, left-to-right drawing: producers left of the products built
 * from them). The layout runs at build time, so the site ships plain SVG and needs no script to draw it.
 */
import * as dagre from '@dagrejs/dagre';

export interface GraphNode {
  /** Product id (`<domain>/<product>`) or a domain name on domain overviews. */
  readonly id: string;
  readonly label: string;
  /** Second, smaller line under the label (the domain, a product count). */
  readonly sublabel?: string;
  /** Page the node links to, relative to the site root. */
  readonly href?: string;
  /** Domain the node belongs to: picks its colour. */
  readonly group: string;
  /** CSS classes, e.g. `focus`, `upstream`, `downstream`. */
  readonly classes?: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Hover text, e.g. `sales/orders v2 → marketing/campaign_roi_report`. */
  readonly title: string;
  /** Drawn thicker for aggregated edges (domain overviews). @default 1 */
  readonly weight?: number;
  readonly classes?: readonly string[];
}

export interface GraphSpec {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface PlacedNode extends GraphNode {
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge extends GraphEdge {
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface GraphLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

const NODE_HEIGHT = 40;
const CHAR_WIDTH = 7.4;
const MARGIN = 16;

/** Width that fits the longer of the two lines at the stylesheet's font sizes. */
function nodeWidth(node: GraphNode): number {
  const longest = Math.max(node.label.length, (node.sublabel ?? '').length * 0.85);
  return Math.max(110, Math.ceil(longest * CHAR_WIDTH) + 24);
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/**
 * dagre ends an edge where the line to its next bend crosses the node's border, often the top or bottom of a
 * narrow node; left to right reads better when every edge leaves its producer's right side and enters its
 * consumer's left side. The bends in between are dagre's.
 */
function sideToSide(from: Box, to: Box, points: readonly { x: number; y: number }[]): { x: number; y: number }[] {
  const inner = points.slice(1, -1).map((p) => ({ x: p.x, y: p.y }));
  return [{ x: from.x + from.width / 2, y: from.y }, ...inner, { x: to.x - to.width / 2, y: to.y }];
}

export function layoutGraph(spec: GraphSpec): GraphLayout {
  // dagre reports an empty graph as -Infinity wide, which no browser can draw.
  if (spec.nodes.length === 0) return { nodes: [], edges: [], width: MARGIN * 2, height: MARGIN * 2 };
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of spec.nodes) {
    known.add(node.id);
    graph.setNode(node.id, { width: nodeWidth(node), height: NODE_HEIGHT });
  }
  const edges = spec.edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  for (const edge of edges) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph);
  const nodes = spec.nodes.map((node) => {
    const placed = graph.node(node.id);
    return {
      ...node,
      x: placed.x - placed.width / 2,
      y: placed.y - placed.height / 2,
      width: placed.width,
      height: placed.height,
    };
  });
  const placedEdges = edges.map((edge) => ({
    ...edge,
    points: sideToSide(graph.node(edge.from), graph.node(edge.to), graph.edge(edge.from, edge.to).points),
  }));
  const size = graph.graph();
  return {
    nodes,
    edges: placedEdges,
    width: Math.ceil(size.width ?? MARGIN * 2),
    height: Math.ceil(size.height ?? MARGIN * 2),
  };
}
