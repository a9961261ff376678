/**
 * `mesh policies`: every governance rule with its id, severity, whether it can be excepted, what it checks,
 * why it exists and how to fix a finding. `--markdown` renders docs/policies.md, `--json` the metadata.
 */
import type { Command } from 'commander';
import { formatTable, printJson } from './shared';

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function registerPoliciesCommand(program: Command): void {
  program
    .command('policies')
    .description('list every governance rule: id, severity, exceptable, title, explanation and fix')
    .option('--markdown', 'print docs/policies.md (npm run docs:policies writes it)')
    .option('--json', 'print the rules as JSON')
    .action((options: { markdown?: boolean; json?: boolean }) => {
      // The rules pull in aws-cdk-lib: loaded when the command runs, not when `mesh --help` lists it.
      const { defaultRuleRegistry, isExceptable, policiesMarkdown, ruleScope } =
        require('../../lib/policies') as typeof import('../../lib/policies');
      const registry = defaultRuleRegistry();
      if (options.markdown) {
        process.stdout.write(policiesMarkdown(registry));
        return;
      }
      const rules = registry.rules.map((rule) => ({
        id: rule.id,
        severity: rule.severity,
        exceptable: isExceptable(rule),
        title: rule.title,
        checks: ruleScope(rule),
        explanation: rule.explanation,
        fix: rule.fix,
      }));
      if (options.json) {
        printJson(rules);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['id', 'severity', 'exceptable', 'title'],
          rules.map((r) => [r.id, r.severity, r.exceptable ? 'yes' : 'no', r.title]),
        )}\n`,
      );
      for (const rule of rules) {
        process.stdout.write(
          `\n${rule.id}  ${rule.title}\n${wrap(`${rule.severity}, ${rule.exceptable ? 'exceptable' : 'not exceptable'}; checks ${rule.checks}.`, 100, '    ')}\n${wrap(rule.explanation, 100, '    ')}\n${wrap(`Fix: ${rule.fix}`, 100, '    ')}\n`,
        );
      }
      process.stdout.write(
        `\n${rules.length} rules. Except one in the product or domain file: exceptions: [{ rule, finding?, reason, approvedBy, expires }].\n`,
      );
    });
}
