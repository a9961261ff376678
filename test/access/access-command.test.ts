import { Command } from 'commander';
import { registerAccessCommand } from '../../bin/commands/access';
import { bucketPolicyBlowingMesh } from './support/quota-meshes';
import { PROJECT_ROOT } from './support/synth-mesh';
import { removeTempProject, writeTempProject } from './support/temp-project';

async function run(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command().option('-C, --root <dir>', 'root', process.cwd()).exitOverride();
    registerAccessCommand(program);
    await program.parseAsync(['node', 'mesh', '--root', root, ...args]);
    return { stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = previousExitCode;
  }
}

describe('mesh access', () => {
  test('sizes lists every domain’s access policies against the quotas', async () => {
    const { stdout, exitCode } = await run(PROJECT_ROOT, 'access', 'sizes');
    expect(exitCode).toBeUndefined();
    expect(stdout).toMatch(
      /^domain\s+inputs\s+from domains\s+input policies\s+largest policy chars\s+bucket policy bytes/,
    );
    expect(stdout).toMatch(/marketing\s+3\s+2\s+1\/10\s+\d+\/6144\s+\d+\/20480\s+\d+\/32768/);
  });

  test('sizes fails with the quota problem, naming the domain file', async () => {
    const root = writeTempProject(bucketPolicyBlowingMesh());
    try {
      const { stderr, exitCode } = await run(root, 'access', 'sizes');
      expect(exitCode).toBe(1);
      expect(stderr).toMatch(
        /^domains\/hub\/domain.ts: the data bucket policy of domain "hub" would reach \d+ bytes; S3 allows 20480/,
      );
    } finally {
      removeTempProject(root);
    }
  });

  // The offline run itself (a synth and the simulation, in a child process) is tested in test/cli/access-verify.test.ts.
  test('verify without --live prints text only: --json is refused before anything runs', async () => {
    await expect(run(PROJECT_ROOT, 'access', 'verify', '--json')).rejects.toThrow('--json needs --live');
  });
});
