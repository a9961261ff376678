/**
 * `mesh metrics`: the mesh's health in numbers, per domain and for the mesh — products and live majors,
 * cross-domain edges, stack autonomy, policy compliance, exceptions, sunsets, quality score and SLA adherence
 * where results exist, and each domain's maturity level with what holds it back (lib/metrics). Numbers come
 * from the definitions, the policy reports of a synthesized assembly (cdk.out; the mesh is synthesized
 * in-process when it has no current reports) and the quality results given with --results.
 * `--json` prints the same as data. Exit 2 when it cannot run.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { DefinitionProblem } from '../../lib/mesh/problems';
import type { DomainMetrics, MeshMetrics } from '../../lib/metrics';
import { progressLine } from './progress';
import { CommandError, formatTable, loadProject, printJson, projectRoot } from './shared';

interface MetricsOptions {
  readonly json?: boolean;
  readonly assembly?: string;
  readonly results?: readonly string[];
  readonly today?: string;
  readonly synthesize?: boolean;
}

/** What the text says where a quality number has no results to come from. */
export const NO_RESULTS = 'no results (run mesh check --json <file>, pass --results)';

export function registerMetricsCommand(program: Command): void {
  program
    .command('metrics')
    .description(
      "the mesh's health per domain and for the mesh: size, cross-domain edges, autonomy, compliance, exceptions, sunsets, quality, maturity",
    )
    .option('--json', 'print JSON')
    .option(
      '--assembly <dir>',
      'synthesized cloud assembly with policy reports (default: cdk.out; synthesized in-process when it has no current reports)',
    )
    .option('--synthesize', 'synthesize the mesh in-process even when the assembly has current reports')
    .option('--results <paths...>', 'quality reports written by mesh check --json <file>: files, or folders of *.json')
    .option('--today <date>', 'day that decides exception expiry and sunsets, YYYY-MM-DD (default: today, UTC)')
    .action(async (options: MetricsOptions, command: Command) => {
      const metrics = await measure(command, options);
      if (options.json) printJson(metrics);
      else process.stdout.write(formatMetrics(metrics));
      for (const note of metrics.notes) process.stderr.write(`note: ${note}\n`);
    });
}

async function measure(command: Command, options: MetricsOptions): Promise<MeshMetrics> {
  const root = projectRoot(command);
  const { assertIsoDate } = require('../../lib/contracts/sunset') as typeof import('../../lib/contracts/sunset');
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  try {
    assertIsoDate(today);
  } catch (err) {
    throw new CommandError(`--today: ${(err as Error).message}`);
  }
  const { mesh, blocked } = await loadAsSynthDoes(command, root);
  const metrics = require('../../lib/metrics') as typeof import('../../lib/metrics');
  let quality: import('../../lib/metrics').QualityResultFacts[];
  try {
    quality = metrics.readQualityResults((options.results ?? []).map((p) => path.resolve(p)));
  } catch (err) {
    throw new CommandError((err as Error).message);
  }
  const progress = progressLine({ quiet: options.json });
  let source: import('../../lib/metrics').AssemblySource;
  try {
    source = metrics.assemblyFacts({
      root,
      mesh,
      blocked,
      today,
      ...(options.assembly !== undefined ? { assembly: path.resolve(options.assembly) } : {}),
      synthesize: options.synthesize ? 'always' : 'auto',
      onSynthesize: (why) => progress.update(`synthesizing the mesh in-process (${why})…`, true),
    });
  } catch (err) {
    throw new CommandError((err as Error).message);
  } finally {
    progress.done();
  }
  const { PLATFORM_EXCEPTIONS } =
    require('../../lib/policies/platform-exceptions') as typeof import('../../lib/policies/platform-exceptions');
  return metrics.computeMeshMetrics({
    mesh,
    today,
    blocked,
    assembly: source.facts,
    quality,
    platformExceptions: PLATFORM_EXCEPTIONS,
    sources: { assembly: source.label, synthesized: source.synthesized, qualityResultFiles: quality.length },
  });
}

/**
 * The definitions as synthesis judges them (bin/app.ts): a domain with definition or build SQL problems is
 * blocked, the others load. An empty domains folder is an empty mesh; a problem outside every domain means
 * nothing can be measured.
 */
