/**
 * `mesh access`: cross-domain access from the definitions.
 *   mesh access sizes                     every domain's access policies sized against AWS quotas
 *   mesh access verify --live             IAM's simulator on the deployed roles, for the whole matrix
 * The offline verification (synthesized templates, simulated) is a development tool: `npm run access:verify`.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import type { Command } from 'commander';
import { partitionOf } from '../../lib/access/env';
import { ACCESS_LIMITS, planDomainAccess } from '../../lib/access/quotas';
import { IamPrincipalPolicySimulator, LiveAccessEvaluator } from '../../lib/access/verify/live-iam';
import { buildAccessMatrix, CORE_ACCESS_KINDS } from '../../lib/access/verify/matrix';
import { formatVerifyReport, isClean, verifyAccess } from '../../lib/access/verify/verify';
import { formatProblem } from '../../lib/mesh/problems';
import { formatTable, loadMeshOrExit } from './shared';

export function registerAccessCommand(program: Command): void {
  const access = program
    .command('access')
    .description('least-privilege access between domains: policy sizes and verification');

  access
    .command('sizes')
    .description('size every domain’s access policies against AWS quotas, from the definitions (no synth)')
    .action((_options, command: Command) => {
      const mesh = loadMeshOrExit(command);
      const plans = mesh.domains.map((domain) => planDomainAccess(mesh, domain));
      const rows = plans.map((plan) => [
        plan.domain.name,
        String(plan.inputCount),
        String(plan.producerCount),
        `${plan.inputPolicies.length}/${ACCESS_LIMITS.managedPoliciesPerRole}`,
        `${plan.sizes.largestInputPolicyChars}/${ACCESS_LIMITS.managedPolicyChars}`,
        `${plan.sizes.bucketPolicyBytes}/${ACCESS_LIMITS.bucketPolicyBytes}`,
        `${plan.sizes.keyPolicyBytes}/${ACCESS_LIMITS.keyPolicyBytes}`,
      ]);
      process.stdout.write(
        `${formatTable(['domain', 'inputs', 'from domains', 'input policies', 'largest policy chars', 'bucket policy bytes', 'key policy bytes'], rows)}\n`,
      );
      process.stdout.write('\nSizes assume the longest partition, region and account where a domain pins no env.\n');
      const problems = plans.flatMap((p) => p.problems);
      for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (problems.length > 0) process.exitCode = 1;
    });

  access
    .command('verify')
    .description('evaluate every role × product version × read/write against what the definitions allow')
    .option('--live', 'ask IAM (SimulatePrincipalPolicy) about the deployed roles')
    .option('--account <id>', 'account of domains that pin no env (default: CDK_DEFAULT_ACCOUNT)')
    .option('--region <region>', 'region of domains that pin no env (default: AWS_REGION)')
    .option('--domain <names...>', 'only the roles of these domains')
    .action(async (options: VerifyOptions, command: Command) => {
      if (!options.live) {
        process.stderr.write(
          'Without --live, verification synthesizes the mesh and simulates it offline with a development-only\n' +
            'evaluator: run `npm run access:verify`. With --live, IAM evaluates the deployed roles.\n',
        );
        process.exitCode = 2;
        return;
      }
      const mesh = loadMeshOrExit(command);
      const account = options.account ?? process.env.CDK_DEFAULT_ACCOUNT;
      const region =
        options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? process.env.CDK_DEFAULT_REGION;
      if (!account || !region) {
        process.stderr.write(
          'mesh access verify --live needs --account and --region (or CDK_DEFAULT_ACCOUNT and AWS_REGION)\n',
        );
        process.exitCode = 2;
        return;
      }
      const checks = buildAccessMatrix(mesh, {
        env: { account, region },
        kinds: CORE_ACCESS_KINDS,
        roleDomains: options.domain,
      });
      process.stdout.write(
        `Simulating ${checks.length} checks with IAM in ${account} (${partitionOf(region).partition}, ${region})…\n`,
      );
      const evaluator = new LiveAccessEvaluator(new IamPrincipalPolicySimulator(new IAMClient({ region })));
      const report = await verifyAccess(checks, evaluator);
      process.stdout.write(`${formatVerifyReport(report)}\n`);
      process.stdout.write('Identity policies only; the bucket and key policy fences are verified offline.\n');
      if (!isClean(report)) process.exitCode = 1;
    });
}

interface VerifyOptions {
  readonly live?: boolean;
  readonly account?: string;
  readonly region?: string;
  readonly domain?: string[];
}
