/** A domain's page: what it owns, its products, what it exchanges with other domains, and its lineage. */
import type { Mesh, MeshDomain } from '../../mesh/model';
import { inboundEdgesOf, outboundEdgesOf } from '../../mesh/model';
import type { DomainMetrics } from '../../metrics';
import { html, type SafeHtml } from '../html';
import { domainPage, linkFrom, METRICS_PAGE, productPage } from '../paths';

export interface DomainPageProps {
  readonly mesh: Mesh;
  readonly domain: MeshDomain;
  readonly graph: SafeHtml;
  readonly metrics?: DomainMetrics;
}

export function domainPageBody(props: DomainPageProps): SafeHtml {
  const { mesh, domain } = props;
  const page = domainPage(domain.name);
  const link = (id: string) => linkFrom(page, productPage(id));
  const inbound = inboundEdgesOf(mesh, domain.name);
  const outbound = outboundEdgesOf(mesh, domain.name);
  const m = props.metrics;
  return html`<h1>${domain.definition.title ?? domain.name}</h1>
<p>${domain.definition.description}</p>
<dl class="facts"><dt>Owner</dt><dd data-field="owner">${domain.definition.owner.team} &lt;${domain.definition.owner.email}&gt;</dd><dt>Defined in</dt><dd><code>${domain.file}</code></dd>${m ? html`<dt>Maturity</dt><dd>level ${m.maturity.level}, ${m.maturity.name} (<a href="${linkFrom(page, METRICS_PAGE)}">metrics</a>)</dd>` : ''}</dl>
<h2>Products</h2>
${
  domain.products.length === 0
    ? html`<p class="muted">No products yet: add one with <code>npx mesh new product ${domain.name}/&lt;name&gt;</code>.</p>`
    : html`<table><thead><tr><th scope="col">Product</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Classification</th><th scope="col">Purpose</th></tr></thead><tbody>${domain.products.map((p) => html`<tr><td><a data-product="${p.id}" href="${link(p.id)}">${p.definition.title ?? p.name}</a></td><td>${p.versions.map((v) => `v${v.version}`).join(', ')}</td><td>${p.definition.status}</td><td>${p.classification}</td><td>${p.definition.description.purpose}</td></tr>`)}</tbody></table>`
}
<h2>Across domains</h2>
<p>Reads ${inbound.length} input${inbound.length === 1 ? '' : 's'} from other domains; other domains read its products ${outbound.length} time${outbound.length === 1 ? '' : 's'}.</p>
${
  inbound.length + outbound.length > 0
    ? html`<table><thead><tr><th scope="col">Producer</th><th scope="col">Consumer</th><th scope="col">Major</th></tr></thead><tbody>${[...inbound, ...outbound].map((e) => html`<tr><td><a href="${link(e.producer.id)}">${e.producer.id}</a></td><td><a href="${link(e.consumer.id)}">${e.consumer.id}</a></td><td>v${e.major}</td></tr>`)}</tbody></table>`
    : ''
}
<h2>Lineage</h2>
${domain.products.length === 0 ? html`<p class="muted">No products yet, so there is no lineage to draw.</p>` : props.graph}`;
}
