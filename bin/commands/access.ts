/**
 * `mesh access`: cross-domain access from the definitions.
 *   mesh access sizes                     every domain's access policies sized against AWS quotas
 *   mesh access verify                    synthesized templates simulated offline (development checkouts)
 *   mesh access verify --live             IAM's simulator on the deployed roles, for the whole matrix
 * Only types at the top: the access planner, the SDK and the simulator load when a command runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { PrincipalPolicySimulator, SimulationRequest } from '../../lib/access/verify/live-iam';
import type { VerifyReport } from '../../lib/access/verify/verify';
import { type AwsOptions, addAwsOptions, awsClientConfig, awsFailure, callAws } from './aws';
import { describeAwsError } from './aws-errors';
import { progressLine } from './progress';
import { CommandError, formatTable, loadMeshOrExit, printJson, projectRoot } from './shared';

/** The platform's own folder (where its development tools live), not the project's. */
const PLATFORM_ROOT = path.resolve(__dirname, '..', '..');
/** The offline verification: synthesizes the project and simulates it with @cloud-copilot/iam-simulate. */
export const OFFLINE_VERIFIER = path.join('test', 'access', 'verify-access.ts');
/** AGPL-3.0, a development dependency: run in its own process, never loaded into the CLI. */
export const OFFLINE_SIMULATOR = '@cloud-copilot/iam-simulate';

export function registerAccessCommand(program: Command): void {
  const access = program
    .command('access')
    .description('least-privilege access between domains: policy sizes and verification');

  access
    .command('sizes')
    .description('size every domain’s access policies against AWS quotas, from the definitions (no synth)')
    .option('--json', 'print the sizes and problems as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const mesh = loadMeshOrExit(command);
      const { ACCESS_LIMITS, planDomainAccess } =
        require('../../lib/access/quotas') as typeof import('../../lib/access/quotas');
      const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
      const { GLUE_CATALOG_POLICY_BYTES } =
        require('../../lib/access/catalog-policy') as typeof import('../../lib/access/catalog-policy');
      const plans = mesh.domains.map((domain) => planDomainAccess(mesh, domain));
      const problems = plans.flatMap((p) => p.problems);
      if (problems.length > 0) process.exitCode = 1;
      if (options.json) {
        printJson({
          limits: { ...ACCESS_LIMITS, glueCatalogPolicyBytes: GLUE_CATALOG_POLICY_BYTES },
          domains: plans.map((plan) => ({
            domain: plan.domain.name,
            inputs: plan.inputCount,
            fromDomains: plan.producerCount,
            inputPolicies: plan.inputPolicies.length,
            ...plan.sizes,
          })),
          problems,
        });
        return;
      }
      const rows = plans.map((plan) => [
        plan.domain.name,
        String(plan.inputCount),
        String(plan.producerCount),
        `${plan.inputPolicies.length}/${ACCESS_LIMITS.managedPoliciesPerRole}`,
        `${plan.sizes.largestInputPolicyChars}/${ACCESS_LIMITS.managedPolicyChars}`,
        `${plan.sizes.bucketPolicyBytes}/${ACCESS_LIMITS.bucketPolicyBytes}`,
        `${plan.sizes.keyPolicyBytes}/${ACCESS_LIMITS.keyPolicyBytes}`,
        // Only domains read from other accounts write statements into their account's catalog policy.
        plan.sizes.catalogPolicyBytes > 0 ? `${plan.sizes.catalogPolicyBytes}/${GLUE_CATALOG_POLICY_BYTES}` : '-',
      ]);
      process.stdout.write(
        `${formatTable(['domain', 'inputs', 'from domains', 'input policies', 'largest policy chars', 'bucket policy bytes', 'key policy bytes', 'catalog policy bytes'], rows)}\n`,
      );
      process.stdout.write('\nSizes assume the longest partition, region and account where a domain pins no env.\n');
      for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
    });

  const verify = access
    .command('verify')
    .description(
      'evaluate every role × product version × read/write against what the definitions allow: offline on the synthesized templates, or with --live by IAM on the deployed roles; exit 1 on a mismatch, 2 when it cannot run',
    )
    .option('--live', 'ask IAM (SimulatePrincipalPolicy) about the deployed roles')
    .option('--account <id>', 'account of domains that pin no env (default: CDK_DEFAULT_ACCOUNT; offline: a test one)')
    .option('--domain <names...>', 'only the roles of these domains (--live)')
    .option('--json', 'print the report as JSON (--live)');
  addAwsOptions(verify).action(async (options: VerifyOptions, command: Command) => {
    if (!options.live) {
      process.exitCode = verifyOffline(projectRoot(command), options);
      return;
    }
    const mesh = loadMeshOrExit(command);
    const { IAMClient } = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
    const { IamPrincipalPolicySimulator, LiveAccessEvaluator } =
      require('../../lib/access/verify/live-iam') as typeof import('../../lib/access/verify/live-iam');
    const { buildAccessMatrix, CORE_ACCESS_KINDS } =
      require('../../lib/access/verify/matrix') as typeof import('../../lib/access/verify/matrix');
    const { formatVerifyReport, isClean, verifyAccess } =
      require('../../lib/access/verify/verify') as typeof import('../../lib/access/verify/verify');
    const { partitionOf } = require('../../lib/access/env') as typeof import('../../lib/access/env');

    const client = new IAMClient(awsClientConfig(options));
    const context = { service: 'IAM', profile: options.profile };
    const region = await callAws(context, () => client.config.region());
    const account = options.account ?? process.env.CDK_DEFAULT_ACCOUNT;
    if (!account) {
      throw new CommandError(
        'mesh access verify --live needs the account of domains that pin no env: pass --account <id> or set CDK_DEFAULT_ACCOUNT',
      );
    }
    const { liveScope } =
      require('../../lib/access/verify/live-scope') as typeof import('../../lib/access/verify/live-scope');
    // IAM simulates only roles of the calling account: one run per account of a mesh spread over several.
    const scope = liveScope(mesh, account, options.domain);
    if (!scope.ok) throw new CommandError(`mesh access verify --live: ${scope.message}`);
    const checks = buildAccessMatrix(mesh, {
      env: { account, region },
      kinds: CORE_ACCESS_KINDS,
      roleDomains: scope.domains,
    });
    const say = (text: string) => (options.json ? process.stderr : process.stdout).write(text);
    say(`Simulating ${checks.length} checks with IAM in ${account} (${partitionOf(region).partition}, ${region})…\n`);
    // The SDK retries throttled calls (adaptive mode), so the adapter's own retries are turned off.
    const simulator = new StopOnAwsFailure(new IamPrincipalPolicySimulator(client, { maxAttempts: 1 }), {
      ...context,
      region,
    });
    const progress = progressLine({ quiet: options.json });
    simulator.onCall = (calls) => progress.update(`IAM SimulatePrincipalPolicy: ${calls} calls…`);
    let report: VerifyReport;
    try {
      report = await verifyAccess(checks, new LiveAccessEvaluator(simulator));
    } finally {
      progress.done();
    }
    if (simulator.failure) throw awsFailure(simulator.failure, { ...context, region });
    if (options.json) printJson({ account, region, clean: isClean(report), ...report });
    else {
      process.stdout.write(`${formatVerifyReport(report)}\n`);
      process.stdout.write(
        'Identity policies only; the bucket and key policy fences are verified offline (mesh access verify).\n',
      );
    }
    if (!isClean(report)) process.exitCode = 1;
  });
}

