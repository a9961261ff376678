/**
 * END-TO-END (slow): the real CDK CLI and the real `mesh` CLI in a copy of the example project. `cdk synth`
 * into a folder, `mesh gate` on it (exit 0, 1 once a template is edited, 2 without an assembly), and
 * `mesh deploy` through synth and gate up to `cdk deploy --app`, which fails here for want of AWS
 * credentials (every AWS_* variable is removed and the credential files point nowhere, so nothing can
 * deploy from this test).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExampleProject, PROJECT_ROOT } from '../support/temp-project';

const MESH = path.join(PROJECT_ROOT, 'bin', 'mesh.cjs');
const CDK = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk');

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
  const nowhere = path.join(os.tmpdir(), 'mesh-e2e-no-aws');
  return {
    ...env,
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function run(cwd: string, file: string, args: readonly string[]) {
  const result = spawnSync(file === MESH ? process.execPath : file, file === MESH ? [MESH, ...args] : args, {
    cwd,
    env: environment(),
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('mesh gate and mesh deploy with the real CLIs', () => {
  let root: string;
  let assembly: string;

  beforeAll(() => {
    root = copyExampleProject();
    assembly = path.join(root, 'synthesized');
    const synth = run(root, CDK, ['synth', '--quiet', '--no-notices', '--output', assembly]);
    expect({ code: synth.code, out: synth.out.slice(-2000) }).toEqual({ code: 0, out: expect.any(String) });
  }, 240_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('the assembly cdk synth wrote passes the gate', () => {
    const gate = run(root, MESH, ['gate', assembly]);
    expect({ code: gate.code, out: gate.out.slice(-3000) }).toEqual({ code: 0, out: expect.any(String) });
    expect(gate.out).toMatch(/^✔ Mesh-Sales: .*; the report matches \(1 template\)$/m);
    expect(gate.out).toContain('Gate passed: 4 stacks checked again from the assembly');
  }, 120_000);

  test('a template edited after synth fails the gate (exit 1); no assembly cannot be gated (exit 2)', () => {
    const file = path.join(assembly, 'Mesh-Marketing.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const resource of Object.values(template.Resources) as { Type: string; DeletionPolicy?: string }[]) {
      if (resource.Type === 'AWS::KMS::Key') resource.DeletionPolicy = 'Delete';
    }
    fs.writeFileSync(file, JSON.stringify(template));
    const gate = run(root, MESH, ['gate', assembly, '--json']);
    expect(gate.code).toBe(1);
    const result = JSON.parse(gate.out) as { stacks: { stack: string; verdict: string; errors: string[] }[] };
    expect(result.stacks.map((s) => [s.stack, s.verdict])).toEqual([
      ['Mesh-Customers', 'pass'],
      ['Mesh-Fulfillment', 'pass'],
      ['Mesh-Marketing', 'fail'],
      ['Mesh-Sales', 'pass'],
    ]);
    expect(result.stacks[2].errors.join('\n')).toContain(
      '[MESH-STATE-001[DeletionPolicy]] domains/marketing/domain.ts',
    );

    const missing = run(root, MESH, ['gate', path.join(root, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/mesh gate: .*manifest\.json is missing/);
  }, 120_000);

  test('mesh deploy --dry-run prints the synth, gate and deploy commands', () => {
    const dry = run(root, MESH, [
      'deploy',
      'sales',
      '--dry-run',
      '--output',
      'gated',
      '--',
      '--require-approval',
      'never',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.out.trim().split('\n')).toEqual([
      'npx cdk synth Mesh-Sales -c domain=sales --output gated --quiet',
      'npx mesh gate gated --stack Mesh-Sales',
      'npx cdk deploy --app gated Mesh-Sales --require-approval never',
    ]);
  }, 60_000);

  test('mesh deploy synthesizes, gates, then hands the gated folder to cdk deploy --app', () => {
    const output = path.join(root, 'gated-sales');
    const deploy = run(root, MESH, ['deploy', 'sales', '--output', output, '--', '--require-approval', 'never']);
    expect(deploy.out).toContain(`1/3 synth: npx cdk synth Mesh-Sales -c domain=sales --output ${output} --quiet`);
    expect(deploy.out).toMatch(/✔ Mesh-Sales: .*; the report matches/);
    expect(deploy.out).toContain(`3/3 deploy: npx cdk deploy --app ${output} Mesh-Sales --require-approval never`);
    // Only this domain was synthesized into the folder that was gated and handed to the deploy.
    expect(fs.readdirSync(output).filter((f) => f.endsWith('.template.json'))).toEqual(['Mesh-Sales.template.json']);
    // No credentials here: the CDK CLI stops at the AWS boundary.
    expect(deploy.code).toBe(1);
    expect(deploy.out).toContain('cdk deploy of Mesh-Sales failed');
  }, 240_000);
});
