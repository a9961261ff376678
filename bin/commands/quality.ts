/**
 * `mesh quality history <domain>/<product>` (a product's runs and failed rules) and `mesh quality dashboard
 * <domain>` (quality score and SLA adherence per product per day), queried on Athena over the domain's
 * `quality_results` table in the domain's workgroup. `--sql` prints the dashboard query to paste into Athena.
 * Exit codes: 0 read, 2 it could not be read.
 */
import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import type { AthenaQueryOutcome } from '../../lib/quality/athena-query';
import type { QualityResultsLocation, QualityWindow } from '../../lib/runtime/quality-history';
import { type AwsOptions, addAwsOptions, awsClientConfig, guardAthenaApi } from './aws';
import { resolveProductVersion } from './check';
import { progressLine } from './progress';
import { CommandError, formatTable, loadMeshOrExit, printJson } from './shared';

interface QualityOptions extends AwsOptions {
  readonly days: string;
  readonly json?: boolean;
  readonly sql?: boolean;
}

const history = () =>
  require('../../lib/runtime/quality-history') as typeof import('../../lib/runtime/quality-history');
const tableFit = () => require('../../lib/runtime/fit-table') as typeof import('../../lib/runtime/fit-table');

export const DEFAULT_HISTORY_DAYS = '30';

/** Where a domain's quality results are queried. */
interface ResultsTarget extends QualityResultsLocation {
  readonly workgroup: string;
  readonly stack: string;
  /** The domain's env.region, when it names one. */
  readonly region?: string;
}

function resultsTarget(mesh: Mesh, domain: string): ResultsTarget {
  const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  const { domainRuntimeNames } = require('../../lib/runtime/names') as typeof import('../../lib/runtime/names');
  const names = domainNames(mesh.config, domain);
  const region = mesh.domains.find((d) => d.name === domain)?.definition.env?.region;
  return {
    ...(region ? { region } : {}),
    database: names.database,
    table: domainRuntimeNames(mesh.config, domain).qualityResultsTable,
    workgroup: names.workgroup,
    stack: names.stackName,
  };
}

function windowOf(options: QualityOptions, now: Date): QualityWindow {
  const problem = history().daysProblem(options.days);
  if (problem) throw new CommandError(problem);
  return { days: Number(options.days), today: now.toISOString().slice(0, 10) };
}

export function registerQualityCommands(program: Command): void {
  const quality = program
    .command('quality')
    .description("read the quality results the platform's runs record (Athena, the domain's quality_results table)");

  const historyCommand = quality
    .command('history <domain/product>')
    .description("a product's recent runs (rules passed, quality score) and the rules that failed")
    .option('--days <n>', 'days of history, today included (UTC)', DEFAULT_HISTORY_DAYS)
    .option('--json', 'print JSON');
  addAwsOptions(historyCommand).action(async (reference: string, options: QualityOptions, cmd: Command) => {
    const mesh = loadMeshOrExit(cmd);
    const { product } = resolveProductVersion(mesh, reference);
    const now = new Date();
    const window = windowOf(options, now);
    const target = resultsTarget(mesh, product.domain);
    const h = history();
    const [runs, rules] = await queryAll(
      target,
      [
        ['runs', h.runHistorySql(target, product.id, window)],
        ['failed rules', h.ruleFailuresSql(target, product.id, window)],
      ],
      options,
    );
    const since = h.windowStart(window);
    const result = {
      product: product.id,
      days: window.days,
      since: since.replace(/^TIMESTAMP '(.*)'$/, '$1'),
      table: `${target.database}.${target.table}`,
      runs: h.parseRunHistory(runs.rows),
      failedRules: h.parseRuleFailures(rules.rows),
      queries: [runs, rules].map(queryStats),
    };
    if (options.json) {
      printJson(result);
      return;
    }
    printHistory(result);
  });

  const dashboard = quality
    .command('dashboard <domain>')
    .description('quality score (100 × passed rules / all rules) and SLA adherence per product per day of a domain')
    .option('--days <n>', 'days shown, today included (UTC)', DEFAULT_HISTORY_DAYS)
    .option('--sql', 'print the query (to paste into Athena or a dashboard) instead of running it')
    .option('--json', 'print JSON');
  addAwsOptions(dashboard).action(async (domain: string, options: QualityOptions, cmd: Command) => {
    const mesh = loadMeshOrExit(cmd);
    if (!mesh.domains.some((d) => d.name === domain)) {
      throw new CommandError(`unknown domain "${domain}" (domains: ${mesh.domains.map((d) => d.name).join(', ')})`);
    }
    const h = history();
    const now = new Date();
    const window = windowOf(options, now);
    const target = resultsTarget(mesh, domain);
    if (options.sql) {
      // Relative to current_date, so the pasted query keeps showing the last days.
      const sql = h.qualityDashboardSql(target, { days: window.days });
      if (options.json) printJson({ domain, workgroup: target.workgroup, database: target.database, sql });
      else process.stdout.write(`${h.DASHBOARD_SQL_COMMENT}\n-- Athena workgroup ${target.workgroup}\n${sql};\n`);
      return;
    }
    const [outcome] = await queryAll(target, [['dashboard', h.qualityDashboardSql(target, window)]], options);
    const days = h.parseDashboard(outcome.rows);
    if (options.json) {
      printJson({
        domain,
        days: window.days,
        table: `${target.database}.${target.table}`,
        rows: days,
        queries: [queryStats(outcome)],
      });
      return;
    }
    if (!days.length) {
      process.stdout.write(
        `no quality results for ${domain} in the last ${window.days} days: no product has run; npx mesh status ${domain} shows what is deployed\n`,
      );
      return;
    }
    const headers = ['product', 'day', 'runs', 'rules passed', 'quality score', 'SLA adherence'];
    const rows = days.map((d) => [
      d.product,
      d.day,
      String(d.runs),
      `${d.passedRules}/${d.rules}`,
      `${d.qualityScore.toFixed(1)}%`,
      d.slaAdherence === null ? '-' : `${d.slaAdherence.toFixed(1)}%`,
    ]);
    process.stdout.write(`${formatTable(headers, tableFit().fitRows(headers, rows, process.stdout.columns))}\n`);
  });
}

