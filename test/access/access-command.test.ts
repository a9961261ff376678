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

describe('mesh access verify --live in a mesh spread over accounts', () => {
  const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
  const { IAMClient, SimulatePrincipalPolicyCommand } =
    require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
  const { threeAccountMesh, PROD_MARKETING } =
    require('../support/three-account-mesh') as typeof import('../support/three-account-mesh');
  const iam = mockClient(IAMClient);
  const root = threeAccountMesh();
  const before = process.env.MESH_STAGE;
  beforeEach(() => {
    iam.reset();
    process.env.MESH_STAGE = 'prod';
    // IAM's answer for every action × resource asked, as SimulatePrincipalPolicy returns it.
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
      EvaluationResults: (input.ActionNames ?? []).flatMap((action: string) =>
        (input.ResourceArns ?? []).map((resource: string) => ({
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: 'implicitDeny',
        })),
      ),
      IsTruncated: false,
      $metadata: {},
    }));
  });
  afterAll(() => {
    if (before === undefined) delete process.env.MESH_STAGE;
    else process.env.MESH_STAGE = before;
  });
  const live = (...args: string[]) =>
    run(root, 'access', 'verify', '--live', '--region', 'eu-west-1', '--json', ...args);

  test("asks IAM only about the roles of the calling account's domain, reads of other accounts included", async () => {
    const { stdout, exitCode } = await live('--account', PROD_MARKETING);
    const principals = new Set(
      iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn),
    );
    expect([...principals].sort()).toEqual([
      `arn:aws:iam::${PROD_MARKETING}:role/acme-marketing-consumer`,
      `arn:aws:iam::${PROD_MARKETING}:role/acme-marketing-producer`,
      // The execution role of marketing/reach's scheduled check.
      `arn:aws:iam::${PROD_MARKETING}:role/acme-marketing.run.reach-v1`,
    ]);
    const report = JSON.parse(stdout) as {
      account: string;
      checks: number;
      crossAccount: number;
      missingAllows: unknown[];
    };
    expect(report.account).toBe(PROD_MARKETING);
    expect(report.crossAccount).toBeGreaterThan(0);
    // Every read was answered "implicitDeny" here, so the reads marketing declares are reported missing.
    expect(report.missingAllows.length).toBeGreaterThan(0);
    expect(exitCode).toBe(1);
  });

  test('an account no domain lives in, or a domain of another account, is refused before IAM is called', async () => {
    await expect(live('--account', '999999999999')).rejects.toThrow(
      "no domain of this mesh (stage prod) lives in account 999999999999; run once per account with that account's --profile and --account (222222222222: sales; 333333333333: customers; 444444444444: marketing)",
    );
    await expect(live('--account', PROD_MARKETING, '--domain', 'sales')).rejects.toThrow(
      'sales lives in another account than 444444444444',
    );
    expect(iam.calls()).toHaveLength(0);
  });
});