async function loadAsSynthDoes(
  command: Command,
  root: string,
): Promise<{ mesh: import('../../lib/mesh/model').Mesh; blocked: ReadonlyMap<string, readonly DefinitionProblem[]> }> {
  const loaded = loadProject(command);
  const everywhere = loaded.blocked.get('*');
  if (everywhere) {
    const { discoverMeshFiles } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
    if (discoverMeshFiles(root, loaded.partial.config.domainsDir).size === 0) {
      return { mesh: loaded.partial, blocked: new Map() };
    }
    const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
    throw new CommandError(
      `the project cannot be loaded, so nothing can be measured: ${everywhere.map(formatProblem).join('; ')}`,
    );
  }
  const { validateBuilds } =
    require('../../lib/build/validate-builds') as typeof import('../../lib/build/validate-builds');
  const { blockedWithBuilds } = require('../../lib/build/with-builds') as typeof import('../../lib/build/with-builds');
  const builds = await validateBuilds(loaded.partial, { root });
  return {
    mesh: loaded.partial,
    blocked: blockedWithBuilds(loaded.blocked, builds.problems, loaded.partial.config.domainsDir),
  };
}

/** The metrics as text: per-domain tables, the mesh's totals, and each domain's maturity with its gaps. */
export function formatMetrics(metrics: MeshMetrics): string {
  const m = metrics.mesh;
  const sections: string[] = [heading(metrics)];
  if (metrics.domains.length === 0) {
    sections.push('no domains: nothing to measure yet (npx mesh new domain <name>)');
  } else {
    const meshRow = (cells: string[]) => ['mesh', ...cells];
    sections.push(
      formatTable(
        [
          'domain',
          'products',
          'live majors',
          'edges in',
          'edges out',
          'autonomous',
          'compliance',
          'errors',
          'warnings',
        ],
        [
          ...metrics.domains.map((d) => [
            d.domain,
            String(d.products),
            String(d.liveMajors),
            String(d.edgesIn),
            String(d.edgesOut),
            autonomous(d),
            d.compliance ? percent(d.compliance.rate) : '-',
            d.compliance ? String(d.compliance.errors) : '-',
            d.compliance ? String(d.compliance.warnings) : '-',
          ]),
          meshRow([
            String(m.products),
            String(m.liveMajors),
            String(m.crossDomainEdges),
            String(m.crossDomainEdges),
            m.autonomousStacks === null ? '-' : `${m.autonomousStacks} of ${m.domainStacks}`,
            m.compliance ? percent(m.compliance.rate) : '-',
            m.compliance ? String(m.compliance.errors) : '-',
            m.compliance ? String(m.compliance.warnings) : '-',
          ]),
        ],
      ),
      formatTable(
        [
          'domain',
          'exceptions open',
          'expiring ≤30 days',
          'expired',
          'majors near sunset',
          'past sunset',
          'quality score',
          'SLA adherence',
        ],
        [
          ...metrics.domains.map((d) => [
            d.domain,
            String(d.exceptions.open),
            String(d.exceptions.expiringWithin30Days),
            String(d.exceptions.expired),
            String(d.majorsNearSunset),
            String(d.majorsPastSunset),
            score(d.qualityScore),
            d.slaAdherence === null ? '-' : percent(d.slaAdherence),
          ]),
          meshRow([
            String(m.exceptions.open),
            String(m.exceptions.expiringWithin30Days),
            String(m.exceptions.expired),
            String(m.majorsNearSunset),
            String(m.majorsPastSunset),
            score(m.qualityScore),
            m.slaAdherence === null ? '-' : percent(m.slaAdherence),
          ]),
        ],
      ),
      formatTable(
        ['domain', 'draft', 'active', 'deprecated', 'retired', 'source-aligned', 'aggregate', 'consumer-aligned'],
        [...metrics.domains, { domain: 'mesh', ...m }].map((d) => [
          d.domain,
          ...Object.values(d.productsByStatus).map(String),
          ...Object.values(d.productsByArchetype).map(String),
        ]),
      ),
    );
  }
  sections.push(totals(metrics));
  if (metrics.domains.length > 0) sections.push(maturity(metrics.domains));
  return `${sections.join('\n\n')}\n`;
}