type HistoryResult = {
  readonly product: string;
  readonly days: number;
  readonly since: string;
  readonly table: string;
  readonly runs: ReturnType<typeof import('../../lib/runtime/quality-history').parseRunHistory>;
  readonly failedRules: ReturnType<typeof import('../../lib/runtime/quality-history').parseRuleFailures>;
};

function printHistory(result: HistoryResult): void {
  const { fitRows } = tableFit();
  const width = process.stdout.columns;
  if (!result.runs.length) {
    process.stdout.write(
      `no runs of ${result.product} since ${result.since} UTC in ${result.table}: npx mesh status shows whether it is deployed, npx mesh run ${result.product} starts a run\n`,
    );
    return;
  }
  const passed = result.runs.reduce((n, r) => n + r.passedRules, 0);
  const all = result.runs.reduce((n, r) => n + r.rules, 0);
  const score = all ? ((100 * passed) / all).toFixed(1) : '-';
  process.stdout.write(
    `${result.product}: ${result.runs.length} run${result.runs.length === 1 ? '' : 's'} since ${result.since} UTC, quality score ${score}% (${passed}/${all} rules passed)\n\n`,
  );
  const runHeaders = ['checked at (UTC)', 'run id', 'kind', 'version', 'rules passed', 'score', 'blocking failures'];
  const runRows = result.runs.map((r) => [
    r.checkedAt.slice(0, 19).replace('T', ' '),
    r.runId,
    r.runKind,
    r.version,
    `${r.passedRules}/${r.rules}`,
    `${r.qualityScore.toFixed(1)}%`,
    String(r.blockingFailures),
  ]);
  process.stdout.write(`${formatTable(runHeaders, fitRows(runHeaders, runRows, width))}\n`);
  if (!result.failedRules.length) {
    process.stdout.write('\nno rule failed in these runs\n');
    return;
  }
  const ruleHeaders = ['rule', 'defined in', 'failed', 'last failed (UTC)'];
  const ruleRows = result.failedRules.map((r) => [
    r.rule,
    r.ruleSource,
    `${r.failures} of ${r.runs} runs`,
    r.lastFailedAt ? r.lastFailedAt.slice(0, 19).replace('T', ' ') : '-',
  ]);
  process.stdout.write(`\nrules that failed:\n${formatTable(ruleHeaders, fitRows(ruleHeaders, ruleRows, width))}\n`);
}

function queryStats(outcome: AthenaQueryOutcome) {
  return { queryExecutionId: outcome.queryExecutionId, dataScannedInBytes: outcome.dataScannedInBytes };
}

/** Runs the statements in the domain's workgroup, in parallel, with a progress line on a terminal. */
async function queryAll(
  target: ResultsTarget,
  statements: readonly (readonly [label: string, sql: string])[],
  options: QualityOptions,
): Promise<AthenaQueryOutcome[]> {
  const { AthenaClient } = require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
  const { athenaQueryApi } =
    require('../../lib/quality/athena-client') as typeof import('../../lib/quality/athena-client');
  const { AthenaQueryError, runAthenaQuery } =
    require('../../lib/quality/athena-query') as typeof import('../../lib/quality/athena-query');
  // --region wins over the domain's env.region.
  const region = options.region ?? target.region;
  const client = new AthenaClient(awsClientConfig({ ...options, ...(region ? { region } : {}) }));
  const api = guardAthenaApi(athenaQueryApi(client), { service: 'Athena', profile: options.profile, region });
  const line = progressLine({ quiet: !!options.json });
  try {
    return await Promise.all(
      statements.map(([label, sql]) =>
        runAthenaQuery(api, sql, {
          workgroup: target.workgroup,
          database: target.database,
          label,
          // The client retries throttled calls itself (adaptive mode).
          throttleRetries: 0,
          onProgress: (p) => line.update(`Athena ${p.label}: ${p.state} after ${(p.elapsedMs / 1000).toFixed(1)} s`),
        }),
      ),
    );
  } catch (error) {
    if (error instanceof AthenaQueryError) {
      const missing = /TABLE_NOT_FOUND|SCHEMA_NOT_FOUND|does not exist|not found/i.test(error.message);
      throw new CommandError(
        missing
          ? `${error.message}: the quality_results table comes with the domain's runtime; deploy it (npx cdk deploy ${target.stack})`
          : `${error.message}: see the query in the Athena console (workgroup ${target.workgroup})`,
      );
    }
    throw error;
  } finally {
    line.done();
  }
}
