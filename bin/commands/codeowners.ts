/**
 * `mesh codeowners`: writes CODEOWNERS at the project root from the domain definitions and the governance
 * guild's registry (lib/policies/codeowners.ts). `--check` writes nothing and exits 1 when the file is
 * stale, for CI; `--json` prints the entries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadMeshOrExit, projectRoot } from './shared';

interface CodeownersOptions {
  readonly check?: boolean;
  readonly json?: boolean;
}

export function registerCodeownersCommand(program: Command): void {
  program
    .command('codeowners')
    .description('write CODEOWNERS from the domain owners and the governance guild; --check fails when it is stale')
    .option('--check', 'write nothing; exit 1 when CODEOWNERS differs from what the definitions give')
    .option('--json', 'print the entries and whether the file is current as JSON')
    .action((options: CodeownersOptions, command: Command) => {
      // Loaded when the command runs, so `mesh --help` stays fast.
      const { APPROVER_REGISTRY } =
        require('../../lib/policies/approvers') as typeof import('../../lib/policies/approvers');
      const codeowners = require('../../lib/policies/codeowners') as typeof import('../../lib/policies/codeowners');
      const root = projectRoot(command);
      const mesh = loadMeshOrExit(command);
      const text = codeowners.renderCodeowners(mesh, APPROVER_REGISTRY);
      const file = path.join(root, codeowners.CODEOWNERS_FILE);
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      const upToDate = current === text;
      const entries = codeowners.codeownersEntries(mesh, APPROVER_REGISTRY);
      const stale = `${codeowners.CODEOWNERS_FILE} is ${current === undefined ? 'missing' : 'stale'}: run ${codeowners.CODEOWNERS_COMMAND}`;

      if (options.json) {
        const written = !options.check && !upToDate;
        if (written) fs.writeFileSync(file, text);
        process.stdout.write(
          `${JSON.stringify({ file: codeowners.CODEOWNERS_FILE, upToDate: upToDate || written, written, entries }, null, 2)}\n`,
        );
        if (options.check && !upToDate) process.exitCode = 1;
        return;
      }
      if (options.check) {
        if (upToDate) {
          process.stdout.write(`✔ ${codeowners.CODEOWNERS_FILE} is current (${entries.length} entries)\n`);
        } else {
          process.stderr.write(`${stale}\n`);
          process.exitCode = 1;
        }
        return;
      }
      if (upToDate) {
        process.stdout.write(`✔ ${codeowners.CODEOWNERS_FILE} is current (${entries.length} entries)\n`);
        return;
      }
      fs.writeFileSync(file, text);
      process.stdout.write(`wrote ${codeowners.CODEOWNERS_FILE} (${entries.length} entries); commit it\n`);
    });
}
