/**
 * The `mesh` CLI: definitions, catalog, contracts, quality and access tools for domain teams and consumers.
 * Each command lives in bin/commands/ and registers itself here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { STAGE_ENV } from '../lib/mesh/stage-env';
import { registerAccessCommand } from './commands/access';
import { describeAwsError } from './commands/aws-errors';
import { registerBuildCommand } from './commands/build';
import { registerCatalogCommands } from './commands/catalog';
import { registerCheckCommand } from './commands/check';
import { registerCodeownersCommand } from './commands/codeowners';
import { registerConceptsCommand } from './commands/concepts';
import { registerContractCommand } from './commands/contract';
import { registerDeployCommand } from './commands/deploy';
import { registerDiffCommand } from './commands/diff';
import { registerEraseCommand } from './commands/erase';
import { registerGateCommand } from './commands/gate';
import { registerGuardCommand } from './commands/guard';
import { registerImpactCommand } from './commands/impact';
import { registerMetricsCommand } from './commands/metrics';
import { registerNewCommand } from './commands/new';
import { registerPoliciesCommand } from './commands/policies';
import { registerPortalCommand } from './commands/portal';
import { registerQualityCommands } from './commands/quality';
import { registerRunCommand } from './commands/run';
import { registerSampleCommand } from './commands/sample';
import { registerStatusCommand } from './commands/status';
import { registerValidateCommand } from './commands/validate';

const program = new Command()
  .name('mesh')
  .description('Self-serve data mesh platform: validate definitions, scaffold products, inspect the mesh.')
  .version(platformVersion(), '-V, --version', 'print the platform version')
  .option(
    '-C, --root <dir>',
    'project root holding cdk.json and domains/ (default: nearest folder above with cdk.json)',
  )
  .option('--stage <name>', 'stage of a mesh with stages (cdk.json:context.mesh.stages); also read from MESH_STAGE')
  // Set for the whole run, so every command and every `cdk` it starts loads the same stage.
  .hook('preAction', (command) => {
    const stage = command.opts<{ stage?: string }>().stage;
    if (stage !== undefined) process.env[STAGE_ENV] = stage;
  })
  .showHelpAfterError()
  // Program options come before the command (`mesh -C <dir> check …`), as with git: a command's own options
  // may then reuse their names (`mesh check --version 2` is a product version, `mesh --version` the CLI's).
  .enablePositionalOptions()
  // A mistake on the command line means the command could not run: exit 2, as for every other such failure.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerValidateCommand(program);
registerNewCommand(program);
registerCatalogCommands(program);
registerImpactCommand(program);
registerContractCommand(program);
registerCheckCommand(program);
registerSampleCommand(program);
registerBuildCommand(program);
registerRunCommand(program);
registerStatusCommand(program);
registerQualityCommands(program);
registerAccessCommand(program);
registerEraseCommand(program);
registerPoliciesCommand(program);
registerGuardCommand(program);
registerCodeownersCommand(program);
registerConceptsCommand(program);
registerMetricsCommand(program);
registerDiffCommand(program);
registerGateCommand(program);
registerDeployCommand(program);
registerPortalCommand(program);

// `mesh list | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// A command that could not run exits 2 with one line; SDK failures a user can fix say how.
program.parseAsync(process.argv).catch((err: unknown) => {
  const message = describeAwsError(err)?.message ?? (err instanceof Error ? err.message : String(err));
  process.stderr.write(`mesh: ${message}\n`);
  process.exitCode = 2;
});

/** The version in the platform's package.json. */
function platformVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}