function heading(metrics: MeshMetrics): string {
  const s = metrics.sources;
  const reportDays = [
    ...new Set(metrics.domains.flatMap((d) => (d.compliance ? [d.compliance.checkedOn] : []))),
  ].sort();
  const assembly = !s
    ? undefined
    : s.synthesized
      ? 'the mesh synthesized in-process'
      : s.assembly === null
        ? 'no assembly'
        : `${s.assembly}${reportDays.length > 0 ? ` (policy reports of ${reportDays.join(', ')})` : ''}`;
  const results = !s
    ? undefined
    : `${s.qualityResultFiles} quality result file${s.qualityResultFiles === 1 ? '' : 's'}`;
  return `mesh metrics on ${metrics.today}${s ? `: definitions, ${assembly}, ${results}` : ''}`;
}

function totals(metrics: MeshMetrics): string {
  const m = metrics.mesh;
  const lines = [
    `mesh: ${plural(m.domains, 'domain')}, ${plural(m.products, 'product')}, ${plural(m.liveMajors, 'live major')}`,
    `cross-domain edges (communication overhead): ${m.crossDomainEdges}`,
    `autonomy score: ${
      m.autonomyScore === null || m.autonomousStacks === null
        ? m.domainStacks === 0
          ? '- (no domain stacks)'
          : '- (no assembly)'
        : `${percent(m.autonomyScore)} (${m.autonomousStacks} of ${m.domainStacks} domain stacks synthesize alone)`
    }`,
    `compliance: ${
      m.compliance === null
        ? '- (no policy reports)'
        : `${percent(m.compliance.rate)} of rule checks pass (${m.compliance.pass} pass, ${m.compliance.fail} fail, ${m.compliance.excepted} excepted: counted as compliant by exception); ${plural(m.compliance.errors, 'error')}, ${plural(m.compliance.warnings, 'warning')}`
    }`,
    `exceptions: ${m.exceptions.open} open, ${m.exceptions.expiringWithin30Days} expiring within 30 days, ${m.exceptions.expired} expired (of which the platform's: ${m.platformExceptions.open} open, ${m.platformExceptions.expired} expired)`,
    `majors near sunset: ${m.majorsNearSunset}, past sunset: ${m.majorsPastSunset}`,
    `quality score: ${m.qualityScore === null ? NO_RESULTS : `${score(m.qualityScore)} (mean of ${plural(m.qualityResults, 'latest result')})`}`,
    `SLA adherence: ${
      m.slaAdherence === null
        ? m.qualityResults === 0
          ? NO_RESULTS
          : '- (no SLA freshness check in the results)'
        : `${percent(m.slaAdherence)} of SLA freshness checks pass`
    }`,
  ];
  const unattached = metrics.domains.filter((d) => d.autonomous === false);
  for (const d of unattached) lines.push(`${d.stack} is not autonomous: ${d.autonomyGaps.join('; ')}`);
  return lines.join('\n');
}

function maturity(domains: readonly DomainMetrics[]): string {
  const { MATURITY_LEVELS } = require('../../lib/metrics/maturity') as typeof import('../../lib/metrics/maturity');
  const lines = [
    formatTable(
      ['domain', 'maturity'],
      domains.map((d) => [d.domain, `${d.maturity.level} ${d.maturity.name}`]),
    ),
  ];
  for (const d of domains) {
    const next = MATURITY_LEVELS.find((l) => l.level === d.maturity.level + 1);
    if (!next) {
      lines.push(`${d.domain}: at the top level`);
      continue;
    }
    lines.push(
      `${d.domain}, to reach ${next.level} ${next.name}:\n${d.maturity.gaps.map((g) => `  - ${g}`).join('\n')}`,
    );
  }
  return lines.join('\n\n');
}

function autonomous(d: DomainMetrics): string {
  if (d.autonomous === null) return '-';
  if (d.autonomous) return 'yes';
  return d.problems > 0 ? `no (blocked: ${plural(d.problems, 'problem')})` : 'no';
}

function score(value: number | null): string {
  return value === null ? '-' : String(Math.round(value * 10) / 10);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
