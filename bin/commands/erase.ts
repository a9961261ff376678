/**
 * `mesh erase --subject <key>=<value>`: erases a data subject from every product version in every domain that
 * holds it, following lineage. `--dry-run` prints the plan and its statements in the order to run them;
 * `--local <dir>` executes it with DuckDB on a local copy (`<dir>/<domain>/<product>/v<major>/`); otherwise,
 * with `--yes`, it runs on Athena: Iceberg tables are erased by DELETE, file-based tables are counted and left
 * to their owners' rewrite (the statements file). Exit codes: 0 every holder erased, 1 something is not
 * erased, 2 the erasure could not run (bad subject, unknown key, no --yes, AWS unreachable).
 */
import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import type { AthenaErasureRun, AthenaStepResult } from '../../lib/privacy/erasure-athena';
import type { LocalErasureRun } from '../../lib/privacy/erasure-local';
import type { ErasurePlan, ErasureStep } from '../../lib/privacy/erasure-plan';
import type { StepStatements } from '../../lib/privacy/erasure-statements';
import type { SubjectKeyValue } from '../../lib/privacy/erasure-subject';
import { type AwsOptions, addAwsOptions, awsClientConfig, guardAthenaApi } from './aws';
import { progressLine } from './progress';
import { CommandError, formatTable, loadMeshOrExit, printJson, writeOutput } from './shared';

interface EraseOptions extends AwsOptions {
  readonly subject: readonly string[];
  readonly dryRun?: boolean;
  readonly local?: string;
  readonly strict?: boolean;
  readonly yes?: boolean;
  readonly out?: string;
  readonly json?: boolean;
  readonly account?: string;
  readonly timeout: string;
}

const subjectModule = () =>
  require('../../lib/privacy/erasure-subject') as typeof import('../../lib/privacy/erasure-subject');

export function registerEraseCommand(program: Command): void {
  const command = program
    .command('erase')
    .description(
      'erase a data subject from every product version that holds it, along lineage: --dry-run prints the plan and statements, --local runs it with DuckDB on a local copy, --yes on Athena; exit 1 when something is not erased',
    )
    .option(
      '--subject <key=value>',
      'the subject, as a subject key and its value, e.g. customer_id=C-000042 (repeat for several keys of one person)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--dry-run', 'print the plan and the statements in the order to run them; change nothing')
    .option('--local <dir>', 'erase in a local copy with DuckDB: <dir>/<domain>/<product>/v<major>/ holding the files')
    .option('--strict', 'with --local: exit 1 when a version of the plan is missing from the local copy')
    .option('--yes', 'run on Athena: delete from Iceberg tables and count what file-based tables still hold')
    .option('--out <file>', 'also write the statements to this file (SQL, a comment per step; - for stdout)')
    .option('--json', 'print the plan (and what was run) as JSON')
    .option('--account <id>', "account of the data buckets in S3 names (default: the domain's env, else {account})")
    .option('--timeout <seconds>', 'give up on an Athena query after this many seconds', '600');
  addAwsOptions(command).action(async (options: EraseOptions, sub: Command) => {
    const mesh = loadMeshOrExit(sub);
    try {
      process.exitCode = await erase(mesh, options);
    } catch (err) {
      const { ErasureInputError } = subjectModule();
      const { LocalInputError } =
        require('../../lib/quality/local-source') as typeof import('../../lib/quality/local-source');
      if (!(err instanceof ErasureInputError || err instanceof LocalInputError || err instanceof CommandError)) {
        throw err;
      }
      process.stderr.write(`mesh erase: ${err.message}\n`);
      process.exitCode = 2;
    }
  });
}