interface VerifyOptions extends AwsOptions {
  readonly live?: boolean;
  readonly account?: string;
  readonly domain?: string[];
  readonly json?: boolean;
}

/**
 * Stops calling IAM after the first failure a user must fix (no credentials, no region, access denied,
 * throttled): the evaluator records per-check errors, which would repeat that one cause for every check.
 * Other errors (a role that is not deployed) stay per check.
 */
export class StopOnAwsFailure implements PrincipalPolicySimulator {
  /** The first SDK failure a user must fix, once one happened. */
  failure: unknown;
  /** Told the number of calls made so far, after each. */
  onCall?: (calls: number) => void;
  private calls = 0;

  constructor(
    private readonly inner: PrincipalPolicySimulator,
    private readonly context: { readonly service: string; readonly profile?: string; readonly region?: string },
  ) {}

  async simulate(request: SimulationRequest) {
    if (this.failure) throw this.failure;
    try {
      return await this.inner.simulate(request);
    } catch (error) {
      if (describeAwsError(error, this.context)) this.failure = error;
      throw error;
    } finally {
      this.onCall?.(++this.calls);
    }
  }
}

/**
 * Runs the offline verification of the platform's development tools on the project, in its own process: the
 * simulator it uses is AGPL-licensed and only a development dependency, so the CLI never loads it and says
 * what to do when it is absent. Returns the exit code: 0 clean, 1 a mismatch, 2 could not run.
 */
export function verifyOffline(
  root: string,
  options: { account?: string; region?: string; json?: boolean },
  platformRoot = PLATFORM_ROOT,
): number {
  if (options.json) {
    throw new CommandError('--json needs --live: the offline verification prints a text report');
  }
  try {
    require.resolve(OFFLINE_SIMULATOR, { paths: [platformRoot] });
  } catch {
    throw new CommandError(
      `offline verification needs the development dependency ${OFFLINE_SIMULATOR} (AGPL-3.0, not part of the platform's runtime), which is not installed: run npm install without --omit=dev in the platform checkout, or verify the deployed roles with --live`,
    );
  }
  const script = path.join(platformRoot, OFFLINE_VERIFIER);
  if (!fs.existsSync(script)) {
    throw new CommandError(
      `offline verification runs ${OFFLINE_VERIFIER} of the platform checkout, which is missing here: use a full checkout, or verify the deployed roles with --live`,
    );
  }
  const args = ['--require', require.resolve('tsx/cjs'), script, '--root', root];
  if (options.account) args.push('--account', options.account);
  if (options.region) args.push('--region', options.region);
  const child = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: platformRoot });
  if (child.error) throw new CommandError(`could not run ${OFFLINE_VERIFIER}: ${child.error.message}`);
  return child.status === 0 || child.status === 1 ? child.status : 2;
}
