/**
 * `mesh check <domain>/<product>`: runs a product version's quality rules on Athena (in the domain's
 * workgroup) or, with --local, on files through DuckDB; prints a verdict per rule and the quality score.
 * With --local and --scan-pii it also scans the files' text values for personal data the definition does not
 * mark (lib/privacy/pii-scan.ts), after the rules, on the same files.
 * Exit codes: 0 every rule passes (and no unmarked personal data), 1 a rule fails or a column holds unmarked
 * personal data, 2 the check could not run.
 */
import type { Command } from 'commander';
import type { Mesh, MeshProduct, ProductVersion } from '../../lib/mesh/model';
import type { PiiScanRun } from '../../lib/privacy/pii-scan';
import type { AthenaProgress } from '../../lib/quality/athena-query';
import type { AthenaCheckRun } from '../../lib/quality/athena-runner';
import type { QualityReport } from '../../lib/quality/evaluate';
import type { LocalCheckRun } from '../../lib/quality/local-runner';
import { type AwsOptions, addAwsOptions, awsClientConfig, guardAthenaApi } from './aws';
import { progressLine } from './progress';
import { CommandError, formatTable, isStdout, loadMeshOrExit, writeOutput } from './shared';

interface CheckOptions extends AwsOptions {
  readonly version?: string;
  readonly where?: string;
  readonly local?: string;
  /** `true` (no file) or `-`: the JSON report on stdout instead of the text one; a file: written as well. */
  readonly json?: string | true;
  readonly timeout: string;
  readonly showSql?: boolean;
  readonly scanPii?: boolean;
  readonly piiThreshold?: string;
  readonly piiSample?: string;
}

const measureText = () => require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');

/** A command-line mistake or an input that cannot be checked: printed, exit 2. */
export class CheckUsageError extends CommandError {}

/** The product a `<domain>/<product>` reference names, and the live major asked for (the current one by default). */
export function resolveProductVersion(
  mesh: Mesh,
  reference: string,
  major?: string,
): { product: MeshProduct; version: ProductVersion } {
  const [domain, name, ...rest] = reference.split('/');
  const { findProduct } = require('../../lib/mesh/model') as typeof import('../../lib/mesh/model');
  const product = domain && name && rest.length === 0 ? findProduct(mesh, domain, name) : undefined;
  if (!product) {
    const known = mesh.domains.flatMap((d) => d.products.map((p) => p.id)).join(', ');
    throw new CheckUsageError(`unknown product "${reference}" (expected <domain>/<product>; products: ${known})`);
  }
  if (major === undefined) return { product, version: product.versions[0] };
  const live = product.versions.map((v) => `v${v.major}`).join(', ');
  if (!/^v?\d+$/.test(major)) throw new CheckUsageError(`--version takes a major version such as 2, got "${major}"`);
  const version = product.versions.find((v) => v.major === Number(major.replace(/^v/, '')));
  if (!version) throw new CheckUsageError(`${product.id} has no live major ${major} (live: ${live})`);
  return { product, version };
}

