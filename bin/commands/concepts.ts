/**
 * `mesh concepts`: the governance guild's shared concepts (lib/policies/concepts.ts) — owner, type, pattern —
 * with the products and columns of each domain that reference them and the lookalike columns that do not,
 * and a join readiness per domain and for the mesh. `--json` prints the same as data.
 */
import type { Command } from 'commander';
import type { ConceptUsageReport, JoinReadiness } from '../../lib/concepts/usage';
import { formatTable, loadMeshOrExit, printJson } from './shared';

export function registerConceptsCommand(program: Command): void {
  program
    .command('concepts')
    .description('list the shared concepts, which products use them per domain, and the join readiness of each domain')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const mesh = loadMeshOrExit(command);
      // The registry and its schemas load when the command runs, so `mesh --help` stays fast.
      const { conceptUsage } = require('../../lib/concepts/usage') as typeof import('../../lib/concepts/usage');
      const report = conceptUsage(mesh);
      if (options.json) printJson(report);
      else process.stdout.write(formatConceptUsage(report));
    });
}

/** The report as text: the concepts, the columns of each, and join readiness per domain. */
export function formatConceptUsage(report: ConceptUsageReport): string {
  const sections = [
    formatTable(
      ['concept', 'owner', 'type', 'pattern', 'referencing', 'not referencing', 'join readiness'],
      report.concepts.map((c) => [
        c.name,
        c.owner,
        c.type === 'decimal' ? 'decimal(p,s)' : c.type,
        c.pattern ?? '-',
        ...counts(c),
      ]),
    ),
  ];
  for (const concept of report.concepts) {
    const rows = concept.domains.flatMap((d) =>
      d.columns.map((c) => [
        d.domain,
        c.product,
        c.column,
        c.majors.map((m) => `v${m}`).join(', '),
        c.referenced ? 'yes' : 'no: named like it',
      ]),
    );
    const heading = `${concept.name}: ${concept.description}`;
    sections.push(
      rows.length === 0
        ? `${heading}\nno column means it`
        : `${heading}\n${formatTable(['domain', 'product', 'column', 'majors', 'references it'], rows)}`,
    );
  }
  sections.push(
    `join readiness: columns that reference a concept / columns that mean one\n${formatTable(
      ['domain', 'referencing', 'not referencing', 'join readiness'],
      [...report.domains.map((d) => [d.domain, ...counts(d)]), ['mesh', ...counts(report.mesh)]],
    )}`,
  );
  return `${sections.join('\n\n')}\n`;
}

function counts(readiness: JoinReadiness): string[] {
  const { referencing, notReferencing, joinReadiness } = readiness;
  const percent = joinReadiness === null ? '-' : `${Math.round(joinReadiness * 1000) / 10} %`;
  return [String(referencing), String(notReferencing), percent];
}
