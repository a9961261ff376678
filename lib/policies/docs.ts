/**
 * docs/policies.md, generated from the rule registry so the documentation cannot drift from the rules:
 *   npm run docs:policies      (npx mesh policies --markdown > docs/policies.md)
 * A test fails when the file is out of date.
 */
import { isExceptable, type Rule } from './model';
import type { RuleRegistry } from './registry';

/** What a rule inspects, for the reader. */
export function ruleScope(rule: Rule): string {
  switch (rule.kind) {
    case 'resource':
      return rule.resourceTypes === 'any' ? 'every resource' : rule.resourceTypes.map((t) => `\`${t}\``).join(', ');
    case 'stack':
      return 'each template, after the walk';
    case 'mesh':
      return [rule.checkProduct && 'each product definition', rule.checkDomain && 'each domain definition']
        .filter(Boolean)
        .join(', ');
    case 'external':
      return 'the definitions and their contract lock files (reported by lib/contracts)';
    case 'engine':
      return 'the exceptions declared in the definitions';
  }
}

/** `S3` from `MESH-S3-001`, `PROD` from `MESH-PROD-003`. */
function area(id: string): string {
  const parts = id.split('-');
  return parts.length > 2 ? parts.slice(1, -1).join('-') : parts[0];
}

const AREA_TITLES: Record<string, string> = {
  S3: 'S3 buckets',
  STATE: 'Stateful resources',
  TAG: 'Tags',
  KMS: 'KMS keys',
  IAM: 'IAM',
  ATH: 'Athena',
  GLUE: 'Glue Data Catalog',
  QUOTA: 'AWS quotas',
  DEP: 'Deployment order',
  DEF: 'Scaffolded definitions',
  PROD: 'Product definitions',
  DOM: 'Domain definitions',
  CON: 'Contracts',
  EXC: 'Exceptions',
  RUN: 'Runtime (schedules, state machines, alerts)',
  CPT: 'Shared concepts',
  PRIV: 'Personal data',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function policiesMarkdown(registry: RuleRegistry): string {
  const rules = registry.rules;
  const lines: string[] = [
    '# Governance rules',
    '',
    '<!-- Generated from the rule registry (lib/policies). Do not edit: run `npm run docs:policies`. -->',
    '',
    `${rules.length} rules run on every \`cdk synth\` of a domain stack. An **error** fails the synthesis of that stack; a **warning** informs. ` +
      'Each finding names the rule, the definition file to change and the fix. Findings of an exceptable rule can be excepted in the ' +
      'product (or domain) file with `exceptions: [{ rule, finding?, reason, approvedBy, expires }]`; the others cannot be excepted. ' +
      "`approvedBy` names an approver of the governance guild's registry (`lib/policies/approvers.ts`) who is not a member of the " +
      "domain, and `expires` is at most the guild's maximum lifetime (`maxExceptionDays`) after the day of the synth, judged by the real date.",
    '',
    'Every synth also writes `cdk.out/<stack>.policy-report.json` (each rule × resource and definition: pass, fail or excepted, ' +
      'with counts) and prints one summary line per stack. `npx mesh policies` lists the rules in the terminal.',
    '',
    'cdk-nag (AwsSolutions) is not part of the default synth: it re-checks every resource with about 130 generic rules and took ' +
      '1.3-1.5x the synth time of a 500-product mesh (and 50 MB more memory), against about 1.1x for the platform rules below ' +
      '(`npm run bench:policies`). ' +
      'CI runs it (test/policies/cdk-nag.slow.test.ts); ' +
      '`npx cdk synth -c cdk-nag=true` runs it on demand. The findings the platform produces by design are acknowledged with their ' +
      'reasons in lib/policies/cdk-nag.ts.',
    '',
    '| id | severity | exceptable | rule |',
    '|---|---|---|---|',
    ...rules.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${isExceptable(r) ? 'yes' : 'no'} | ${cell(r.title)} |`,
    ),
  ];
  let current = '';
  for (const rule of rules) {
    const group = area(rule.id);
    if (group !== current) {
      current = group;
      lines.push('', `## ${AREA_TITLES[group] ?? group}`);
    }
    lines.push(
      '',
      `### ${rule.id}`,
      '',
      `**${rule.title}** — ${rule.severity}, ${isExceptable(rule) ? 'exceptable' : 'not exceptable'}; checks ${ruleScope(rule)}.`,
      '',
      rule.explanation,
      '',
      `Fix: ${rule.fix}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
