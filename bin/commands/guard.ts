/**
 * `mesh guard check [dir]`: runs the deploy-time rules (lib/policies/guard, the rules the platform's Guard
 * Hook enforces) through cfn-guard over a synthesized cloud assembly, so CI learns before deploying what
 * CloudFormation would refuse. Needs the dev dependencies (cfn-guard ships in one).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { CommandError, formatTable, printJson, projectRoot } from './shared';

interface Row {
  readonly stack: string;
  readonly template: string;
  readonly rule: string;
  readonly resources: readonly string[];
  readonly message: string;
}

export function registerGuardCommand(program: Command): void {
  const guard = program.command('guard').description("the platform's deploy-time CloudFormation Guard rules");
  guard
    .command('check')
    .argument('[dir]', 'cloud assembly folder', 'cdk.out')
    .description(
      'run the Guard Hook rules over the domain stacks of a synthesized cloud assembly; exit 1 when CloudFormation would refuse one',
    )
    .option('--json', 'print { passed, templates, failures } as JSON')
    .action((dir: string, options: { json?: boolean }, command: Command) => {
      const { guardedTemplates } =
        require('../../lib/policies/guard/assembly-templates') as typeof import('../../lib/policies/guard/assembly-templates');
      const { runGuard } =
        require('../../lib/policies/guard/cfn-guard') as typeof import('../../lib/policies/guard/cfn-guard');
      const assemblyDir = path.resolve(projectRoot(command), dir);
      let templates: ReturnType<typeof guardedTemplates>;
      let results: ReturnType<typeof runGuard>;
      try {
        templates = guardedTemplates(assemblyDir);
        if (templates.length === 0) {
          throw new Error(`${dir}: no domain stack (Mesh-*) in the cloud assembly: run npx cdk synth first`);
        }
        results = runGuard({ data: templates.map((t) => t.file) });
      } catch (err) {
        throw new CommandError((err as Error).message);
      }
      const rows: Row[] = results.flatMap((result, i) =>
        result.failures.map((failure) => ({
          stack: templates[i].stackName,
          template: path.relative(assemblyDir, result.file),
          rule: failure.ruleId,
          resources: failure.resources,
          message: failure.messages[0] ?? failure.guardRule,
        })),
      );
      if (rows.length > 0) process.exitCode = 1;
      if (options.json) {
        printJson({ passed: rows.length === 0, templates: templates.length, failures: rows });
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(`${templates.length} template(s) pass the deploy-time rules.\n`);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['stack', 'rule', 'resources', 'message'],
          rows.map((r) => [r.stack, r.rule, r.resources.join(', ') || '-', r.message.replace(`${r.rule} `, '')]),
        )}\n\n${rows.length} failure(s): the Guard Hook would refuse these stacks. Fix what each message says, then synth again.\n`,
      );
    });
}
