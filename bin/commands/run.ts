/**
 * `mesh run <domain>/<product>`: starts the deployed state machine of a product's current major (its build,
 * or its scheduled check) by hand; `--wait` follows the execution to its end and prints the outcome.
 * Exit codes: 0 started (with --wait: published, or checked clean), 1 the run failed or published nothing,
 * 2 it could not start, 130 the wait was interrupted (the run goes on).
 */
import type { Command } from 'commander';
import type { Mesh, MeshProduct, ProductVersion } from '../../lib/mesh/model';
import type { RunOutcome } from '../../lib/runtime/run-state';
import type { ExecutionDescription, StepFunctionsApi } from '../../lib/runtime/sfn-client';
import { type AwsOptions, addAwsOptions, awsClientConfig, awsFailure } from './aws';
import type { AwsErrorContext } from './aws-errors';
import { resolveProductVersion } from './check';
import { progressLine } from './progress';
import { CommandError, loadMeshOrExit, printJson } from './shared';

interface RunOptions extends AwsOptions {
  readonly date?: string;
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** Exit code of a wait ended by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

const request = () => require('../../lib/runtime/run-request') as typeof import('../../lib/runtime/run-request');
const runState = () => require('../../lib/runtime/run-state') as typeof import('../../lib/runtime/run-state');

/** What an SFN error message may name: the state machine and how to deploy it. */
export interface SfnErrorHint {
  readonly stateMachine?: string;
  readonly stack?: string;
  readonly executionArn?: string;
}

/**
 * Step Functions errors a user can act on, as one line; others as the shared AWS reading (credentials,
 * region, permissions, throttling), else the error itself.
 */
export function sfnFailure(error: unknown, context: AwsErrorContext, hint: SfnErrorHint = {}): unknown {
  const name = (error as { name?: string } | null)?.name;
  const where = context.region ? ` in ${context.region}` : '';
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  switch (name) {
    case 'StateMachineDoesNotExist':
    case 'StateMachineDeleting':
      return new CommandError(
        `state machine ${hint.stateMachine ?? ''} is not deployed${where}${detail}: deploy it (npx cdk deploy ${hint.stack ?? '<stack>'}) or pass the --region it is deployed in`,
      );
    case 'ExecutionDoesNotExist':
      return new CommandError(
        `execution ${hint.executionArn ?? ''} does not exist${where}${detail}: its state machine may have been deleted; run npx mesh status to see the product's last run`,
      );
    case 'ExecutionLimitExceeded':
      return new CommandError(
        `Step Functions refused to start another execution${where}${detail}: the account's limit of open executions is reached; wait for running executions to finish and run again`,
      );
    case 'ExecutionAlreadyExists':
      return new CommandError(`an execution with this name already exists${detail}: run again (the name is random)`);
    case 'KmsAccessDeniedException':
      return new CommandError(
        `Step Functions could not use the state machine's KMS key${detail}: use a role allowed kms:Decrypt and kms:GenerateDataKey on the domain's runtime key (--profile <name>)`,
      );
    default:
      return awsFailure(error, context);
  }
}

/** Runs one Step Functions call, turning its failure into a one-line CommandError where one fits. */
export async function callSfn<T>(context: AwsErrorContext, hint: SfnErrorHint, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw sfnFailure(error, context, hint);
  }
}

/** Why the platform deploys no state machine for a product, as a sentence ending in what to do. */
export function noRuntimeReason(product: MeshProduct): string {
  const { status, monitor } = product.definition;
  if (status === 'draft' || status === 'retired') {
    return `${product.id} is ${status}: ${status} products never run (set status to active in ${product.file} and deploy)`;
  }
  if (monitor?.enabled === false) {
    return `${product.id} is deployed without a runtime: its monitor is disabled (monitor.enabled: false in ${product.file}); enable it or add a build, then deploy`;
  }
  return `${product.id} is deployed without a runtime: it declares no build and nothing sets a check schedule (sla.updateFrequency is on-demand or absent, and no monitor.schedule); add a build or monitor.schedule to ${product.file}, then deploy`;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run <domain/product>')
    .description(
      "start a product's deployed run (its build, or its scheduled check) now; --wait follows it to the end, exit 1 when it failed or published nothing",
    )
    .option('--date <yyyy-mm-dd>', 'the day the run builds (default: the day it starts, UTC)')
    .option('--wait', 'wait for the run to finish and print its outcome (Ctrl-C stops waiting, not the run)')
    .option('--json', 'print JSON');
  addAwsOptions(command).action(async (reference: string, options: RunOptions, cmd: Command) => {
    const mesh = loadMeshOrExit(cmd);
    const { product, version } = resolveProductVersion(mesh, reference);
    const { productRun } = require('../../lib/runtime/plan') as typeof import('../../lib/runtime/plan');
    if (!productRun(product)) throw new CommandError(noRuntimeReason(product));
    const now = new Date();
    if (options.date !== undefined) {
      const problem = request().runDateProblem(options.date, now);
      if (problem) throw new CommandError(problem);
    }
    const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    const { stepFunctionsApi } =
      require('../../lib/runtime/sfn-client') as typeof import('../../lib/runtime/sfn-client');
    // A domain that names its region deploys there; --region still wins.
    const domainRegion = mesh.domains.find((d) => d.name === product.domain)?.definition.env?.region;
    const region = options.region ?? domainRegion;
    const client = new SFNClient(awsClientConfig({ ...options, ...(region ? { region } : {}) }));
    process.exitCode = await startRun(mesh, product, version, stepFunctionsApi(client), {
      ...options,
      ...(region ? { region } : {}),
      now,
      resolveRegion: () => client.config.region(),
    });
  });
}

