/** The metrics page: the mesh's health per domain (the numbers of `mesh metrics`) as a table and charts. */
import type { MeshMetrics } from '../../metrics';
import { barChart } from '../charts';
import { html, type SafeHtml } from '../html';
import { domainPage, linkFrom, METRICS_PAGE } from '../paths';

const percent = (v: number) => `${Math.round(v * 100)}%`;
const orDash = (v: number | null, f: (n: number) => string) => (v === null ? '—' : f(v));

export function metricsPageBody(metrics: MeshMetrics): SafeHtml {
  const domains = metrics.domains;
  const labels = domains.map((d) => d.domain);
  const m = metrics.mesh;
  const charts =
    m.products === 0
      ? html`<p class="muted">No products yet: nothing to chart.</p>`
      : html`<div class="charts">
${barChart({
  title: 'Products and live majors per domain',
  labels,
  series: [
    { name: 'products', values: domains.map((d) => d.products) },
    { name: 'live majors', values: domains.map((d) => d.liveMajors) },
  ],
})}
${barChart({
  title: 'Cross-domain inputs per domain',
  labels,
  series: [
    { name: 'reads from others', values: domains.map((d) => d.edgesIn) },
    { name: 'read by others', values: domains.map((d) => d.edgesOut) },
  ],
})}
${barChart({ title: 'Compliance rate (checks passed)', labels, max: 1, format: percent, series: [{ name: 'compliance', values: domains.map((d) => d.compliance?.rate ?? null) }] })}
${barChart({ title: 'Maturity level (0–4)', labels, max: 4, series: [{ name: 'level', values: domains.map((d) => d.maturity.level) }] })}
${barChart({ title: 'Quality score', labels, max: 100, format: (v) => String(Math.round(v)), series: [{ name: 'quality', values: domains.map((d) => d.qualityScore) }] })}
</div>`;
  return html`<h1>Mesh metrics</h1>
<p>Measured on ${metrics.today} from the definitions${m.autonomyScore === null ? '' : ', the synthesized stacks and their policy reports'} (<code>npx mesh metrics</code> prints the same numbers).</p>
<dl class="facts">
<dt>Products</dt><dd>${m.products} (${m.liveMajors} live majors)</dd>
<dt>Cross-domain inputs</dt><dd>${m.crossDomainEdges}</dd>
<dt>Autonomy score</dt><dd>${orDash(m.autonomyScore, percent)} of domain stacks synthesize alone, with no reference to another stack</dd>
<dt>Compliance rate</dt><dd>${orDash(m.compliance?.rate ?? null, percent)}</dd>
<dt>Exceptions</dt><dd>${m.exceptions.open} open, ${m.exceptions.expiringWithin30Days} expiring within 30 days</dd>
<dt>Majors near or past sunset</dt><dd>${m.majorsNearSunset} near, ${m.majorsPastSunset} past</dd>
<dt>Quality score</dt><dd>${orDash(m.qualityScore, (v) => String(Math.round(v)))}</dd>
<dt>SLA adherence</dt><dd>${orDash(m.slaAdherence, percent)}</dd>
</dl>
${charts}
<h2>Per domain</h2>
<table id="metrics-domains"><thead><tr><th scope="col">Domain</th><th scope="col">Products</th><th scope="col">Live majors</th><th scope="col">Inputs from others</th><th scope="col">Read by others</th><th scope="col">Autonomous</th><th scope="col">Compliance</th><th scope="col">Exceptions open / expiring</th><th scope="col">Majors near / past sunset</th><th scope="col">Quality</th><th scope="col">SLA</th><th scope="col">Maturity</th><th scope="col">What holds it back</th></tr></thead>
<tbody>${domains.map(
    (d) =>
      html`<tr data-domain="${d.domain}"><td><a href="${linkFrom(METRICS_PAGE, domainPage(d.domain))}">${d.domain}</a></td><td>${d.products}</td><td>${d.liveMajors}</td><td>${d.edgesIn}</td><td>${d.edgesOut}</td><td>${d.autonomous === null ? '—' : d.autonomous ? 'yes' : 'no'}</td><td>${orDash(d.compliance?.rate ?? null, percent)}</td><td>${d.exceptions.open} / ${d.exceptions.expiringWithin30Days}</td><td>${d.majorsNearSunset} / ${d.majorsPastSunset}</td><td>${orDash(d.qualityScore, (v) => String(Math.round(v)))}</td><td>${orDash(d.slaAdherence, percent)}</td><td>${d.maturity.level} ${d.maturity.name}</td><td>${d.maturity.gaps.length === 0 ? 'nothing' : html`<ul>${d.maturity.gaps.map((g) => html`<li>${g}</li>`)}</ul>`}</td></tr>`,
  )}</tbody></table>`;
}
