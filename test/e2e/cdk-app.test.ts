import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExampleProject, PROJECT_ROOT } from '../support/temp-project';

/** Runs the real CDK CLI in a project folder, without credentials and without the slow built-in validator. */
function cdk(cwd: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
  const result = spawnSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'),
    [...args, '--no-notices', '--no-version-reporting'],
    {
      cwd,
      env,
      encoding: 'utf8',
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CDK app (end to end, real cdk CLI)', () => {
  test('cdk ls lists one stack per example domain', () => {
    const { code, stdout } = cdk(copyExampleProject(), 'ls');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'Mesh-Customers',
      'Mesh-Fulfillment',
      'Mesh-Marketing',
      'Mesh-Sales',
    ]);
  });

  test("a definition mistake fails its own domain's stack with file:line:column, field and message; other domains synthesize", () => {
    const project = copyExampleProject();
    const file = path.join(project, 'domains', 'sales', 'products', 'revenue_metrics.ts');
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, source.replace("type: 'decimal(14,2)'", "type: 'decimal(40,2)'"));
    const line = source.split('\n').findIndex((l) => l.includes("type: 'decimal(14,2)'")) + 1;
    const all = cdk(project, 'synth', '--quiet');
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(
      new RegExp(
        `domains/sales/products/revenue_metrics\\.ts:${line}:\\d+: schema\\.columns\\[1\\]\\.type: decimal precision must be 1\\.\\.38, got decimal\\(40,2\\)`,
      ),
    );
    // The broken domain's stand-in stack holds nothing that could deploy.
    const sales = JSON.parse(fs.readFileSync(path.join(project, 'cdk.out', 'Mesh-Sales.template.json'), 'utf8'));
    expect(sales.Resources ?? {}).toEqual({});
    // Customers reads sales/orders (healthy), not revenue_metrics: it still synthesizes. Marketing reads
    // revenue_metrics: it cannot be built honestly and fails, naming the file to fix.
    expect(cdk(project, 'synth', 'Mesh-Customers', '--quiet').code).toBe(0);
    const consumer = cdk(project, 'synth', 'Mesh-Marketing', '--quiet');
    expect(consumer.code).toBe(1);
    expect(consumer.stderr).toContain(
      '"sales/revenue_metrics@2" cannot be resolved: domains/sales/products/revenue_metrics.ts has definition problems',
    );
  });

  test('-c domain=<unknown> is one clear line', () => {
    const { code, stderr } = cdk(copyExampleProject(), 'synth', '-c', 'domain=nope', '--quiet');
    expect(code).not.toBe(0);
    expect(stderr).toContain('-c domain=nope: no such domain (domains: customers, fulfillment, marketing, sales)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