async function erase(mesh: Mesh, options: EraseOptions): Promise<number> {
  const { parseSubject, subjectValueWarnings } = subjectModule();
  const { planErasure } = require('../../lib/privacy/erasure-plan') as typeof import('../../lib/privacy/erasure-plan');
  const { erasureStatements, renderErasureScript } =
    require('../../lib/privacy/erasure-statements') as typeof import('../../lib/privacy/erasure-statements');
  const { CONCEPT_REGISTRY } = require('../../lib/policies/concepts') as typeof import('../../lib/policies/concepts');
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new CommandError(`--account takes a 12-digit AWS account id, got "${options.account}"`);
  }
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new CommandError(`--timeout takes a number of seconds, got "${options.timeout}"`);
  }
  if (options.yes && options.local !== undefined) {
    throw new CommandError('--yes runs on Athena and --local on a local copy: pass one of them');
  }

  const subjects = options.subject.map(parseSubject);
  const plan = planErasure(mesh, subjects, CONCEPT_REGISTRY);
  const statements = erasureStatements(plan, {
    environmentOf: (domain) =>
      mesh.domains.find((d) => d.name === domain)?.definition.env ?? {
        ...(options.account ? { account: options.account } : {}),
        ...(options.region ? { region: options.region } : {}),
      },
  });
  const script = renderErasureScript(plan, statements);
  const warnings = subjectValueWarnings(subjects, CONCEPT_REGISTRY);
  if (options.out !== undefined) writeOutput(options.out, script);
  const out = (text = '') => process.stdout.write(`${text}\n`);
  const wroteTo = options.out !== undefined && options.out !== '-' ? options.out : undefined;

  if (options.dryRun) {
    if (options.json) {
      printJson({ mode: 'dry-run', ...planDocument(plan, statements), warnings });
      return 0;
    }
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    out(planText(plan));
    if (wroteTo) out(`\nstatements written to ${wroteTo}`);
    else if (options.out === undefined) out(`\n${script.trimEnd()}`);
    return 0;
  }

  if (options.local !== undefined) {
    const { runLocalErasure } =
      require('../../lib/privacy/erasure-local') as typeof import('../../lib/privacy/erasure-local');
    const run = await runLocalErasure(mesh, plan, options.local);
    const failed = run.results.filter((r) => r.status === 'failed').length;
    const missing = run.results.filter((r) => r.status === 'missing').length;
    const code = failed > 0 || (options.strict && missing > 0) ? 1 : 0;
    if (options.json) {
      printJson({ mode: 'local', ...planDocument(plan, statements), warnings, local: localDocument(run) });
      return code;
    }
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    out(localText(plan, run));
    if (wroteTo) out(`\nstatements written to ${wroteTo}`);
    return code;
  }

  if (!options.yes) {
    if (!options.json) out(planText(plan));
    throw new CommandError(
      'nothing was deleted: add --yes to erase on Athena, --dry-run to see the statements, or --local <dir> to erase in a local copy',
    );
  }
  const run = await eraseOnAthena(mesh, plan, statements, { ...options, timeoutMs: timeoutSeconds * 1000 });
  const notErased = run.results.filter((r) => r.status !== 'erased').length;
  if (options.json) {
    printJson({
      mode: 'athena',
      ...planDocument(plan, statements),
      warnings,
      athena: { results: run.results.map(({ step, ...rest }) => ({ ref: step.ref, ...rest })) },
    });
    return notErased > 0 ? 1 : 0;
  }
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  out(athenaText(plan, statements, run, options.subject));
  if (wroteTo) out(`\nstatements written to ${wroteTo}`);
  return notErased > 0 ? 1 : 0;
}

