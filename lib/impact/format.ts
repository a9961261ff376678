/** Plain-text rendering of an impact: the summary line of `mesh impact`, the consumer tree of `contract diff`. */
import type { ImpactedConsumer, ImpactReport } from './impact';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One line saying how far a change reaches: `3 products in 2 other domains would be affected (…)`, or
 * `nothing reads sales/x` when nothing does.
 */
export function impactSummary(report: ImpactReport): string {
  const target = `${report.product}${report.major === undefined ? '' : `@${report.major}`}`;
  const { consumers, domains } = report;
  if (consumers.length === 0) return `nothing reads ${target}`;
  const own = report.product.split('/')[0];
  const cross = consumers.filter((c) => c.crossDomain).length;
  const others = `${plural(domains.length, 'other domain')} (${domains.join(', ')})`;
  if (cross === consumers.length) return `${plural(cross, 'product')} in ${others} would be affected`;
  if (cross === 0) return `${plural(consumers.length, 'product')} in ${own} would be affected`;
  return `${plural(consumers.length, 'product')} would be affected: ${consumers.length - cross} in ${own}, ${cross} in ${others}`;
}

/**
 * What a breaking change to one major breaks, for `contract diff`: the direct readers of the major and, indented
 * under each, the products it feeds (each listed once, under the reader on its shortest path), with owners.
 */
export function formatBreaks(major: number, consumers: readonly ImpactedConsumer[], indent = '    '): string[] {
  if (consumers.length === 0) return [`${indent}nothing reads v${major}: no consumer breaks`];
  const direct = consumers.filter((c) => c.depth === 1);
  const downstream = consumers.length - direct.length;
  const children = new Map<string, ImpactedConsumer[]>();
  for (const consumer of consumers) {
    if (consumer.depth === 1) continue;
    const parent = consumer.path[consumer.path.length - 2];
    children.set(parent, [...(children.get(parent) ?? []), consumer]);
  }
  const rows: { label: string; owner: string }[] = [];
  const visit = (consumer: ImpactedConsumer) => {
    rows.push({ label: `${'  '.repeat(consumer.depth - 1)}${consumer.product}`, owner: consumer.owner });
    for (const child of children.get(consumer.product) ?? []) visit(child);
  };
  for (const consumer of direct) visit(consumer);
  const width = Math.max(...rows.map((r) => r.label.length));
  const heading = `${indent}breaks ${plural(direct.length, 'reader')} of v${major}${downstream > 0 ? ` and ${plural(downstream, 'product')} downstream` : ''}:`;
  return [heading, ...rows.map((r) => `${indent}  ${r.label.padEnd(width)}  ${r.owner}`)];
}
