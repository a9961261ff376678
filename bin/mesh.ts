/**
 * The `mesh` CLI: definitions, catalog, contracts, quality and access tools for domain teams and consumers.
 * Each command lives in bin/commands/ and registers itself here.
 */
import { Command } from 'commander';
import { registerAccessCommand } from './commands/access';
import { registerCatalogCommands } from './commands/catalog';
import { registerCheckCommand } from './commands/check';
import { registerContractCommand } from './commands/contract';
import { registerNewCommand } from './commands/new';
import { registerPoliciesCommand } from './commands/policies';
import { registerSampleCommand } from './commands/sample';
import { registerValidateCommand } from './commands/validate';

const program = new Command()
  .name('mesh')
  .description('Self-serve data mesh platform: validate definitions, scaffold products, inspect the mesh.')
  .option('-C, --root <dir>', 'project root holding cdk.json and domains/', process.cwd())
  .showHelpAfterError();

registerValidateCommand(program);
registerNewCommand(program);
registerCatalogCommands(program);
registerContractCommand(program);
registerCheckCommand(program);
registerSampleCommand(program);
registerAccessCommand(program);
registerPoliciesCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`mesh: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
