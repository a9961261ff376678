/**
 * The live verification up to the SDK boundary: IAM's SimulatePrincipalPolicy is mocked with the shapes it
 * really returns (EvaluationResults with MatchedStatements, ResourceSpecificResults, IsTruncated/Marker
 * pages, Throttling errors, NoSuchEntity for a role that is not deployed).
 */
import {
  type EvaluationResult,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import {
  IamPrincipalPolicySimulator,
  isThrottling,
  LiveAccessEvaluator,
  resultsOf,
} from '../../lib/access/verify/live-iam';
import { buildAccessMatrix, CORE_ACCESS_KINDS } from '../../lib/access/verify/matrix';
import { formatVerifyReport, isClean, verifyAccess } from '../../lib/access/verify/verify';
import { loadMesh } from '../../lib/mesh/load';
import { PROJECT_ROOT, TEST_ENV } from './support/synth-mesh';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const ROLE = 'arn:aws:iam::111111111111:role/acme-marketing-consumer';
const OBJECT = (product: string) =>
  `arn:aws:s3:::acme-sales-data-111111111111-eu-west-1/products/${product}/part-00000.parquet`;

/** One EvaluationResult as IAM returns it for a single resource. */
function evaluation(
  action: string,
  resource: string,
  decision: 'allowed' | 'implicitDeny' | 'explicitDeny',
): EvaluationResult {
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision,
    MatchedStatements:
      decision === 'allowed'
        ? [
            {
              SourcePolicyId: 'acme-marketing-inputs-1',
              SourcePolicyType: 'user-managed',
              StartPosition: { Line: 1, Column: 41 },
              EndPosition: { Line: 1, Column: 312 },
            },
          ]
        : [],
    MissingContextValues: [],
    OrganizationsDecisionDetail: { AllowedByOrganizations: true },
    EvalDecisionDetails: {},
  };
}

const throttling = () =>
  new IAMServiceException({
    name: 'Throttling',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
  });

function simulator(options: { sleeps?: number[]; pageSize?: number; maxAttempts?: number } = {}) {
  return new IamPrincipalPolicySimulator(new IAMClient({ region: 'eu-west-1' }), {
    pageSize: options.pageSize,
    maxAttempts: options.maxAttempts,
    sleep: async (ms) => {
      options.sleeps?.push(ms);
    },
  });
}

describe('IamPrincipalPolicySimulator', () => {
  test('pages through IsTruncated/Marker and returns every result', async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .resolvesOnce({
        EvaluationResults: [evaluation('s3:GetObject', OBJECT('orders/v2'), 'allowed')],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .resolvesOnce({
        EvaluationResults: [evaluation('s3:GetObject', OBJECT('orders/v1'), 'implicitDeny')],
        IsTruncated: false,
      });
    const results = await simulator({ pageSize: 1 }).simulate({
      principalArn: ROLE,
      actions: ['s3:GetObject'],
      resources: [OBJECT('orders/v2'), OBJECT('orders/v1')],
    });
    expect(results).toEqual([
      { action: 's3:GetObject', resource: OBJECT('orders/v2'), decision: 'allowed' },
      { action: 's3:GetObject', resource: OBJECT('orders/v1'), decision: 'implicitDeny' },
    ]);
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ PolicySourceArn: ROLE, MaxItems: 1, Marker: undefined });
    expect(calls[1]).toMatchObject({ Marker: 'page-2' });
  });

  test('backs off and retries when IAM throttles', async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolvesOnce({
        EvaluationResults: [evaluation('glue:GetTable', 'arn:aws:glue:eu-west-1:1:table/d/t', 'allowed')],
      });
    const sleeps: number[] = [];
    const results = await simulator({ sleeps }).simulate({
      principalArn: ROLE,
      actions: ['glue:GetTable'],
      resources: ['arn:aws:glue:eu-west-1:1:table/d/t'],
    });
    expect(results.map((r) => r.decision)).toEqual(['allowed']);
    expect(sleeps).toEqual([250, 500]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(3);
  });

  test('gives up after the last attempt and surfaces the throttling error', async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(throttling());
    await expect(
      simulator({ maxAttempts: 3 }).simulate({
        principalArn: ROLE,
        actions: ['s3:GetObject'],
        resources: [OBJECT('x/v1')],
      }),
    ).rejects.toThrow('Rate exceeded');
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(3);
  });

  test('does not retry errors other than throttling', async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(new InvalidInputException({ message: 'Invalid ARN', $metadata: { httpStatusCode: 400 } }));
    await expect(
      simulator().simulate({ principalArn: ROLE, actions: ['s3:GetObject'], resources: ['not-an-arn'] }),
    ).rejects.toThrow('Invalid ARN');
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
  });

  test('sends context entries with IAM’s types (a prefix is a string, aliases a string list)', async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [] });
    await simulator().simulate({
      principalArn: ROLE,
      actions: ['kms:Decrypt'],
      resources: ['arn:aws:kms:eu-west-1:1:key/k'],
      context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:ResourceAliases': ['alias/acme/sales'] },
    });
    const input = iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0]
      .input as SimulatePrincipalPolicyCommandInput;
    expect(input.ContextEntries).toEqual([
      { ContextKeyName: 'kms:ViaService', ContextKeyValues: ['s3.eu-west-1.amazonaws.com'], ContextKeyType: 'string' },
      { ContextKeyName: 'kms:ResourceAliases', ContextKeyValues: ['alias/acme/sales'], ContextKeyType: 'stringList' },
    ]);
  });

  test('reads per-resource results when IAM nests them under ResourceSpecificResults', () => {
    expect(
      resultsOf({
        EvalActionName: 's3:GetObject',
        EvalResourceName: '*',
        EvalDecision: 'implicitDeny',
        ResourceSpecificResults: [
          { EvalResourceName: OBJECT('orders/v2'), EvalResourceDecision: 'allowed', MatchedStatements: [] },
          { EvalResourceName: OBJECT('orders/v1'), EvalResourceDecision: 'explicitDeny', MatchedStatements: [] },
        ],
      }),
    ).toEqual([
      { action: 's3:GetObject', resource: OBJECT('orders/v2'), decision: 'allowed' },
      { action: 's3:GetObject', resource: OBJECT('orders/v1'), decision: 'explicitDeny' },
    ]);
  });

  test('recognises throttling by name, status or the SDK’s retry hint', () => {
    expect(isThrottling(throttling())).toBe(true);
    expect(isThrottling({ name: 'SlowDown', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottling(new InvalidInputException({ message: 'no', $metadata: {} }))).toBe(false);
  });
});

