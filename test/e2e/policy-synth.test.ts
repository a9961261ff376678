/**
 * END-TO-END (slow, ~20 s): runs the real `npx cdk synth` on a copy of the example project with one product
 * breaking a rule. The broken domain's synth exits 1 naming the rule, the product file and the fix; another
 * domain's stack still synthesizes (annotations block only the selected stacks).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../policies/support/apps';

const PRODUCT = path.join('domains', 'sales', 'products', 'revenue_metrics.ts');

/** A copy of the project: its own domains/, cdk.json and bin/; the platform's code and packages linked. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-e2e-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'domains'), path.join(dir, 'domains'), { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'cdk.json'), path.join(dir, 'cdk.json'));
  for (const linked of ['lib', 'constructs', 'node_modules']) {
    fs.symlinkSync(path.join(PROJECT_ROOT, linked), path.join(dir, linked), 'dir');
  }
  return dir;
}

function synth(dir: string, ...stacks: string[]): { status: number | null; output: string } {
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', ...stacks], {
    cwd: dir,
    encoding: 'utf8',
    // The built-in CloudFormation validator costs seconds and is not what this test is about.
    env: { ...process.env, CDK_VALIDATION: 'false' },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('cdk synth with governance (end-to-end)', () => {
  let dir: string;

  beforeAll(() => {
    dir = copyProject();
    const file = path.join(dir, PRODUCT);
    const source = fs.readFileSync(file, 'utf8');
    // The current major's column (v1, under previousVersions, has a description of its own).
    const broken = source.replace("description: 'Sales orders placed that day.', ", '');
    expect(broken).not.toBe(source);
    fs.writeFileSync(file, broken);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a product that breaks a rule fails the synth, naming rule, file and fix', () => {
    const { status, output } = synth(dir);
    // On failure, show what the CLI said.
    expect({ status, output: output.slice(-3000) }).toEqual({ status: 1, output: expect.any(String) });
    expect(output).toContain(
      '[MESH-PROD-003[Column::order_count]] domains/sales/products/revenue_metrics.ts: column "order_count" has no description. Fix: add description to schema.columns[4].',
    );
    expect(output).toMatch(/Mesh-Sales: \d+ rules × \d+ resources \+ \d+ definitions, [1-9]\d* errors?/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Mesh-Sales.policy-report.json'), 'utf8'));
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('MESH-PROD-003');
  }, 120_000);

  test("another domain's stack still synthesizes, warnings and all", () => {
    // Mesh-Customers has warnings of its own; the error in Mesh-Sales must not fail it.
    const { status, output } = synth(dir, 'Mesh-Customers');
    expect(output).not.toContain('[MESH-PROD-003');
    expect({ status, output: output.slice(-3000) }).toEqual({ status: 0, output: expect.any(String) });
  }, 120_000);
});
