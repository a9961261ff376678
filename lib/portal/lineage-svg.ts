/**
 * A laid-out lineage graph as inline SVG: one `g.node` per product (a link to its page) and one `g.edge` per
 * input, carrying `data-*` attributes so readers (and tests) can tell what is drawn.
 * The SVG is a labelled group, not an image: its nodes are links a keyboard reaches.
 */
import { html, type SafeHtml } from './html';
import type { GraphLayout, PlacedEdge, PlacedNode } from './lineage-layout';
import { linkFrom } from './paths';

export interface LineageSvgOptions {
  /** What the graph shows: the whole mesh, one domain, one product's neighbourhood. */
  readonly scope: 'mesh' | 'domain' | 'product';
  /** Nodes are products or, on an overview of a large mesh, domains. @default 'products' */
  readonly level?: 'products' | 'domains';
  /** Read by screen readers instead of the drawing. */
  readonly label: string;
  /** The page the SVG is on, for relative links. */
  readonly page: string;
  /** Colour index of every group (domain). */
  readonly palette: ReadonlyMap<string, number>;
}

const PALETTE_SIZE = 8;

function round(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** A smooth path through dagre's points (a Catmull-Rom spline turned into cubic Béziers). */
export function edgePath(points: readonly { readonly x: number; readonly y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M${round(points[0].x)},${round(points[0].y)}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)];
    const p1 = points[i];
    const p2 = points[i + 1];
    const p3 = points[Math.min(points.length - 1, i + 2)];
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${round(p2.x)},${round(p2.y)}`;
  }
  return d;
}

function classList(base: string, extra: readonly string[] | undefined): string {
  return [base, ...(extra ?? [])].join(' ');
}

function renderEdge(edge: PlacedEdge, level: 'products' | 'domains'): SafeHtml {
  const width = Math.min(6, 1.2 + Math.log2(edge.weight ?? 1));
  return html`<g class="${classList('edge', edge.classes)}" data-from="${edge.from}" data-to="${edge.to}" data-level="${level}"><title>${edge.title}</title><path d="${edgePath(edge.points)}" stroke-width="${round(width)}" marker-end="url(#arrow)"/></g>`;
}

function renderNode(node: PlacedNode, options: LineageSvgOptions): SafeHtml {
  const attribute = options.level === 'domains' ? 'data-domain' : 'data-product';
  const colour = (options.palette.get(node.group) ?? 0) % PALETTE_SIZE;
  const body = html`<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="6"/><rect class="stripe" x="${round(node.x)}" y="${round(node.y)}" width="5" height="${round(node.height)}" rx="2"/><text x="${round(node.x + 12)}" y="${round(node.y + 17)}">${node.label}</text>${node.sublabel ? html`<text class="sub" x="${round(node.x + 12)}" y="${round(node.y + 32)}">${node.sublabel}</text>` : ''}`;
  const inner = node.href ? html`<a href="${linkFrom(options.page, node.href)}">${body}</a>` : body;
  return html`<g class="${classList(`node c${colour}`, node.classes)}" ${attribute === 'data-domain' ? html`data-domain="${node.id}"` : html`data-product="${node.id}"`}><title>${node.sublabel ? `${node.label} (${node.sublabel})` : node.label}</title>${inner}</g>`;
}

export function lineageSvg(layout: GraphLayout, options: LineageSvgOptions): SafeHtml {
  const level = options.level ?? 'products';
  return html`<div class="graph" tabindex="0" role="region" aria-label="${`${options.label} (scrollable)`}"><svg class="lineage" data-scope="${options.scope}" data-level="${level}" role="group" aria-label="${options.label}" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs><g class="edges">${layout.edges.map((e) => renderEdge(e, level))}</g><g class="nodes">${layout.nodes.map((n) => renderNode(n, options))}</g></svg></div>`;
}