async function eraseOnAthena(
  mesh: Mesh,
  plan: ErasurePlan,
  statements: readonly StepStatements[],
  options: EraseOptions & { timeoutMs: number },
): Promise<AthenaErasureRun> {
  // The AWS SDK loads only when the erasure runs on Athena, so other commands start fast.
  const { AthenaClient } = require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
  const { athenaQueryApi } =
    require('../../lib/quality/athena-client') as typeof import('../../lib/quality/athena-client');
  const { runAthenaErasure } =
    require('../../lib/privacy/erasure-athena') as typeof import('../../lib/privacy/erasure-athena');
  const apis = new Map<string, ReturnType<typeof athenaQueryApi>>();
  // A domain that names its region is erased there; --region still wins.
  const apiOf = (domain: string) => {
    const region = options.region ?? mesh.domains.find((d) => d.name === domain)?.definition.env?.region;
    const key = region ?? '';
    if (!apis.has(key)) {
      const client = new AthenaClient(awsClientConfig({ ...options, ...(region ? { region } : {}) }));
      const context = { service: 'Athena', profile: options.profile, region };
      apis.set(key, guardAthenaApi(athenaQueryApi(client), context));
    }
    return apis.get(key)!;
  };
  const line = progressLine({ quiet: options.json === true });
  try {
    return await runAthenaErasure(apiOf, plan, statements, {
      timeoutMs: options.timeoutMs,
      // The client retries throttled calls itself (adaptive mode); a throttling error that reaches the runner is final.
      throttleRetries: 0,
      onProgress: (p) => line.update(`Athena ${p.label} ${p.queryExecutionId}: ${p.state}`),
    });
  } finally {
    line.done();
  }
}

/** `customer_id = 'C-000042'`. */
function subjectText(subjects: readonly SubjectKeyValue[]): string {
  const { quoteString } = require('../../lib/quality/sql-text') as typeof import('../../lib/quality/sql-text');
  return subjects.map((s) => `${s.key} = ${quoteString(s.value)}`).join(', ');
}

function domainsOf(steps: readonly ErasureStep[]): number {
  return new Set(steps.map((s) => s.domain)).size;
}

