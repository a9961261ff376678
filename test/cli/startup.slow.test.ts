import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProjectRoot } from '../../bin/commands/shared';
import { PROJECT_ROOT } from '../support/temp-project';
import { runCli } from './support/run-command';

/** Packages no command should need just to be listed: each costs from 0.1 s to seconds to load. */
const HEAVY = [
  'aws-cdk-lib',
  'constructs',
  '@aws-sdk',
  '@smithy',
  'zod',
  'yaml',
  'ajv',
  '@duckdb',
  'typescript',
  'semver',
  '@cloud-copilot',
];

/** The modules a CLI run loaded, relative to the project (node_modules packages by name). */
function modulesLoadedBy(args: readonly string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-modules-'));
  const out = path.join(dir, 'modules.json');
  const trace = path.join(dir, 'trace.cjs');
  fs.writeFileSync(
    trace,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  try {
    const result = spawnSync(
      process.execPath,
      ['--require', trace, path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), ...args],
      {
        encoding: 'utf8',
        cwd: PROJECT_ROOT,
      },
    );
    expect(result.status).toBe(0);
    const files = JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
    return files.map((file) => {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      return pkg ? pkg[1] : path.relative(PROJECT_ROOT, file);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up', () => {
  test('mesh --help loads the command modules and commander, none of the platform or its SDKs', () => {
    const loaded = [...new Set(modulesLoadedBy(['--help']))];
    expect(loaded.filter((m) => m.startsWith('lib/') || m.startsWith('constructs/'))).toEqual([]);
    expect(loaded.filter((m) => HEAVY.some((h) => m === h || m.startsWith(`${h}/`)))).toEqual([]);
    expect(loaded).toContain('commander');
  });

  test('the precompiled CLI prints what the sources run through tsx print', () => {
    const precompiled = runCli(['--help']);
    const sources = spawnSync(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), path.join(PROJECT_ROOT, 'bin', 'mesh.ts'), '--help'],
      { encoding: 'utf8', cwd: PROJECT_ROOT },
    );
    expect(precompiled.code).toBe(0);
    expect(precompiled.stdout).toBe(sources.stdout);
    const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'mesh');
    expect(fs.readdirSync(cache).some((f) => /^cli-[0-9a-f]{16}\.cjs$/.test(f))).toBe(true);
  });

  test('mesh --version prints the platform version; a command’s --version stays its own', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(runCli(['check', 'sales/orders', '--version', '7', '--local', 'x.csv'])).toMatchObject({
      code: 2,
      stderr: 'mesh check: sales/orders has no live major 7 (live: v2, v1)\n',
    });
  });
});

describe('exit codes and pipes', () => {
  test('a command-line mistake could not run: exit 2, with the error and the usage', () => {
    const { code, stderr } = runCli(['list', '--no-such-option']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: unknown option '--no-such-option'\n/);
    expect(stderr).toContain('Usage: mesh list [options]');
  });

  test('a reader that stops early (mesh sample --out - | head -c 100) is not an error', () => {
    // Megabytes of rows: more than a pipe holds, so the writes after head exits meet a closed pipe.
    const sample = `"${process.execPath}" bin/mesh.cjs sample sales/orders --rows 200000 --format csv --out -`;
    const result = spawnSync('sh', ['-c', `${sample} | head -c 100`], { encoding: 'utf8', cwd: PROJECT_ROOT });
    expect(result.stdout).toMatch(/^order_id,customer_id,/);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('the project root', () => {
  test('is the nearest folder above the working directory with cdk.json', () => {
    expect(findProjectRoot(path.join(PROJECT_ROOT, 'domains', 'sales', 'products'))).toBe(PROJECT_ROOT);
    expect(findProjectRoot(PROJECT_ROOT)).toBe(PROJECT_ROOT);
  });

  test('commands run from a folder inside the project', () => {
    const { code, stdout } = runCli(['list', '--domain', 'sales', '--json'], {
      cwd: path.join(PROJECT_ROOT, 'domains', 'sales', 'products'),
    });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { id: string }[]).map((e) => e.id)).toEqual([
      'sales/orders',
      'sales/revenue_metrics',
    ]);
  });

  test('outside any project: exit 2, naming the folder and --root', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-outside-'));
    try {
      expect(findProjectRoot(outside)).toBeUndefined();
      const { code, stderr } = runCli(['validate'], { cwd: outside });
      expect({ code, stderr }).toEqual({
        code: 2,
        stderr: `mesh: no cdk.json in ${fs.realpathSync(outside)} or any folder above it: run mesh inside a mesh project, or pass --root <dir>\n`,
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