export function registerCheckCommand(program: Command): void {
  const command = program
    .command('check <domain/product>')
    .description(
      'run the quality rules of a product version on Athena, or on local files with --local; exit 1 when a rule fails, 2 when the check cannot run',
    )
    .option('--version <major>', 'major version to check (default: the current one)')
    .option('--where <filter>', 'check only the rows matching this SQL condition, e.g. a partition range')
    .option('--local <path>', 'check a local Parquet, CSV or JSON file (or a folder of them) with DuckDB')
    .option('--json [file]', 'print the report as JSON instead (no file, or -), or also write it to this file')
    .option('--timeout <seconds>', 'give up on Athena after this many seconds', '600')
    .option('--show-sql', 'print the statements that are run')
    .option('--scan-pii', 'with --local: also scan the text values for personal data the definition does not mark pii')
    .option('--pii-threshold <percent>', "share of a column's values that must look personal (default: 50)")
    .option('--pii-sample <rows>', 'rows the personal-data scan samples at most (default: 10000)');
  addAwsOptions(command).action(async (reference: string, options: CheckOptions, sub: Command) => {
    const mesh = loadMeshOrExit(sub);
    try {
      process.exitCode = await check(mesh, reference, options);
    } catch (err) {
      process.stderr.write(`mesh check: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    }
  });
}

async function check(mesh: Mesh, reference: string, options: CheckOptions): Promise<number> {
  const { product, version } = resolveProductVersion(mesh, reference, options.version);
  if (options.where !== undefined) {
    const { checkRowFilter } = require('../../lib/quality/sql-text') as typeof import('../../lib/quality/sql-text');
    try {
      checkRowFilter(options.where);
    } catch (err) {
      throw new CheckUsageError(`--where: ${(err as Error).message}`);
    }
  }
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new CheckUsageError(`--timeout takes a number of seconds, got "${options.timeout}"`);
  }
  const scanOptions = piiScanOptions(options);
  const where = options.where !== undefined ? { where: options.where } : {};
  const jsonOnStdout = options.json === true || (options.json !== undefined && isStdout(options.json));
  const outcome =
    options.local !== undefined
      ? await checkLocalFiles(product, version, { path: options.local, ...where })
      : await checkOnAthena(mesh, product, version, {
          ...where,
          timeoutMs: timeoutSeconds * 1000,
          aws: options,
          quiet: jsonOnStdout,
        });
  const { report } = outcome;
  // The scan reads every row of the files, not only those --where selects: personal data anywhere counts.
  const scan = scanOptions && (await scanPersonalData(product, version, scanOptions, jsonOnStdout));
  const document = {
    product: product.id,
    major: version.major,
    version: version.version,
    where: options.where ?? null,
    ...outcome.details,
    report,
    ...(scan ? { piiScan: { ...scan.report, statement: scan.statement } } : {}),
  };
  const exitCode = report.passed && (scan?.report.passed ?? true) ? 0 : 1;
  if (jsonOnStdout) {
    writeOutput('-', `${JSON.stringify(document, null, 2)}\n`);
    return exitCode;
  }

  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(heading(product, version, outcome.target, report, options.where));
  if (options.showSql) out(`\n${outcome.statements.join(';\n\n')};`);
  out(`\n${reportTable(report)}\n\n${scoreLine(report)}`);
  for (const line of outcome.footer) out(line);
  for (const result of report.results) {
    if (result.message) out(`  ${result.source} ${result.status}: ${result.message}`);
  }
  if (scan) {
    if (options.showSql) out(`\n${scan.statement};`);
    out(`\n${scanText(product, scan)}`);
  }
  if (typeof options.json === 'string') {
    writeOutput(options.json, `${JSON.stringify(document, null, 2)}\n`);
    out(`report written to ${options.json}`);
  }
  return exitCode;
}

/** The scan's settings from the command line; undefined without --scan-pii. */
function piiScanOptions(options: CheckOptions): { path: string; threshold: number; sampleRows: number } | undefined {
  if (!options.scanPii) {
    const stray =
      options.piiThreshold !== undefined
        ? '--pii-threshold'
        : options.piiSample !== undefined
          ? '--pii-sample'
          : undefined;
    if (stray) throw new CheckUsageError(`${stray} sets the personal-data scan: add --scan-pii`);
    return undefined;
  }
  if (options.local === undefined) {
    throw new CheckUsageError('--scan-pii scans local files: add --local <path> (Athena is not scanned)');
  }
  const percent = Number((options.piiThreshold ?? '50').replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) {
    throw new CheckUsageError(`--pii-threshold takes a percent in (0, 100], e.g. 50, got "${options.piiThreshold}"`);
  }
  const sampleRows = Number(options.piiSample ?? '10000');
  if (!Number.isInteger(sampleRows) || sampleRows < 1) {
    throw new CheckUsageError(`--pii-sample takes a number of rows such as 10000, got "${options.piiSample}"`);
  }
  return { path: options.local, threshold: percent / 100, sampleRows };
}

async function scanPersonalData(
  product: MeshProduct,
  version: ProductVersion,
  options: { path: string; threshold: number; sampleRows: number },
  quiet: boolean,
): Promise<PiiScanRun> {
  // DuckDB loads only when a scan runs, so other commands start fast.
  const { scanLocalPersonalData } =
    require('../../lib/privacy/pii-scan') as typeof import('../../lib/privacy/pii-scan');
  const line = progressLine({ quiet });
  try {
    return await scanLocalPersonalData(product, version, { ...options, onProgress: (text) => line.update(text, true) });
  } finally {
    line.done();
  }
}

/** The scan's table of columns that look personal, a compiler-style line per unmarked one, and its verdict. */
function scanText(product: MeshProduct, scan: PiiScanRun): string {
  const { formatNumber } = measureText();
  const { report } = scan;
  const percent = (share: number) => `${formatNumber(Math.round(share * 1000) / 10)}%`;
  const rows =
    report.rowsScanned < report.totalRows
      ? `a random sample of ${formatNumber(report.rowsScanned)} of ${formatNumber(report.totalRows)} rows`
      : `all ${formatNumber(report.totalRows)} rows`;
  const columns = `${report.columns.length} text column${report.columns.length === 1 ? '' : 's'}`;
  const lines = [
    `personal data scan: ${columns} of ${rows} (sample limit ${formatNumber(report.sampleRows)}), threshold ${percent(report.threshold)}`,
  ];
  const found = [...report.findings, ...report.confirmed];
  if (found.length > 0) {
    lines.push(
      formatTable(
        ['column', 'looks like', 'matching values', 'pii'],
        found.map((m) => [
          m.column,
          m.label,
          `${formatNumber(m.matches)} of ${formatNumber(m.values)} (${percent(m.share)})`,
          m.status === 'confirmed' ? 'marked (confirmed)' : 'NOT MARKED',
        ]),
      ),
    );
  }
  for (const m of report.findings) {
    const category = personalDataCategory(m.category);
    lines.push(
      `error ${product.file}: ${m.path}: ${percent(m.share)} of the sampled values of column "${m.column}" look like ${category.plural}, but it is not marked pii. Fix: set pii: true and classification: 'confidential' on ${m.path}.`,
    );
  }
  const unmarked = report.findings.length;
  lines.push(
    unmarked === 0
      ? `no unmarked personal data${report.confirmed.length > 0 ? ` (${report.confirmed.length} marked column${report.confirmed.length === 1 ? '' : 's'} confirmed)` : ''}`
      : `${unmarked} column${unmarked === 1 ? '' : 's'} with unmarked personal data`,
  );
  return lines.join('\n');
}

function personalDataCategory(id: string) {
  const { PERSONAL_DATA_CATEGORIES } =
    require('../../lib/privacy/pii-detection') as typeof import('../../lib/privacy/pii-detection');
  return PERSONAL_DATA_CATEGORIES.find((c) => c.id === id)!;
}

/** What a check run produced, whichever engine ran it. */
interface CheckOutcome {
  readonly report: QualityReport;
  /** What was checked, for the heading. */
  readonly target: string;
  readonly statements: readonly string[];
  /** Lines printed after the score. */
  readonly footer: readonly string[];
  /** Engine-specific fields of the JSON report. */
  readonly details: Record<string, unknown>;
}

async function checkLocalFiles(
  product: MeshProduct,
  version: ProductVersion,
  options: { path: string; where?: string },
): Promise<CheckOutcome> {
  // DuckDB loads only when a check runs, so other commands start fast.
  const { runLocalQualityCheck } =
    require('../../lib/quality/local-runner') as typeof import('../../lib/quality/local-runner');
  const run: LocalCheckRun = await runLocalQualityCheck(product, version, options);
  const files = run.source.files.length;
  return {
    report: run.report,
    target: `${run.source.path} (${files} ${run.source.format} file${files === 1 ? '' : 's'}, DuckDB)`,
    statements: run.statements,
    footer: [`checked in ${Math.round(run.elapsedMs)} ms`],
    details: { mode: 'local', source: run.source, statements: run.statements },
  };
}

async function checkOnAthena(
  mesh: Mesh,
  product: MeshProduct,
  version: ProductVersion,
  options: { where?: string; timeoutMs: number; aws: AwsOptions; quiet: boolean },
): Promise<CheckOutcome> {
  // The AWS SDK loads only when a check runs, so other commands start fast.
  const { AthenaClient } = require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
  const { athenaQueryApi } =
    require('../../lib/quality/athena-client') as typeof import('../../lib/quality/athena-client');
  const { athenaLocation, runAthenaQualityCheck } =
    require('../../lib/quality/athena-runner') as typeof import('../../lib/quality/athena-runner');
  const { formatBytes } = measureText();
  const location = athenaLocation(mesh.config, product, version.major);
  const client = new AthenaClient(awsClientConfig(options.aws));
  const context = { service: 'Athena', profile: options.aws.profile, region: options.aws.region };
  const progress = progressPrinter(options.quiet);
  const run: AthenaCheckRun = await runAthenaQualityCheck(
    guardAthenaApi(athenaQueryApi(client), context),
    product,
    version,
    location,
    {
      ...(options.where !== undefined ? { where: options.where } : {}),
      timeoutMs: options.timeoutMs,
      // The client retries throttled calls itself (adaptive mode); a throttling error that reaches the runner is final.
      throttleRetries: 0,
      onProgress: progress,
    },
  );
  const queries = `${run.queries.length} ${run.queries.length === 1 ? 'query' : 'queries'}`;
  return {
    report: run.report,
    target: `"${location.database}"."${location.table}" (Athena workgroup ${location.workgroup})`,
    statements: run.queries.map((q) => q.sql),
    footer: [
      `Athena: ${queries}, ${formatBytes(run.dataScannedInBytes)} scanned, ${formatBytes(run.billedBytes)} billed (10 MB minimum per query), estimated USD ${run.costUsd.toFixed(6)}`,
    ],
    details: {
      mode: 'athena',
      location,
      queries: run.queries,
      dataScannedInBytes: run.dataScannedInBytes,
      billedBytes: run.billedBytes,
      costUsd: run.costUsd,
    },
  };
}

function heading(
  product: MeshProduct,
  version: ProductVersion,
  what: string,
  report: QualityReport,
  where?: string,
): string {
  const rows = report.totalRows === null ? '' : `: ${measureText().formatNumber(report.totalRows)} rows`;
  return `${product.id} v${version.major} (${version.version}) on ${what}${where ? ` where ${where}` : ''}${rows}`;
}

const STATUS_TEXT = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' } as const;

/** The rule table, as `mesh check` and `mesh build` print it. */
export function reportTable(report: QualityReport): string {
  return formatTable(
    ['rule', 'check', 'measured', 'threshold', 'result'],
    report.results.map((r) => [r.source, r.summary, r.measuredText, r.threshold, STATUS_TEXT[r.status]]),
  );
}

/** `quality score 86% (6 of 7 pass, 1 fail)`. */
export function scoreLine(report: QualityReport): string {
  const { pass, fail, error, skipped } = report.counts;
  const ran = pass + fail + error;
  const parts = [
    `${pass} of ${ran} pass`,
    ...(fail ? [`${fail} fail`] : []),
    ...(error ? [`${error} could not run`] : []),
    ...(skipped ? [`${skipped} skipped`] : []),
  ];
  return `quality score ${Math.round(report.score * 100)}% (${parts.join(', ')})`;
}

/** Where each Athena query stands, on a terminal only: a rewritten line, then a line per finished query. */
function progressPrinter(quiet: boolean): (progress: AthenaProgress) => void {
  const { formatBytes } = measureText();
  const line = progressLine({ quiet });
  const tty = process.stderr.isTTY;
  return (p) => {
    const scanned = p.dataScannedInBytes ? `, ${formatBytes(p.dataScannedInBytes)} scanned` : '';
    const text = `Athena ${p.label} ${p.queryExecutionId}: ${p.state} after ${(p.elapsedMs / 1000).toFixed(1)} s${scanned}`;
    const done = p.state !== 'QUEUED' && p.state !== 'RUNNING';
    if (!done) line.update(text);
    else if (!quiet && tty) {
      line.done();
      process.stderr.write(`${text}\n`);
    }
  };
}