/** The plan as a heading, a table of steps in order and the notes. */
export function planText(plan: ErasurePlan): string {
  const erase = plan.steps.filter((s) => s.kind === 'erase');
  const rebuild = plan.steps.filter((s) => s.kind === 'rebuild');
  const heading = `Erasure of ${subjectText(plan.subjects)}: ${erase.length} product version${erase.length === 1 ? '' : 's'} in ${domainsOf(erase)} domain${domainsOf(erase) === 1 ? '' : 's'} hold the subject${rebuild.length > 0 ? `; ${rebuild.length} derived without the key are rebuilt after them` : ''}.`;
  const table = formatTable(
    ['step', 'action', 'version', 'owner', 'table', 'how', 'data'],
    plan.steps.map((s) => [
      String(s.order),
      s.kind,
      `${s.id} v${s.major}`,
      s.owner.team,
      `${s.database}.${s.table}`,
      howText(s),
      `${s.format} ${s.prefix}`,
    ]),
  );
  const notes = plan.notes.map((n) => `note: ${n}`);
  return [heading, '', table, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

function howText(step: ErasureStep): string {
  if (step.kind === 'rebuild') {
    return (
      step.rebuild.command ?? `owner rebuilds (${step.rebuild.how === 'append' ? 'append build' : 'no platform build'})`
    );
  }
  if (step.format === 'iceberg') return 'DELETE (Iceberg)';
  return step.partitionColumns.length > 0
    ? `rewrite partitions (${step.partitionColumns.join(', ')})`
    : 'rewrite files';
}

function localText(plan: ErasurePlan, run: LocalErasureRun): string {
  const { formatNumber } = require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');
  const erased = run.results.reduce((sum, r) => sum + r.rowsErased, 0);
  const held = run.results.filter((r) => r.rowsErased > 0);
  const table = formatTable(
    ['step', 'version', 'rows', 'erased', 'files', 'result'],
    run.results.map((r) => {
      const rewritten = r.files.filter((f) => f.action !== 'untouched').length;
      const known = r.status !== 'missing';
      return [
        String(r.step.order),
        `${r.step.id} v${r.step.major}`,
        known ? formatNumber(r.rowsBefore) : '-',
        known ? formatNumber(r.rowsErased) : '-',
        known ? `${rewritten} of ${r.files.length} rewritten` : '-',
        r.status === 'erased'
          ? r.rowsErased > 0
            ? 'erased'
            : 'no row of the subject'
          : `${r.status}: ${r.message ?? ''}`,
      ];
    }),
  );
  const rebuilds = plan.steps.filter((s) => s.kind === 'rebuild');
  return [
    `Erasure of ${subjectText(plan.subjects)} in ${run.dir} (DuckDB):`,
    '',
    table,
    '',
    `${formatNumber(erased)} rows of the subject erased from ${held.length} product version${held.length === 1 ? '' : 's'} in ${domainsOf(held.map((r) => r.step))} domain${domainsOf(held.map((r) => r.step)) === 1 ? '' : 's'} (${run.results.length} checked) in ${Math.round(run.elapsedMs)} ms${run.results.some((r) => r.status === 'failed') ? '' : '; every other row kept'}.`,
    ...(rebuilds.length > 0
      ? [
          `Not run locally: ${rebuilds.length} derived version${rebuilds.length === 1 ? '' : 's'} to rebuild from the erased data: ${rebuilds.map((s) => `${s.id} v${s.major}`).join(', ')} (npx mesh erase --dry-run lists how).`,
        ]
      : []),
  ].join('\n');
}

function athenaText(
  plan: ErasurePlan,
  statements: readonly StepStatements[],
  run: AthenaErasureRun,
  subjectArgs: readonly string[],
): string {
  const { renderErasureScript } =
    require('../../lib/privacy/erasure-statements') as typeof import('../../lib/privacy/erasure-statements');
  const table = formatTable(
    ['step', 'version', 'subject rows', 'result'],
    run.results.map((r) => [
      String(r.step.order),
      `${r.step.id} v${r.step.major}`,
      r.subjectRows === undefined ? '-' : String(r.subjectRows),
      resultText(r),
    ]),
  );
  const rewrite = run.results.filter((r) => r.status === 'rewrite').map((r) => r.step.ref);
  const waiting = run.results.filter((r) => r.status === 'waiting');
  const rebuilds = plan.steps.filter((s) => s.kind === 'rebuild');
  const erased = run.results.filter((r) => r.status === 'erased').length;
  const again = `npx mesh erase ${subjectArgs.map((s) => `--subject ${shellWord(s)}`).join(' ')} --yes`;
  const lines = [
    `Erasure of ${subjectText(plan.subjects)} on Athena:`,
    '',
    table,
    '',
    `${erased} of ${run.results.length} product versions hold no row of the subject now.`,
  ];
  if (rewrite.length > 0) {
    const pending = statements.filter((s) => rewrite.includes(s.step.ref));
    lines.push('', 'The owners rewrite these file-based tables (Athena cannot DELETE from them):', '');
    lines.push(renderErasureScript(plan, pending).trimEnd());
  }
  if (waiting.length > 0 || rewrite.length > 0) {
    lines.push('', `Once they are rewritten, run ${again} again: it erases what waited and checks the rest.`);
  }
  if (rebuilds.length > 0) {
    lines.push(
      '',
      `Then rebuild ${rebuilds.length} derived version${rebuilds.length === 1 ? '' : 's'} without the key: ${rebuilds.map((s) => `${s.id} v${s.major} (${s.rebuild.command ?? `owner ${s.owner.team}`})`).join('; ')}.`,
    );
  }
  return lines.join('\n');
}

function resultText(result: AthenaStepResult): string {
  switch (result.status) {
    case 'erased':
      return result.step.format === 'iceberg'
        ? 'erased (DELETE, OPTIMIZE, VACUUM)'
        : 'erased (no row of the subject left)';
    case 'rewrite':
      return `to rewrite by the owner: ${result.message}`;
    case 'waiting':
      return `waits for ${result.waitingFor?.join(', ')} to be erased first`;
    case 'failed':
      return `failed: ${result.message}`;
  }
}

/** The argument quoted for a POSIX shell when it needs it. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

function planDocument(plan: ErasurePlan, statements: readonly StepStatements[]) {
  return {
    subjects: plan.subjects,
    requestId: plan.requestId,
    steps: statements.map(({ step, bucket, commands, notes }) => ({ ...step, bucket, commands, notes })),
    notes: plan.notes,
  };
}

function localDocument(run: LocalErasureRun) {
  return {
    dir: run.dir,
    elapsedMs: Math.round(run.elapsedMs),
    results: run.results.map(({ step, ...rest }) => ({ ref: step.ref, ...rest })),
  };
}
