/** The portal's home: search over products, columns, tags and concepts, and the domains of the mesh. */
import type { Mesh } from '../../mesh/model';
import { html, type SafeHtml } from '../html';
import { domainPage, HOME_PAGE, linkFrom } from '../paths';

export function homePageBody(mesh: Mesh): SafeHtml {
  const products = mesh.domains.reduce((n, d) => n + d.products.length, 0);
  return html`<h1>Data products</h1>
<p>${products === 0 ? 'The mesh has no products yet: a domain team adds one with npx mesh new product.' : `${products} product${products === 1 ? '' : 's'} in ${mesh.domains.length} domain${mesh.domains.length === 1 ? '' : 's'}, generated from the same definitions the infrastructure is deployed from.`}</p>
<form class="search" role="search" action="${HOME_PAGE}">
<label for="search">Search products, columns, tags and concepts</label>
<input id="search" name="q" type="search" autocomplete="off" placeholder="e.g. customer_id, revenue, orders">
</form>
<p id="search-status" class="muted" aria-live="polite"></p>
<ul id="search-results"></ul>
<h2>Domains</h2>
${
  mesh.domains.length === 0
    ? html`<p class="muted">No domains yet.</p>`
    : html`<div class="cards">${mesh.domains.map(
        (d) =>
          html`<div class="card"><h3><a data-domain="${d.name}" href="${linkFrom(HOME_PAGE, domainPage(d.name))}">${d.definition.title ?? d.name}</a></h3><p>${d.definition.description}</p><p class="muted">${d.products.length} product${d.products.length === 1 ? '' : 's'} · ${d.definition.owner.team}</p></div>`,
      )}</div>`
}`;
}
