/**
 * The deploy path through the gate: `cdk synth` of one domain's stack into its own folder, the gate on that
 * assembly, then `cdk deploy --app <that folder>`, so the CLI deploys the very files the gate passed (with
 * `--app <dir>` it reads the assembly instead of running the app again). Commands go through a runner, so
 * tests record them and stop at the boundary of what needs an AWS account.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Mesh } from '../../mesh/model';
import { domainNames } from '../../mesh/naming';
import { type DefinitionProblem, formatProblem } from '../../mesh/problems';
import type { GovernanceOptions } from '../apply';
import { formatGateResult } from './format';
import { GateError, type GateResult, runGate } from './gate';

/** Runs one command to completion; returns its exit status. */
export type CommandRunner = (argv: readonly string[], options: { readonly cwd: string }) => number;

export interface DeployStep {
  readonly name: 'synth' | 'gate' | 'deploy';
  /** The command, as a user would type it. */
  readonly argv: readonly string[];
}

export interface DeployOptions {
  /** Project root (cdk.json); the CDK CLI runs there. */
  readonly root: string;
  readonly mesh: Mesh;
  /** Domains whose definitions have problems (tryLoadMesh's `blocked`). @default none */
  readonly blocked?: ReadonlyMap<string, readonly DefinitionProblem[]>;
  /** The domain to deploy. */
  readonly domain: string;
  /** Passed on to `cdk deploy`, e.g. `--require-approval never`. @default none */
  readonly cdkArgs?: readonly string[];
  /** Folder to synthesize the assembly into; must be empty or absent. @default a fresh temporary folder */
  readonly output?: string;
  /** Runs the `cdk` commands. @default a child process sharing this terminal */
  readonly runner?: CommandRunner;
  /** Where progress and the gate's result go. @default stderr */
  readonly log?: (line: string) => void;
  /** The gate's governance settings; only tests change them. @default as synthesis */
  readonly governance?: GovernanceOptions;
}

export interface DeployPlan {
  readonly stack: string;
  readonly output: string;
  readonly steps: readonly DeployStep[];
}

export interface DeployOutcome {
  /** 0 deployed; 1 synth, gate or deploy failed; 2 could not run. */
  readonly exitCode: number;
  readonly plan?: DeployPlan;
  readonly gate?: GateResult;
}

/**
 * The three commands of a deploy, without running any. `known` names every domain of the project, loaded
 * or not (a partial load holds only what the domain needs).
 */
export function planDeploy(
  mesh: Mesh,
  domain: string,
  output: string,
  cdkArgs: readonly string[] = [],
  known: readonly string[] = mesh.domains.map((d) => d.name),
): DeployPlan {
  if (!known.includes(domain)) {
    throw new GateError(`no domain "${domain}" in the mesh (domains: ${known.join(', ')})`);
  }
  const stack = domainNames(mesh.config, domain).stackName;
  // The stage is spelled out, so the printed commands do the same when run by hand, without MESH_STAGE.
  const stage = mesh.config.stage;
  return {
    stack,
    output,
    steps: [
      {
        name: 'synth',
        argv: [
          'npx',
          'cdk',
          'synth',
          stack,
          '-c',
          `domain=${domain}`,
          ...(stage ? ['-c', `stage=${stage}`] : []),
          '--output',
          output,
          '--quiet',
        ],
      },
      { name: 'gate', argv: ['npx', 'mesh', ...(stage ? ['--stage', stage] : []), 'gate', output, '--stack', stack] },
      { name: 'deploy', argv: ['npx', 'cdk', 'deploy', '--app', output, stack, ...cdkArgs] },
    ],
  };
}

const spawnRunner: CommandRunner = (argv, { cwd }) => {
  const result = spawnSync(argv[0], argv.slice(1), { cwd, stdio: 'inherit' });
  if (result.error) throw new GateError(`${argv.join(' ')} could not start: ${result.error.message}`);
  return result.status ?? 1;
};

/** Synthesizes, gates and deploys one domain; stops at the first step that fails. */
export function runDeploy(options: DeployOptions): DeployOutcome {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const known = [...new Set([...options.mesh.domains.map((d) => d.name), ...(options.blocked?.keys() ?? [])])];
  // Checks the domain before anything is written.
  planDeploy(options.mesh, options.domain, '', options.cdkArgs, known);
  const problems = options.blocked?.get(options.domain);
  if (problems) {
    for (const problem of problems) log(formatProblem(problem));
    log(`\n${options.domain} has ${problems.length} definition problem(s); nothing was synthesized or deployed.`);
    return { exitCode: 1 };
  }
  const runner = options.runner ?? spawnRunner;
  const output = path.resolve(
    options.root,
    options.output ?? fs.mkdtempSync(path.join(os.tmpdir(), `mesh-gated-${options.domain}-`)),
  );
  if (fs.existsSync(output) && fs.readdirSync(output).length > 0) {
    throw new GateError(
      `${output} is not empty: the gate must see only what this synth writes; choose a new --output folder`,
    );
  }
  const plan = planDeploy(options.mesh, options.domain, output, options.cdkArgs, known);
  const [synth, , deploy] = plan.steps;

  log(`1/3 synth: ${synth.argv.join(' ')}`);
  if (runner(synth.argv, { cwd: options.root }) !== 0) {
    log(`\ncdk synth of ${plan.stack} failed (its output above names each problem); nothing was gated or deployed.`);
    return { exitCode: 1, plan };
  }

  log(`2/3 gate: ${plan.steps[1].argv.join(' ')}`);
  const gate = runGate({
    assembly: output,
    mesh: options.mesh,
    root: options.root,
    stacks: [plan.stack],
    blocked: options.blocked,
    governance: options.governance,
  });
  for (const line of formatGateResult(gate)) log(line);
  if (!gate.passed) {
    log(`\n${plan.stack} was not deployed: the gate failed on ${output}.`);
    return { exitCode: 1, plan, gate };
  }

  log(`3/3 deploy: ${deploy.argv.join(' ')}`);
  const status = runner(deploy.argv, { cwd: options.root });
  if (status !== 0) log(`\ncdk deploy of ${plan.stack} failed (exit ${status}); the gated assembly is in ${output}.`);
  return { exitCode: status === 0 ? 0 : 1, plan, gate };
}
