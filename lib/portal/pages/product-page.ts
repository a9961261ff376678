/**
 * A product's page: what it is for, who owns it, its schema per live major, SLA, quality rules with their
 * latest results, who may read it and why, what it reads and what is built from it, sunsets, the ODCS
 * contracts and a query to start from.
 */
import { catalogEntry } from '../../catalog/entries';
import { parseColumnType, renderTrinoType } from '../../definition/column-type';
import type { ImpactReport } from '../../impact/impact';
import type { Mesh, MeshProduct, ProductVersion } from '../../mesh/model';
import { planQualityChecks } from '../../quality/checks';
import type { QualityReport } from '../../quality/evaluate';
import { html, type SafeHtml } from '../html';
import { contractFile, domainPage, linkFrom, productPage } from '../paths';

export interface ProductPageProps {
  readonly mesh: Mesh;
  readonly product: MeshProduct;
  /** Everything built from the product, transitively. */
  readonly impact: ImpactReport;
  /** Latest local or recorded quality report per live major, when there is one. */
  readonly reports: ReadonlyMap<number, QualityReport>;
  /** The product's lineage drawing. */
  readonly graph: SafeHtml;
  /** Products upstream and downstream beyond the levels the drawing shows. */
  readonly hidden: { readonly upstream: number; readonly downstream: number };
  readonly today: string;
}

/** Rows of the impact table; a product feeding most of a large mesh would otherwise make a page of megabytes. */
const IMPACT_ROWS = 100;

function versionHeading(version: ProductVersion, today: string): string {
  if (version.current) return `v${version.major} — ${version.version}, current`;
  const state = version.sunset && version.sunset < today ? 'past its sunset' : 'until its sunset';
  return `v${version.major} — ${version.version}, served ${state} on ${version.sunset}`;
}