describe('LiveAccessEvaluator on the example mesh', () => {
  const mesh = loadMesh({ root: PROJECT_ROOT });
  const checks = buildAccessMatrix(mesh, { env: TEST_ENV, kinds: CORE_ACCESS_KINDS });
  /** IAM answering as the definitions say, except where `override` decides. */
  const answerAsDeclared = (override?: (role: string, action: string, resource: string) => boolean | undefined) =>
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
      EvaluationResults: (input.ActionNames ?? []).flatMap((action) =>
        (input.ResourceArns ?? []).map((resource) => {
          const declared = checks.find(
            (c) => c.role.arn === input.PolicySourceArn && c.action === action && c.resource === resource,
          )?.expected;
          const allowed = override?.(input.PolicySourceArn ?? '', action, resource) ?? declared;
          return evaluation(action, resource, allowed ? 'allowed' : 'implicitDeny');
        }),
      ),
      IsTruncated: false,
    }));

  test('asks once per role for object reads and writes together, once for tables, in chunks', async () => {
    answerAsDeclared();
    const report = await verifyAccess(checks, new LiveAccessEvaluator(simulator(), { resourcesPerCall: 4 }));
    expect(isClean(report)).toBe(true);
    // 8 domain roles and 11 execution roles × 17 product versions × object read, write and table read.
    expect(report.checks).toBe(19 * 17 * 3);
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input);
    // 19 roles × (17 objects in chunks of 4 → 5 calls + 17 tables → 5 calls)
    expect(calls).toHaveLength(19 * 10);
    expect(calls.filter((c) => c.ActionNames?.join() === 's3:GetObject,s3:PutObject')).toHaveLength(19 * 5);
    for (const call of calls) expect(call.ResourceArns!.length).toBeLessThanOrEqual(4);
  });

  test('reports an unexpected allow IAM finds', async () => {
    answerAsDeclared((role, action, resource) =>
      role.endsWith('acme-sales-consumer') && action === 's3:GetObject' && resource.includes('customer_profiles')
        ? true
        : undefined,
    );
    const report = await verifyAccess(checks, new LiveAccessEvaluator(simulator()));
    expect(report.unexpectedAllows.map((m) => `${m.check.role.name} ${m.check.action} ${m.check.target}`)).toEqual([
      'acme-sales-consumer s3:GetObject customers/customer_profiles@1',
    ]);
    expect(formatVerifyReport(report)).toContain(
      'unexpected allows: 1\n  acme-sales-consumer s3:GetObject customers/customer_profiles@1',
    );
  });

  test('a role that is not deployed is reported as not evaluated, not as denied', async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
      // The domain's two roles and its execution roles (acme-fulfillment.run.…).
      if (input.PolicySourceArn?.includes(':role/acme-fulfillment')) {
        throw new NoSuchEntityException({
          message: `The role with name ${input.PolicySourceArn} cannot be found.`,
          $metadata: {},
        });
      }
      return { EvaluationResults: [] };
    });
    const report = await verifyAccess(
      checks.filter((c) => c.role.domain === 'fulfillment'),
      new LiveAccessEvaluator(simulator()),
    );
    // 2 domain roles and 3 execution roles × 17 product versions × 3 checks.
    expect(report.errors).toHaveLength(5 * 17 * 3);
    expect(report.errors[0].outcome).toEqual({ error: 'role not found (is the domain stack deployed?)' });
  });
});
