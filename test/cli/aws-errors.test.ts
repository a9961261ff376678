import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AthenaClient, StartQueryExecutionCommand, TooManyRequestsException } from '@aws-sdk/client-athena';
import {
  AccessDeniedException,
  GetTableCommand,
  GlueClient,
  type GlueClientConfig,
  GlueServiceException,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { IAMClient, IAMServiceException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { registerAccessCommand } from '../../bin/commands/access';
import { AWS_MAX_ATTEMPTS, awsClientConfig } from '../../bin/commands/aws';
import { describeAwsError } from '../../bin/commands/aws-errors';
import { registerCatalogCommands } from '../../bin/commands/catalog';
import { registerCheckCommand } from '../../bin/commands/check';
import { CommandError } from '../../bin/commands/shared';
import { PROJECT_ROOT } from '../support/temp-project';
import { envWithoutAws, runCli, runCommand } from './support/run-command';

const DENIED_MESSAGE =
  'User: arn:aws:sts::111111111111:assumed-role/analyst/me is not authorized to perform: glue:GetTable on resource: arn:aws:glue:eu-west-1:111111111111:catalog';
const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'r-1', attempts: AWS_MAX_ATTEMPTS });

/** Runs `call` with the process environment of `envWithoutAws`, as the real SDK would see it. */
async function withoutAws<T>(call: () => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-no-aws-'));
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, envWithoutAws(dir));
  try {
    return await call();
  } finally {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the real SDK throws for a call, with nothing mocked. */
async function realSdkError(config: GlueClientConfig): Promise<unknown> {
  return withoutAws(() =>
    new GlueClient(config).send(new GetTableCommand({ DatabaseName: 'd', Name: 't' })).then(
      () => undefined,
      (err: unknown) => err,
    ),
  );
}

describe('describeAwsError', () => {
  test('no region: the SDK’s own error asks for --region', async () => {
    const error = await realSdkError({});
    expect((error as Error).message).toBe('Region is missing');
    expect(describeAwsError(error)).toEqual({
      failure: 'no-region',
      message: 'no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile in ~/.aws/config',
    });
  });

  test('no credentials: the credential chain’s CredentialsProviderError says how to sign in, with the profile', async () => {
    const error = await realSdkError({ region: 'eu-west-1', maxAttempts: 1 });
    expect((error as Error).name).toBe('CredentialsProviderError');
    const described = describeAwsError(error, { profile: 'analytics' });
    expect(described?.failure).toBe('no-credentials');
    expect(described?.message).toMatch(
      /^no AWS credentials for profile "analytics" \(CredentialsProviderError: .+\): sign in \(aws sso login --profile analytics\)/,
    );
  });

  test('access denied: the service’s message (who, which action) and what to do', () => {
    const error = new AccessDeniedException({ message: DENIED_MESSAGE, $metadata: metadata(403) });
    expect(describeAwsError(error, { service: 'Glue', region: 'eu-west-1' })).toEqual({
      failure: 'access-denied',
      message: `Glue denied the request in eu-west-1 (AccessDeniedException: ${DENIED_MESSAGE}): use a role that is allowed it (--profile <name>), or ask the platform team to grant the action named above`,
    });
    // IAM's query protocol names it AccessDenied and has no modeled class for it.
    const iam = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'not authorized to perform: iam:SimulatePrincipalPolicy',
      $metadata: metadata(403),
    });
    expect(describeAwsError(iam, { service: 'IAM' })?.failure).toBe('access-denied');
  });

  test('throttled, after the SDK’s retries: Glue, Athena and IAM names', () => {
    const glue = new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata(400) });
    expect(describeAwsError(glue, { service: 'Glue' })?.message).toBe(
      "Glue kept throttling the requests after the SDK's adaptive retries (ThrottlingException: Rate exceeded): try again in a few minutes, or narrow the command (fewer domains or products)",
    );
    const athena = new TooManyRequestsException({ message: 'Too many requests', $metadata: metadata(400) });
    expect(describeAwsError(athena)?.failure).toBe('throttled');
    const iam = new IAMServiceException({
      name: 'Throttling',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: metadata(400),
    });
    expect(describeAwsError(iam)?.failure).toBe('throttled');
  });

  test('expired credentials are told apart from missing ones', () => {
    const expired = new GlueServiceException({
      name: 'ExpiredTokenException',
      $fault: 'client',
      message: 'The security token included in the request is expired',
      $metadata: metadata(400),
    });
    expect(describeAwsError(expired, { service: 'Glue' })?.message).toMatch(
      /^Glue rejected the AWS credentials as expired or invalid \(ExpiredTokenException: .+\): refresh them \(aws sso login\)/,
    );
  });

  test('other errors are left to the caller', () => {
    const notFound = new GlueServiceException({
      name: 'EntityNotFoundException',
      $fault: 'client',
      message: 'Table t not found',
      $metadata: metadata(400),
    });
    expect(describeAwsError(notFound)).toBeUndefined();
    expect(describeAwsError(new Error('boom'))).toBeUndefined();
    expect(describeAwsError('text')).toBeUndefined();
  });
});

