import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OFFLINE_SIMULATOR, OFFLINE_VERIFIER, verifyOffline } from '../../bin/commands/access';
import { CommandError } from '../../bin/commands/shared';
import { runCli } from '../cli/support/run-command';
import { PROJECT_ROOT } from '../support/temp-project';

jest.setTimeout(300_000);

test('mesh access verify runs the offline verification of the example mesh: exit 0, no mismatch', () => {
  const { code, stdout } = runCli(['access', 'verify'], { cwd: path.join(PROJECT_ROOT, 'domains') });
  expect(code).toBe(0);
  // Run from a subfolder: the project root is found upward and passed to the verifier.
  expect(stdout).toContain(PROJECT_ROOT);
  expect(stdout).toMatch(/^synthesized \d+ templates/m);
  expect(stdout).toMatch(/^unexpected allows: 0$/m);
  expect(stdout).toMatch(/^missing allows: 0$/m);
});

describe('verifyOffline', () => {
  /** A platform folder with (or without) the simulator package and a verifier that reports its arguments. */
  function fakePlatform(options: { simulator: boolean; verifier?: string }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-platform-'));
    if (options.simulator) {
      const pkg = path.join(dir, 'node_modules', ...OFFLINE_SIMULATOR.split('/'));
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: OFFLINE_SIMULATOR, main: 'index.js' }));
      fs.writeFileSync(path.join(pkg, 'index.js'), 'module.exports = {};\n');
    }
    if (options.verifier !== undefined) {
      fs.mkdirSync(path.dirname(path.join(dir, OFFLINE_VERIFIER)), { recursive: true });
      fs.writeFileSync(path.join(dir, OFFLINE_VERIFIER), options.verifier);
    }
    return dir;
  }
  const dirs: string[] = [];
  const platform = (options: { simulator: boolean; verifier?: string }) => {
    const dir = fakePlatform(options);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without the AGPL simulator installed: a CommandError that says what to install, or to use --live', () => {
    const run = () => verifyOffline(PROJECT_ROOT, {}, platform({ simulator: false, verifier: '' }));
    expect(run).toThrow(CommandError);
    expect(run).toThrow(
      `offline verification needs the development dependency ${OFFLINE_SIMULATOR} (AGPL-3.0, not part of the platform's runtime), which is not installed: run npm install without --omit=dev in the platform checkout, or verify the deployed roles with --live`,
    );
  });

  test('without the verifier script: a CommandError naming it', () => {
    expect(() => verifyOffline(PROJECT_ROOT, {}, platform({ simulator: true }))).toThrow(
      `offline verification runs ${OFFLINE_VERIFIER} of the platform checkout, which is missing here`,
    );
  });

  test('passes the project, account and region on; 0 and 1 are kept, anything else means it could not run', () => {
    const argsFile = path.join(os.tmpdir(), `mesh-verify-args-${process.pid}.json`);
    const verifier = (exit: number) =>
      `require('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(${exit});\n`;
    const options = { account: '222222222222', region: 'us-east-1' };
    try {
      expect(verifyOffline('/some/project', options, platform({ simulator: true, verifier: verifier(1) }))).toBe(1);
      expect(JSON.parse(fs.readFileSync(argsFile, 'utf8'))).toEqual([
        '--root',
        '/some/project',
        '--account',
        '222222222222',
        '--region',
        'us-east-1',
      ]);
      expect(verifyOffline('/p', {}, platform({ simulator: true, verifier: verifier(0) }))).toBe(0);
      expect(verifyOffline('/p', {}, platform({ simulator: true, verifier: verifier(7) }))).toBe(2);
    } finally {
      fs.rmSync(argsFile, { force: true });
    }
  });
});
