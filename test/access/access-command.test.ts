import { registerAccessCommand } from '../../bin/commands/access';
import { runCommand } from '../cli/support/run-command';
import { bucketPolicyBlowingMesh } from './support/quota-meshes';
import { PROJECT_ROOT } from './support/synth-mesh';
import { removeTempProject, writeTempProject } from './support/temp-project';

/** `mesh --root <root> <args>` with the access command registered, in-process. */
function run(root: string, ...args: string[]) {
  return runCommand([registerAccessCommand], ['--root', root, ...args]);
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
