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

  test('a definition mistake stops cdk synth with file, field and message, and nothing is synthesized', () => {
    const project = copyExampleProject();
    const file = path.join(project, 'domains', 'sales', 'products', 'revenue_metrics.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("type: 'decimal(14,2)'", "type: 'decimal(40,2)'"));
    const { code, stderr } = cdk(project, 'synth', '--quiet');
    expect(code).toBe(1);
    expect(stderr).toContain(
      'domains/sales/products/revenue_metrics.ts:schema.columns[1].type: decimal precision must be 1..38, got decimal(40,2)',
    );
    expect(fs.existsSync(path.join(project, 'cdk.out', 'Mesh-Sales.template.json'))).toBe(false);
  });
});
