/**
 * `mesh impact <domain/product>[@major]`: every product downstream of one, with depth, the edge it is reached
 * through, owner and support, so a producer knows whom to tell before changing it. Logic lives in lib/impact.
 */
import type { Command } from 'commander';
import type { ImpactReport } from '../../lib/impact/impact';
import { CommandError, formatTable, loadMeshOrExit, printJson } from './shared';

export function registerImpactCommand(program: Command): void {
  program
    .command('impact <product>')
    .description(
      'list every product downstream of <domain>/<product>[@major], with depth, the edge it reads, owner and support',
    )
    .option('--json', 'print the impact report as JSON')
    .action((reference: string, options: { json?: boolean }, command: Command) => {
      const impact = require('../../lib/impact/impact') as typeof import('../../lib/impact/impact');
      const mesh = loadMeshOrExit(command);
      let report: ImpactReport;
      try {
        const { product, major } = impact.parseProductReference(reference);
        report = impact.impactOf(mesh, product, major);
      } catch (err) {
        // A reference that names nothing means the command could not run: one line, exit 2.
        throw new CommandError((err as Error).message);
      }
      if (options.json) printJson(report);
      else process.stdout.write(formatImpact(report));
    });
}

/** The report as text: one row per impacted consumer, then the summary line. */
export function formatImpact(report: ImpactReport): string {
  const { impactSummary } = require('../../lib/impact/format') as typeof import('../../lib/impact/format');
  if (report.consumers.length === 0) return `${impactSummary(report)}\n`;
  const table = formatTable(
    ['consumer', 'depth', 'via', 'owner', 'support'],
    report.consumers.map((c) => [
      c.product,
      String(c.depth),
      c.majors.length > 1 ? `${c.reads.replace(/@\d+$/, '')}@${c.majors.join(',')}` : c.reads,
      c.owner,
      c.support.join(', ') || '-',
    ]),
  );
  return `${table}\n\n${impactSummary(report)}\n`;
}
