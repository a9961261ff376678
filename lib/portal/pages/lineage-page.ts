/** The mesh's lineage page: every product and input, or the domains once the products are too many to read. */
import type { Mesh } from '../../mesh/model';
import { html, type SafeHtml } from '../html';

export interface LineagePageProps {
  readonly mesh: Mesh;
  readonly graph: SafeHtml;
  /** True when the graph shows domains instead of products. */
  readonly overview: boolean;
  readonly productLimit: number;
}

export function lineagePageBody(props: LineagePageProps): SafeHtml {
  const products = props.mesh.domains.reduce((n, d) => n + d.products.length, 0);
  const edges = props.mesh.edges.length;
  return html`<h1>Lineage</h1>
<p>${
    props.overview
      ? `${products} products are more than one drawing can show readably (the limit is ${props.productLimit}): each box is a domain, each arrow the inputs one domain reads from another. Open a domain for its products.`
      : `${products} product${products === 1 ? '' : 's'} and ${edges} input${edges === 1 ? '' : 's'}: an arrow points from a producer to the product built from it. Open a product for its own lineage, upstream and downstream highlighted.`
  }</p>
${products === 0 ? html`<p class="muted">No products yet, so there is no lineage to draw.</p>` : props.graph}`;
}
