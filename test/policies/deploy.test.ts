/**
 * `mesh deploy <domain>` up to the boundary of what needs an AWS account: the runner stands in for the CDK
 * CLI (it synthesizes in-process where `cdk synth --output` would, and records every command), so the tests
 * see that the gate runs on the very folder `cdk deploy --app` is then given, and that nothing deploys when
 * synth or the gate fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CommandRunner, GateError, planDeploy, runDeploy } from '../../lib/policies/gate';
import { exampleMesh, PROJECT_ROOT } from './support/apps';
import { editJson, logicalIdAt, synthesizeAssembly } from './support/assembly';

/** A runner that synthesizes like `cdk synth <stack> -c domain=<d> --output <dir>` and succeeds otherwise. */
function recordingRunner(afterSynth: (dir: string) => void = () => {}): { runner: CommandRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: CommandRunner = (argv, { cwd }) => {
    calls.push([...argv]);
    expect(cwd).toBe(PROJECT_ROOT);
    if (argv[2] === 'synth') {
      const outdir = argv[argv.indexOf('--output') + 1];
      const domain = argv[argv.indexOf('-c') + 1].replace(/^domain=/, '');
      synthesizeAssembly(exampleMesh(), { onlyDomain: domain, outdir });
      afterSynth(outdir);
    }
    return 0;
  };
  return { runner, calls };
}

function freshDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-deploy-test-'));
}

describe('mesh deploy', () => {
  test('plans synth into a folder, the gate on it, and cdk deploy --app of that folder', () => {
    expect(planDeploy(exampleMesh(), 'sales', '/out', ['--require-approval', 'never'])).toEqual({
      stack: 'Mesh-Sales',
      output: '/out',
      steps: [
        {
          name: 'synth',
          argv: ['npx', 'cdk', 'synth', 'Mesh-Sales', '-c', 'domain=sales', '--output', '/out', '--quiet'],
        },
        { name: 'gate', argv: ['npx', 'mesh', 'gate', '/out', '--stack', 'Mesh-Sales'] },
        {
          name: 'deploy',
          argv: ['npx', 'cdk', 'deploy', '--app', '/out', 'Mesh-Sales', '--require-approval', 'never'],
        },
      ],
    });
  });

  test('in a mesh with stages, every step names the stage, so the printed commands work without MESH_STAGE', () => {
    const mesh = exampleMesh();
    const staged = { ...mesh, config: { ...mesh.config, prefix: 'acmedev', stage: 'dev' } };
    expect(planDeploy(staged, 'sales', '/out').steps.map((s) => s.argv.join(' '))).toEqual([
      'npx cdk synth Mesh-Dev-Sales -c domain=sales -c stage=dev --output /out --quiet',
      'npx mesh --stage dev gate /out --stack Mesh-Dev-Sales',
      'npx cdk deploy --app /out Mesh-Dev-Sales',
    ]);
  });

  test('deploys exactly the assembly the gate passed', () => {
    const { runner, calls } = recordingRunner();
    const log: string[] = [];
    const outcome = runDeploy({
      root: PROJECT_ROOT,
      mesh: exampleMesh(),
      domain: 'sales',
      cdkArgs: ['--require-approval', 'never'],
      runner,
      log: (line) => log.push(line),
    });
    expect(outcome.exitCode).toBe(0);
    const output = outcome.plan!.output;
    // A fresh folder of its own: nothing else wrote there before the synth.
    expect(output.startsWith(path.join(os.tmpdir(), 'mesh-gated-sales-'))).toBe(true);
    expect(calls).toEqual([
      ['npx', 'cdk', 'synth', 'Mesh-Sales', '-c', 'domain=sales', '--output', output, '--quiet'],
      ['npx', 'cdk', 'deploy', '--app', output, 'Mesh-Sales', '--require-approval', 'never'],
    ]);
    expect(outcome.gate?.stacks.map((s) => [s.stack, s.verdict])).toEqual([['Mesh-Sales', 'pass']]);
    expect(log).toContainEqual(expect.stringMatching(/^✔ Mesh-Sales: .*the report matches/));
    expect(log.filter((l) => /^\d\/3 /.test(l)).map((l) => l.split(':')[0])).toEqual([
      '1/3 synth',
      '2/3 gate',
      '3/3 deploy',
    ]);
  });

  test('a template changed between synth and gate: the gate fails and nothing deploys', () => {
    const { runner, calls } = recordingRunner((dir) => {
      const bucket = logicalIdAt(dir, 'Mesh-Sales.template.json', 'Mesh-Sales/Domain/Data/Resource');
      editJson(dir, 'Mesh-Sales.template.json', (t) => {
        t.Resources[bucket].DeletionPolicy = 'Delete';
      });
    });
    const log: string[] = [];
    const outcome = runDeploy({
      root: PROJECT_ROOT,
      mesh: exampleMesh(),
      domain: 'sales',
      runner,
      log: (l) => log.push(l),
    });
    expect(outcome.exitCode).toBe(1);
    expect(calls.map((c) => c[2])).toEqual(['synth']);
    expect(log).toContainEqual(
      expect.stringMatching(/^tampering: Mesh-Sales Mesh-Sales\.template\.json \[MESH-STATE-001\]/),
    );
    expect(log[log.length - 1]).toBe(`\nMesh-Sales was not deployed: the gate failed on ${outcome.plan!.output}.`);
  });

  test('a failed synth stops before the gate', () => {
    const calls: string[][] = [];
    const outcome = runDeploy({
      root: PROJECT_ROOT,
      mesh: exampleMesh(),
      domain: 'sales',
      runner: (argv) => {
        calls.push([...argv]);
        return 1;
      },
      log: () => {},
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.gate).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  test('a failed cdk deploy is exit 1', () => {
    const { runner } = recordingRunner();
    const failingDeploy: CommandRunner = (argv, options) => (argv[2] === 'deploy' ? 3 : runner(argv, options));
    const outcome = runDeploy({
      root: PROJECT_ROOT,
      mesh: exampleMesh(),
      domain: 'customers',
      runner: failingDeploy,
      log: () => {},
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.gate?.passed).toBe(true);
  });

  test('a domain blocked by definition problems is neither synthesized nor deployed', () => {
    const { runner, calls } = recordingRunner();
    const log: string[] = [];
    const blocked = new Map([['sales', [{ file: 'domains/sales/domain.ts', path: 'owner', message: 'required' }]]]);
    const outcome = runDeploy({
      root: PROJECT_ROOT,
      mesh: exampleMesh(),
      blocked,
      domain: 'sales',
      runner,
      log: (l) => log.push(l),
    });
    expect(outcome.exitCode).toBe(1);
    expect(calls).toEqual([]);
    expect(log).toEqual([
      'domains/sales/domain.ts:owner: required',
      '\nsales has 1 definition problem(s); nothing was synthesized or deployed.',
    ]);
  });

  test('refuses an unknown domain and an output folder that is not empty', () => {
    const { runner, calls } = recordingRunner();
    expect(() => runDeploy({ root: PROJECT_ROOT, mesh: exampleMesh(), domain: 'nope', runner, log: () => {} })).toThrow(
      new GateError('no domain "nope" in the mesh (domains: customers, fulfillment, marketing, sales)'),
    );
    const used = freshDir();
    fs.writeFileSync(path.join(used, 'manifest.json'), '{}');
    expect(() =>
      runDeploy({ root: PROJECT_ROOT, mesh: exampleMesh(), domain: 'sales', output: used, runner, log: () => {} }),
    ).toThrow(/is not empty: the gate must see only what this synth writes; choose a new --output folder/);
    expect(calls).toEqual([]);
  });
});
