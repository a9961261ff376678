/**
 * `mesh deploy <domain> [-- cdk deploy options]`: `cdk synth` of the domain's stack into a fresh folder, the
 * gate on it, then `cdk deploy --app <that folder>`, so what deploys is exactly what was gated. `--dry-run`
 * prints the three commands. Exit 0 deployed, 1 a step failed, 2 could not run.
 */
import type { Command } from 'commander';
import { isGateInputError, loadMeshForGate } from './gate';
import { projectRoot } from './shared';

/** Every domain folder of the project, loaded or not. */
function domainFolders(root: string): string[] {
  const { readMeshConfig } = require('../../lib/mesh/config') as typeof import('../../lib/mesh/config');
  const { discoverMeshFiles } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
  return [...discoverMeshFiles(root, readMeshConfig(root).domainsDir).keys()];
}

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
      const gate = require('../../lib/policies/gate') as typeof import('../../lib/policies/gate');
      try {
        // Only what this domain's stack needs, as the synth will load it (-c domain=<domain>).
        const known = domainFolders(root);
        if (!known.includes(domain)) {
          throw new gate.GateError(`no domain "${domain}" in the mesh (domains: ${known.join(', ')})`);
        }
        const loaded = loadMeshForGate(root, [domain]);
        if (!loaded) return;
        if (options.dryRun) {
          const output = options.output ?? '<fresh temporary folder>';
          const plan = gate.planDeploy(loaded.mesh, domain, output, cdkArgs, known);
          for (const step of plan.steps) process.stdout.write(`${step.argv.join(' ')}\n`);
          return;
        }
        process.exitCode = gate.runDeploy({ root, ...loaded, domain, cdkArgs, output: options.output }).exitCode;
      } catch (err) {
        if (!isGateInputError(err)) throw err;
        process.stderr.write(`mesh deploy: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
