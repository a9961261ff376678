/**
 * docs/policies.md is generated from the registry and must be current; `mesh policies` lists every rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerPoliciesCommand } from '../../bin/commands/policies';
import { defaultRuleRegistry, policiesMarkdown } from '../../lib/policies';
import { PROJECT_ROOT } from './support/apps';

async function runCli(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerPoliciesCommand(program);
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'mesh', 'policies', ...args]);
  } finally {
    write.mockRestore();
  }
  return chunks.join('');
}

describe('rule documentation', () => {
  test('docs/policies.md is in sync with the registry (regenerate: npm run docs:policies)', () => {
    const file = path.join(PROJECT_ROOT, 'docs', 'policies.md');
    expect(fs.readFileSync(file, 'utf8')).toBe(policiesMarkdown(defaultRuleRegistry()));
  });

  test('every rule has a title, an explanation and a fix, and at least 30 platform rules exist', () => {
    const rules = defaultRuleRegistry().rules;
    expect(
      rules.filter((r) => r.kind === 'resource' || r.kind === 'stack' || r.kind === 'mesh').length,
    ).toBeGreaterThanOrEqual(30);
    for (const rule of rules) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  test('mesh policies lists id, severity, exceptable, title and explanation of every rule', async () => {
    const output = await runCli();
    for (const rule of defaultRuleRegistry().rules) {
      expect(output).toContain(rule.id);
      expect(output).toContain(rule.title);
    }
    expect(output).toMatch(/MESH-S3-001 +error +no +Buckets block all public access/);
    expect(output).toContain('Data products are shared through IAM grants between domains, never publicly.');
  });

  test('mesh policies --markdown prints the documentation, --json the metadata', async () => {
    expect(await runCli('--markdown')).toBe(policiesMarkdown(defaultRuleRegistry()));
    const json = JSON.parse(await runCli('--json')) as { id: string; exceptable: boolean }[];
    expect(json.find((r) => r.id === 'MESH-S3-002')?.exceptable).toBe(false);
  });
});