function schemaTable(version: ProductVersion): SafeHtml {
  return html`<table data-major="${version.major}"><caption class="muted">Columns of v${version.major} (${version.schema.format})</caption>
<thead><tr><th scope="col">Column</th><th scope="col">Type (Athena)</th><th scope="col">Required</th><th scope="col">Key</th><th scope="col">Personal data</th><th scope="col">Concept</th><th scope="col">Partition</th><th scope="col">Description</th></tr></thead>
<tbody>${version.schema.columns.map(
    (c) =>
      html`<tr data-column="${c.name}"><td><code>${c.name}</code></td><td><code>${renderTrinoType(parseColumnType(c.type))}</code></td><td>${c.required ? 'yes' : ''}</td><td>${c.primaryKey ? 'primary key' : c.unique ? 'unique' : ''}</td><td>${c.pii ? html`<span class="badge warn">pii</span>` : ''}</td><td>${c.concept ?? ''}</td><td>${c.partition === true ? 'iceberg' : c.partition ? c.partition.projection : ''}</td><td>${c.description ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

function qualitySection(product: MeshProduct, reports: ReadonlyMap<number, QualityReport>): SafeHtml {
  const parts = product.versions.map((version) => {
    const checks = planQualityChecks(product, version);
    const report = reports.get(version.major);
    const results = new Map((report?.results ?? []).map((r) => [r.id, r]));
    const summary = report
      ? html`<p>Latest result: <span class="badge ${report.passed ? 'ok' : 'error'}">${report.passed ? 'passed' : 'failed'}</span> quality score ${Math.round(report.score * 100)} (${report.counts.pass} passed, ${report.counts.fail} failed, ${report.counts.error} errored${report.totalRows === null ? '' : `, ${report.totalRows} rows`}).</p>`
      : html`<p class="muted">No results yet for v${version.major}: run <code>npx mesh check ${product.id} --version ${version.major} --json report.json</code> (or let the scheduled checks record them) and build the portal with <code>--results report.json</code>.</p>`;
    return html`<h3>v${version.major}</h3>${summary}<table><thead><tr><th scope="col">Check</th><th scope="col">Rule</th><th scope="col">From</th><th scope="col">Latest</th></tr></thead><tbody>${checks.map(
      (check) => {
        const result = results.get(check.id);
        return html`<tr data-check="${check.id}"><td><code>${check.id}</code></td><td>${check.summary}</td><td>${check.source}</td><td>${result ? html`<span class="status-${result.status} badge">${result.status}</span> ${result.measuredText}` : html`<span class="muted">${check.skipped ? `skipped: ${check.skipped}` : 'no result'}</span>`}</td></tr>`;
      },
    )}</tbody></table>`;
  });
  return html`<section id="quality" aria-labelledby="quality-h"><h2 id="quality-h">Quality</h2>${parts}</section>`;
}

function accessSection(mesh: Mesh, product: MeshProduct): SafeHtml {
  const { access } = product.definition;
  const readers = mesh.edges.filter((e) => e.producer === product && e.consumer.domain !== product.domain);
  const who =
    access.visibility === 'mesh'
      ? 'Every domain of the mesh may read it.'
      : access.visibility === 'consumers'
        ? 'Only the domains listed below may read it.'
        : `Only the ${product.domain} domain may read it.`;
  return html`<section id="access" aria-labelledby="access-h"><h2 id="access-h">Who may read it</h2>
<p>${who} Classification: <strong>${product.classification}</strong>. The ${product.domain} domain's own roles always may.</p>
${
  access.consumers.length > 0
    ? html`<table><thead><tr><th scope="col">Consumer domain</th><th scope="col">Why</th></tr></thead><tbody>${access.consumers.map((c) => html`<tr><td><a href="${linkFrom(productPage(product.id), domainPage(c.domain))}">${c.domain}</a></td><td>${c.purpose ?? 'no purpose given'}</td></tr>`)}</tbody></table>`
    : ''
}
<p>Read today by ${readers.length === 0 ? 'no product of another domain' : readers.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="${linkFrom(productPage(product.id), productPage(e.consumer.id))}">${e.consumer.id}</a> (v${e.major})`)}.
Access is granted by the producer's stack: a consumer declares the input, and the producer's next deploy lets its roles read.</p></section>`;
}

function lineageSections(mesh: Mesh, product: MeshProduct, impact: ImpactReport): SafeHtml {
  const page = productPage(product.id);
  const inputs = mesh.edges.filter((e) => e.consumer === product);
  return html`<section id="upstream" aria-labelledby="upstream-h"><h2 id="upstream-h">Reads</h2>${
    inputs.length === 0
      ? html`<p class="muted">Reads nothing: a source-aligned product, loaded from outside the mesh.</p>`
      : html`<ul class="plain">${inputs.map((e) => html`<li><a data-product="${e.producer.id}" href="${linkFrom(page, productPage(e.producer.id))}">${e.producer.id}</a> v${e.major} <span class="muted">owned by ${e.producer.owner.team}</span></li>`)}</ul>`
  }</section>
<section id="downstream" aria-labelledby="downstream-h"><h2 id="downstream-h">Built from it (impact of a change)</h2>${
    impact.consumers.length === 0
      ? html`<p class="muted">Nothing reads it yet: a change affects no other product.</p>`
      : html`<p>${impact.consumers.length} product${impact.consumers.length === 1 ? '' : 's'} ${impact.domains.length > 0 ? `in ${impact.domains.length} other domain${impact.domains.length === 1 ? '' : 's'} ` : ''}would be affected by a breaking change (<code>npx mesh impact ${product.id}</code>).</p>
<table><thead><tr><th scope="col">Product</th><th scope="col">Depth</th><th scope="col">Reads</th><th scope="col">Owner</th></tr></thead><tbody>${impact.consumers.slice(0, IMPACT_ROWS).map((c) => html`<tr><td><a data-product="${c.product}" href="${linkFrom(page, productPage(c.product))}">${c.product}</a></td><td>${c.depth}</td><td>${c.reads}</td><td>${c.owner}</td></tr>`)}</tbody></table>${
          impact.consumers.length > IMPACT_ROWS
            ? html`<p class="muted">The nearest ${IMPACT_ROWS} are listed; <code>npx mesh impact ${product.id}</code> lists all ${impact.consumers.length}.</p>`
            : ''
        }`
  }</section>`;
}

function querySnippet(mesh: Mesh, product: MeshProduct): SafeHtml {
  const entry = catalogEntry(mesh, product);
  const current = product.versions[0];
  const table = entry.versions[0].table;
  const partition = current.schema.columns.find((c) => c.partition);
  const where = partition ? `\nWHERE ${partition.name} >= '2026-01-01'  -- prune partitions` : '';
  const sql = `-- Athena, workgroup ${entry.workgroup}\nSELECT *\nFROM "${entry.database}"."${table}"${where}\nLIMIT 100;`;
  return html`<section id="query" aria-labelledby="query-h"><h2 id="query-h">Query it</h2><p>In the Athena console or <code>aws athena start-query-execution --work-group ${entry.workgroup}</code>:</p><pre><code>${sql}</code></pre></section>`;
}

export function productPageBody(props: ProductPageProps): SafeHtml {
  const { mesh, product, today } = props;
  const { definition } = product;
  const page = productPage(product.id);
  const current = product.versions[0];
  const support = product.support.map((s) => `${s.channel} ${s.url}${s.purpose ? ` (${s.purpose})` : ''}`);
  return html`<p class="muted"><a href="${linkFrom(page, domainPage(product.domain))}">${product.domain}</a> / ${product.name}</p>
<h1>${definition.title ?? product.name}</h1>
<p><span class="badge">${definition.status}</span><span class="badge">${definition.archetype}</span><span class="badge">${product.classification}</span><span class="badge">v${current.version}</span>${definition.tags.map((t) => html`<span class="badge">#${t}</span>`)}</p>
<p data-field="purpose">${definition.description.purpose}</p>
<dl class="facts">
<dt>Owner</dt><dd data-field="owner">${product.owner.team} &lt;<a href="mailto:${product.owner.email}">${product.owner.email}</a>&gt;</dd>
<dt>Support</dt><dd data-field="support">${support.length ? support.join('; ') : 'the owner'}</dd>
${definition.description.usage ? html`<dt>Usage</dt><dd data-field="usage">${definition.description.usage}</dd>` : ''}
${definition.description.limitations ? html`<dt>Limitations</dt><dd data-field="limitations">${definition.description.limitations}</dd>` : ''}
<dt>Defined in</dt><dd><code>${product.file}</code></dd>
</dl>
<section id="lineage" aria-labelledby="lineage-h"><h2 id="lineage-h">Lineage</h2><p class="legend"><span><i style="background:#dbeafe"></i>this product</span><span><i style="background:#fff4d6"></i>upstream</span><span><i style="background:#e6f4ea"></i>downstream</span></p>${props.graph}${
    props.hidden.upstream + props.hidden.downstream > 0
      ? html`<p class="muted">The drawing shows the nearest levels; ${props.hidden.upstream} more upstream and ${props.hidden.downstream} more downstream are listed below or by <code>npx mesh impact ${product.id}</code>.</p>`
      : ''
  }</section>
${lineageSections(mesh, product, props.impact)}
<section id="schema" aria-labelledby="schema-h"><h2 id="schema-h">Schema</h2>${product.versions.map((v) => html`<h3>${versionHeading(v, today)}</h3>${schemaTable(v)}`)}</section>
<section id="sla" aria-labelledby="sla-h"><h2 id="sla-h">Service level</h2>${
    definition.sla
      ? html`<dl class="facts"><dt>Updated</dt><dd>${definition.sla.updateFrequency}</dd>${definition.sla.freshness ? html`<dt>Fresh within</dt><dd>${definition.sla.freshness.within} (measured on <code>${definition.sla.freshness.column}</code>)</dd>` : ''}<dt>Retained</dt><dd>${definition.sla.retention}</dd>${definition.sla.supportHours ? html`<dt>Support hours</dt><dd>${definition.sla.supportHours}</dd>` : ''}</dl>`
      : html`<p class="muted">No service level declared.</p>`
  }</section>
${qualitySection(product, props.reports)}
${accessSection(mesh, product)}
<section id="contract" aria-labelledby="contract-h"><h2 id="contract-h">Contracts and sunsets</h2><ul class="plain">${product.versions.map((v) => html`<li><a data-download="odcs" data-major="${v.major}" href="${linkFrom(page, contractFile(product.id, v.major))}" download>ODCS contract of v${v.major}</a> (${v.version})${v.sunset ? html` — <strong>sunset ${v.sunset}</strong>${v.sunset < today ? ' (past)' : ''}` : ''}</li>`)}</ul></section>
${querySnippet(mesh, product)}`;
}
