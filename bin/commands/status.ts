/**
 * `mesh status [<domain>]`: per product with a runtime, its last run and result, its freshness against the
 * SLA and its open alarms, read from Step Functions and CloudWatch. Exit codes: 0 all well, 1 a product is
 * failing, alarming or stale, 2 the status could not be read.
 */
import type { Command } from 'commander';
import type { Mesh, MeshDomain } from '../../lib/mesh/model';
import type { ProductStatus } from '../../lib/runtime/status-report';
import { type AwsOptions, addAwsOptions, awsClientConfig, callAws } from './aws';
import { callSfn } from './run';
import { CommandError, formatTable, loadMeshOrExit, printJson } from './shared';

interface StatusOptions extends AwsOptions {
  readonly json?: boolean;
}

const measureText = () => require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');

export function registerStatusCommand(program: Command): void {
  const command = program
    .command('status [domain]')
    .description(
      'show each product run by the platform: last run and result, freshness against the SLA, open alarms; exit 1 when one is failing, alarming or stale',
    )
    .option('--json', 'print JSON');
  addAwsOptions(command).action(async (domain: string | undefined, options: StatusOptions, cmd: Command) => {
    const mesh = loadMeshOrExit(cmd);
    const domains = selectDomains(mesh, domain);
    const { runtimeProducts } =
      require('../../lib/runtime/status-report') as typeof import('../../lib/runtime/status-report');
    const products = runtimeProducts(domains.flatMap((d) => d.products));
    const statuses = products.length ? await readStatuses(mesh, domains, options) : [];
    if (options.json) printJson({ generatedAt: new Date().toISOString(), products: statuses });
    else printStatuses(statuses, domain);
    process.exitCode = statuses.some((s) => s.verdict.needsAttention) ? 1 : 0;
  });
}

function selectDomains(mesh: Mesh, name: string | undefined): readonly MeshDomain[] {
  if (name === undefined) return mesh.domains;
  const domain = mesh.domains.find((d) => d.name === name);
  if (!domain) {
    throw new CommandError(`unknown domain "${name}" (domains: ${mesh.domains.map((d) => d.name).join(', ')})`);
  }
  return [domain];
}

/** Reads the statuses, one pair of clients per region the domains deploy to (--region overrides). */
async function readStatuses(mesh: Mesh, domains: readonly MeshDomain[], options: StatusOptions) {
  const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
  const { stepFunctionsApi } = require('../../lib/runtime/sfn-client') as typeof import('../../lib/runtime/sfn-client');
  const { cloudWatchApi } =
    require('../../lib/runtime/cloudwatch-client') as typeof import('../../lib/runtime/cloudwatch-client');
  const { collectStatus, runtimeProducts } =
    require('../../lib/runtime/status-report') as typeof import('../../lib/runtime/status-report');
  const byRegion = new Map<string | undefined, MeshDomain[]>();
  for (const d of domains) {
    const region = options.region ?? d.definition.env?.region;
    byRegion.set(region, [...(byRegion.get(region) ?? []), d]);
  }
  const now = new Date();
  const statuses: ProductStatus[] = [];
  for (const [regionOption, group] of byRegion) {
    const products = runtimeProducts(group.flatMap((d) => d.products));
    if (!products.length) continue;
    const config = awsClientConfig({ ...options, ...(regionOption ? { region: regionOption } : {}) });
    const sfn = new SFNClient(config);
    const cloudWatch = new CloudWatchClient(config);
    const base = { profile: options.profile, region: regionOption };
    const region = await callAws({ ...base, service: 'Step Functions' }, () => sfn.config.region());
    statuses.push(
      ...(await collectStatus(
        mesh.config,
        products,
        { sfn: stepFunctionsApi(sfn), cloudWatch: cloudWatchApi(cloudWatch) },
        now,
        (service, call) =>
          service === 'Step Functions'
            ? callSfn({ ...base, region, service }, {}, call)
            : callAws({ ...base, region, service }, call),
      )),
    );
  }
  return statuses;
}

