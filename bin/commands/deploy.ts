/**
 * `mesh deploy <domain> [-- cdk deploy options]`: `cdk synth` of the domain's stack into a fresh folder, the
 * gate on it, then `cdk deploy --app <that folder>`, so what deploys is exactly what was gated. `--dry-run`
 * prints the three commands. Exit 0 deployed, 1 a step failed, 2 could not run.
 */
import type { Command } from 'commander';
import { isGateInputError, loadMeshForGate } from './gate';
import { projectRoot } from './shared';

interface DeployCommandOptions {
  readonly dryRun?: boolean;
  readonly output?: string;
}

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy <domain> [cdkArgs...]')
    .description(
      'synthesize one domain, gate the assembly, and deploy exactly that assembly with cdk deploy --app; arguments after -- go to cdk deploy',
    )
    .option('--dry-run', 'print the synth, gate and deploy commands without running them')
    .option('--output <dir>', 'empty folder to synthesize into (default: a fresh temporary folder)')
    .action((domain: string, cdkArgs: string[], options: DeployCommandOptions, command: Command) => {
      const root = projectRoot(command);
      const mesh = loadMeshForGate(root);
      if (!mesh) return;
      const gate = require('../../lib/policies/gate') as typeof import('../../lib/policies/gate');
      try {
        if (options.dryRun) {
          const plan = gate.planDeploy(mesh, domain, options.output ?? '<fresh temporary folder>', cdkArgs);
          for (const step of plan.steps) process.stdout.write(`${step.argv.join(' ')}\n`);
          return;
        }
        process.exitCode = gate.runDeploy({ root, mesh, domain, cdkArgs, output: options.output }).exitCode;
      } catch (err) {
        if (!isGateInputError(err)) throw err;
        process.stderr.write(`mesh deploy: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