interface StartOptions extends RunOptions {
  readonly now: Date;
  /** The client's region (it throws when there is none). */
  readonly resolveRegion: () => Promise<string>;
}

async function startRun(
  mesh: Mesh,
  product: MeshProduct,
  version: ProductVersion,
  api: StepFunctionsApi,
  options: StartOptions,
): Promise<number> {
  const { productRuntimeNames } = require('../../lib/runtime/names') as typeof import('../../lib/runtime/names');
  const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  const { executionConsoleUrl, executionInput, manualExecutionName, utcDate } = request();
  const names = productRuntimeNames(mesh.config, product.domain, product.name, version.major);
  const stack = domainNames(mesh.config, product.domain).stackName;
  const base: AwsErrorContext = { service: 'Step Functions', profile: options.profile, region: options.region };
  const region = await callSfn(base, {}, options.resolveRegion);
  const context = { ...base, region };
  const hint = { stateMachine: names.stateMachine, stack };

  const arns = await callSfn(context, hint, () => api.stateMachineArns([names.stateMachine]));
  const stateMachineArn = arns.get(names.stateMachine);
  if (!stateMachineArn) {
    throw new CommandError(
      `${product.id} v${version.major} has no state machine ${names.stateMachine} in ${region}: deploy its domain (npx cdk deploy ${stack}), or pass the --region it is deployed in`,
    );
  }
  const executionName = manualExecutionName(options.date ?? utcDate(options.now));
  const started = await callSfn(context, hint, () =>
    api.startExecution(stateMachineArn, executionName, executionInput(options.date)),
  );
  const consoleUrl = executionConsoleUrl(started.executionArn);
  const what = `${product.id} v${version.major}`;
  const startedJson = {
    product: product.id,
    major: version.major,
    stateMachineArn,
    executionArn: started.executionArn,
    executionName,
    runDate: options.date ?? null,
    startDate: (started.startDate ?? options.now).toISOString(),
    consoleUrl,
  };
  if (!options.wait) {
    if (options.json) printJson(startedJson);
    else {
      process.stdout.write(
        `started ${what} (${options.date ? `run day ${options.date}` : 'run day: today, UTC'}): ${started.executionArn}\n` +
          `console: ${consoleUrl}\n` +
          `next: npx mesh status ${product.domain} shows how it ends, or run with --wait to follow it\n`,
      );
    }
    return 0;
  }
  if (!options.json) process.stderr.write(`started ${what}: ${started.executionArn}\nconsole: ${consoleUrl}\n`);

  const result = await followExecution(api, started.executionArn, what, context, !!options.json);
  if (result.kind === 'interrupted') {
    process.stderr.write(
      `stopped waiting; the run goes on: ${started.executionArn} (npx mesh status ${product.domain} shows how it ends)\n`,
    );
    if (options.json) printJson({ ...startedJson, status: result.execution?.status ?? 'RUNNING', interrupted: true });
    return INTERRUPTED_EXIT_CODE;
  }
  const outcome = runState().runOutcome(result.execution);
  const took = tookText(result.execution);
  if (options.json) printJson({ ...startedJson, ...outcomeJson(result.execution, outcome) });
  else {
    process.stdout.write(`${what} ${executionName}: ${runState().describeOutcome(outcome)}${took}\n`);
    if (outcome.verdict === 'quality-failed') {
      process.stdout.write(`next: npx mesh quality history ${product.id} shows the failed rules\n`);
    } else if (outcome.verdict === 'failed')
      process.stdout.write(`next: see the failed step in the console: ${consoleUrl}\n`);
  }
  return outcome.verdict === 'succeeded' ? 0 : 1;
}

/** An execution's outcome for `--json`. */
export function outcomeJson(execution: ExecutionDescription, outcome: RunOutcome): Record<string, unknown> {
  return {
    status: execution.status,
    verdict: outcome.verdict,
    startDate: execution.startDate?.toISOString() ?? null,
    stopDate: execution.stopDate?.toISOString() ?? null,
    summary: outcome.summary ?? null,
    error: outcome.error ?? null,
    cause: outcome.cause ?? null,
  };
}

function tookText(execution: ExecutionDescription): string {
  if (!execution.startDate || !execution.stopDate) return '';
  const { formatAge } = require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');
  return ` (took ${formatAge((execution.stopDate.getTime() - execution.startDate.getTime()) / 1000)})`;
}

/** Waits for the execution with a progress line on a terminal; Ctrl-C ends the wait, not the execution. */
async function followExecution(
  api: StepFunctionsApi,
  executionArn: string,
  what: string,
  context: AwsErrorContext,
  quiet: boolean,
) {
  const { waitForExecution } =
    require('../../lib/runtime/execution-wait') as typeof import('../../lib/runtime/execution-wait');
  const { formatAge } = require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const line = progressLine({ quiet });
  try {
    return await callSfn(context, { executionArn }, () =>
      waitForExecution(api, executionArn, {
        signal: controller.signal,
        onPoll: (execution, elapsedMs) =>
          line.update(`${what}: ${execution.status} after ${formatAge(elapsedMs / 1000)} (Ctrl-C stops waiting)`, true),
      }),
    );
  } finally {
    line.done();
    process.removeListener('SIGINT', interrupt);
  }
}