const STATE_TEXT: Record<ProductStatus['verdict']['state'], string> = {
  'not-deployed': 'not deployed',
  failing: 'FAILING',
  alarm: 'ALARM',
  stale: 'STALE',
  running: 'running',
  'never-run': 'never run',
  ok: 'ok',
};

function ago(iso: string | undefined, now: number): string {
  if (!iso) return '';
  return `${measureText().formatAge((now - Date.parse(iso)) / 1000)} ago`;
}

function resultText(s: ProductStatus): string {
  const run = s.lastRun;
  if (!run) return '-';
  const summary = run.summary;
  const counts = summary ? `, ${summary.failedRules}/${summary.rules} rules failed` : '';
  switch (run.verdict) {
    case 'running':
      return 'running';
    case 'succeeded':
      return `${s.kind === 'check' ? 'checked' : 'published'}${counts}`;
    case 'quality-failed':
      return `${s.kind === 'check' ? 'rules failed' : 'held back'}${counts}`;
    case 'failed':
      return `${run.status.toLowerCase()}${run.error ? ` (${run.error})` : ''}`;
  }
}

function freshnessText(s: ProductStatus): string {
  const { formatAge, formatDurationSeconds } = measureText();
  const f = s.freshness;
  if (f.allowedSeconds === undefined) return 'no SLA';
  const limit = formatDurationSeconds(f.allowedSeconds);
  if (f.ageSeconds === undefined) return `unknown (SLA ${limit})`;
  const age = `${f.basis === 'last-run' ? '≥ ' : ''}${formatAge(f.ageSeconds)}`;
  return `${f.state === 'unknown' ? 'unknown' : f.state}: ${age} / ${limit}`;
}

function alarmsText(s: ProductStatus): string {
  // Alarm names share the state machine's name; the suffix says which alarm it is.
  return s.openAlarms.map((a) => a.name.slice(s.stateMachine.length + 1) || a.name).join(', ') || '-';
}

function printStatuses(statuses: readonly ProductStatus[], domain: string | undefined): void {
  if (!statuses.length) {
    process.stdout.write(
      `no product ${domain ? `of ${domain} ` : ''}is run by the platform (none declares a build or a scheduled check)\n`,
    );
    return;
  }
  const { fitRows } = require('../../lib/runtime/fit-table') as typeof import('../../lib/runtime/fit-table');
  const now = Date.now();
  const headers = ['product', 'major', 'state', 'last run', 'result', 'freshness', 'alarms'];
  const rows = statuses.map((s) => [
    s.product,
    `v${s.major}`,
    STATE_TEXT[s.verdict.state],
    s.lastExecution
      ? `${s.lastExecution.status.toLowerCase()} ${ago(s.lastExecution.stopDate ?? s.lastExecution.startDate, now)}`
      : '-',
    resultText(s),
    freshnessText(s),
    alarmsText(s),
  ]);
  process.stdout.write(`${formatTable(headers, fitRows(headers, rows, process.stdout.columns))}\n`);
  const attention = statuses.filter((s) => s.verdict.needsAttention);
  const missing = statuses.filter((s) => s.verdict.state === 'not-deployed').length;
  const parts = [`${statuses.length} product${statuses.length === 1 ? '' : 's'}`];
  if (attention.length) parts.push(`${attention.length} need${attention.length === 1 ? 's' : ''} attention`);
  if (missing) parts.push(`${missing} not deployed`);
  process.stdout.write(`\n${parts.join(', ')}\n`);
  const first = attention[0];
  if (first) {
    const next = first.verdict.problems.includes('failing')
      ? first.lastRun?.verdict === 'quality-failed'
        ? `npx mesh quality history ${first.product} shows the failed rules`
        : `open the failed run in the Step Functions console (${first.lastExecution?.executionArn})`
      : first.verdict.problems.includes('stale')
        ? `npx mesh run ${first.product} --wait starts a run now`
        : `npx mesh quality history ${first.product} shows the recent runs`;
    process.stdout.write(`next: ${next}\n`);
  }
}