test('every client gets --region, --profile and the adaptive retry mode', async () => {
  const client = new GlueClient(awsClientConfig({ region: 'eu-central-1', profile: 'analytics' }));
  expect(await client.config.region()).toBe('eu-central-1');
  expect(client.config.profile).toBe('analytics');
  expect(await client.config.maxAttempts()).toBe(AWS_MAX_ATTEMPTS);
  expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  expect(awsClientConfig({})).toEqual({ maxAttempts: AWS_MAX_ATTEMPTS, retryMode: 'adaptive' });
});

describe('live commands turn SDK failures into one actionable error', () => {
  // Mocked only here: the tests above need the real clients.
  let glue: ReturnType<typeof mockClient>;
  let athena: ReturnType<typeof mockClient>;
  let iam: ReturnType<typeof mockClient>;
  beforeAll(() => {
    glue = mockClient(GlueClient);
    athena = mockClient(AthenaClient);
    iam = mockClient(IAMClient);
  });
  afterEach(() => {
    glue.reset();
    athena.reset();
    iam.reset();
  });
  afterAll(() => {
    glue.restore();
    athena.restore();
    iam.restore();
  });

  test('mesh show --live: access denied by Glue', async () => {
    glue.on(GetTableCommand).rejects(new AccessDeniedException({ message: DENIED_MESSAGE, $metadata: metadata(403) }));
    const run = runCommand(
      [registerCatalogCommands],
      ['--root', PROJECT_ROOT, 'show', 'sales/orders', '--live', '--region', 'eu-west-1'],
    );
    await expect(run).rejects.toThrow(CommandError);
    await expect(run).rejects.toThrow(
      `Glue denied the request in eu-west-1 (AccessDeniedException: ${DENIED_MESSAGE})`,
    );
  });

  test('mesh check on Athena: throttled past the SDK’s retries ends the check with exit 2, not a failed rule', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Too many requests', $metadata: metadata(400) }));
    const { stderr, exitCode } = await runCommand(
      [registerCheckCommand],
      ['--root', PROJECT_ROOT, 'check', 'sales/orders', '--region', 'eu-west-1', '--profile', 'analytics'],
    );
    expect(exitCode).toBe(2);
    expect(stderr).toContain(
      "mesh check: Athena kept throttling the requests after the SDK's adaptive retries (TooManyRequestsException: Too many requests)",
    );
    // The runner's own throttling retries are off: the SDK's adaptive mode already retried.
    expect(athena.commandCalls(StartQueryExecutionCommand).length).toBeLessThanOrEqual(2);
  });

  test('mesh access verify --live: IAM access denied stops after the first call', async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message:
          'User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized to perform: iam:SimulatePrincipalPolicy',
        $metadata: metadata(403),
      }),
    );
    const run = runCommand(
      [registerAccessCommand],
      [
        '--root',
        PROJECT_ROOT,
        'access',
        'verify',
        '--live',
        '--account',
        '111111111111',
        '--region',
        'eu-west-1',
        '--json',
      ],
    );
    await expect(run).rejects.toThrow(
      /^IAM denied the request in eu-west-1 \(AccessDenied: User: .+iam:SimulatePrincipalPolicy\)/,
    );
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
  });
});

describe('through bin/mesh.cjs, with the real SDK and no AWS configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cli-no-aws-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('no region: exit 2 and what to pass', () => {
    const { code, stderr } = runCli(['show', 'sales/orders', '--live'], { env: envWithoutAws(dir) });
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'mesh: no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile in ~/.aws/config\n',
    });
  });

  test('no credentials: exit 2 and how to sign in', () => {
    const { code, stderr } = runCli(
      ['access', 'verify', '--live', '--account', '111111111111', '--region', 'eu-west-1', '--json'],
      { env: envWithoutAws(dir) },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^mesh: no AWS credentials \(CredentialsProviderError: .+\): sign in \(aws sso login\)/m);
  });
});
