/**
 * `mesh portal build --out <dir>`: the data portal as a static site generated from the definitions — search,
 * a page per product and domain, lineage, impact and the mesh's metrics — that opens from the file system.
 * `mesh portal serve` builds it and serves it on 127.0.0.1 for browsing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import type { MeshMetrics } from '../../lib/metrics';
import type { QualityReport } from '../../lib/quality/evaluate';
import { progressLine } from './progress';
import { CommandError, lazy, loadMeshOrExit, printJson, projectRoot } from './shared';

const assertIsoDate = lazy(
  () => require('../../lib/contracts/sunset') as typeof import('../../lib/contracts/sunset'),
  'assertIsoDate',
);

interface BuildOptions {
  readonly out: string;
  readonly results?: readonly string[];
  readonly assembly?: string;
  readonly today?: string;
  readonly json?: boolean;
}

interface ServeOptions extends Omit<BuildOptions, 'json'> {
  readonly port: string;
  readonly build: boolean;
}

/** What a build wrote, as `--json` prints it. */
export interface PortalBuildSummary {
  readonly out: string;
  readonly files: number;
  readonly pages: number;
  readonly bytes: number;
  readonly products: number;
  readonly seconds: number;
}

/** The quality reports `mesh check --json <file>` wrote: files, or folders of `*.json`. */
export function readQualityReports(root: string, paths: readonly string[]): QualityReport[] {
  const files = paths.flatMap((given) => {
    const absolute = path.resolve(root, given);
    if (!fs.existsSync(absolute)) throw new CommandError(`--results: ${given} does not exist`);
    return fs.statSync(absolute).isDirectory()
      ? fs
          .readdirSync(absolute)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => path.join(absolute, f))
      : [absolute];
  });
  return files.map((file) => {
    let report: unknown;
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CommandError(`--results: ${file} is not JSON (${(err as Error).message})`);
    }
    const r = report as Partial<QualityReport>;
    if (typeof r.product !== 'string' || typeof r.major !== 'number' || !Array.isArray(r.results)) {
      throw new CommandError(
        `--results: ${file} is not a quality report (write one with mesh check <product> --json <file>)`,
      );
    }
    return r as QualityReport;
  });
}

function metricsOf(
  mesh: Mesh,
  root: string,
  options: BuildOptions,
  reports: readonly QualityReport[],
  today: string,
): MeshMetrics {
  const metrics = require('../../lib/metrics') as typeof import('../../lib/metrics');
  return metrics.portalMetrics({ mesh, root, today, assembly: options.assembly, reports });
}

function buildPortal(command: Command, options: BuildOptions): PortalBuildSummary {
  const started = performance.now();
  const root = projectRoot(command);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  assertIsoDate(today);
  const mesh = loadMeshOrExit(command);
  const reports = readQualityReports(root, options.results ?? []);
  const { buildSite, writeSite } =
    require('../../lib/portal/build-site') as typeof import('../../lib/portal/build-site');
  const progress = progressLine({ quiet: options.json });
  progress.update('measuring the mesh…', true);
  const metrics = metricsOf(mesh, root, options, reports, today);
  const files = buildSite({
    mesh,
    today,
    metrics,
    reports,
    onProgress: (done, total) => progress.update(`portal: ${done}/${total} pages`),
  });
  const out = path.resolve(process.cwd(), options.out);
  let bytes: number;
  try {
    bytes = writeSite(out, files);
  } catch (err) {
    progress.done();
    throw new CommandError((err as Error).message);
  }
  progress.done();
  return {
    out,
    files: files.length,
    pages: files.filter((f) => f.path.endsWith('.html')).length,
    bytes,
    products: mesh.domains.reduce((n, d) => n + d.products.length, 0),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

function describeBuild(summary: PortalBuildSummary): string {
  const size =
    summary.bytes >= 1e6 ? `${(summary.bytes / 1e6).toFixed(1)} MB` : `${Math.round(summary.bytes / 1e3)} kB`;
  return `portal: ${summary.pages} pages for ${summary.products} product${summary.products === 1 ? '' : 's'}, ${summary.files} files, ${size}, in ${summary.seconds} s\nopen ${path.join(summary.out, 'index.html')}\n`;
}

function addBuildOptions(command: Command): Command {
  return command
    .option(
      '--results <paths...>',
      'quality reports written by mesh check --json <file> (files or folders): shown per product and in the metrics',
    )
    .option(
      '--assembly <dir>',
      'synthesized cloud assembly with policy reports, for compliance and autonomy (default: cdk.out when current)',
    )
    .option('--today <date>', 'day that decides sunsets and expiries, YYYY-MM-DD (default: today, UTC)');
}

export function registerPortalCommand(program: Command): void {
  const portal = program
    .command('portal')
    .description('the data portal: a static site with search, product and domain pages, lineage, impact and metrics');

  addBuildOptions(
    portal
      .command('build')
      .description(
        'write the portal into a folder; it opens from the file system and requests nothing from the network',
      )
      .requiredOption('-o, --out <dir>', 'folder to write (replaced when it holds an earlier portal)'),
  )
    .option('--json', 'print what was written as JSON')
    .action((options: BuildOptions, command: Command) => {
      const summary = buildPortal(command, options);
      if (options.json) printJson(summary);
      else process.stdout.write(describeBuild(summary));
    });

  addBuildOptions(
    portal
      .command('serve')
      .description('build the portal and serve it on http://127.0.0.1:<port>/ until stopped')
      .requiredOption('-o, --out <dir>', 'folder to build into and serve')
      .option('--port <n>', 'port to listen on', '8080')
      .option('--no-build', 'serve what the folder holds without building first'),
  ).action(async (options: ServeOptions, command: Command) => {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CommandError(`--port must be 0…65535, got "${options.port}"`);
    const out = path.resolve(process.cwd(), options.out);
    if (options.build) process.stdout.write(describeBuild(buildPortal(command, options)));
    else if (!fs.existsSync(path.join(out, 'index.html')))
      throw new CommandError(`${options.out} holds no portal: run mesh portal build --out ${options.out} first`);
    const { servePortal } = require('../../lib/portal/serve') as typeof import('../../lib/portal/serve');
    const server = await servePortal(out, port);
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`serving ${options.out} on http://127.0.0.1:${bound}/ (Ctrl-C stops)\n`);
  });
}
