/**
 * The custom resource that keeps a domain's statements in its account's Glue catalog policy: it merges into
 * what is there (other domains, other stages, Lake Formation), writes only over the policy it read, retries
 * when someone wrote in between, takes out only its own statements on delete, and always answers
 * CloudFormation. Tested up to the SDK boundary with a mocked Glue client and Glue's real response shapes.
 */
import {
  ConcurrentModificationException,
  DeleteResourcePolicyCommand,
  EntityNotFoundException,
  GetResourcePolicyCommand,
  GlueClient,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';

const handler = require('../../lib/access/catalog-policy-handler/index.js') as {
  mergePolicy(current: string | undefined, owner: string, statements: object[]): string | null;
  applyStatements(glue: GlueClient, owner: string, statements: object[], options?: object): Promise<string>;
  handleEvent(event: object, glue: GlueClient, put: (url: string, body: string) => Promise<void>): Promise<void>;
};

const OWNER = 'MeshAcmeDSales';
const statement = (sid: string, account = '444444444444') => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: ['glue:GetTable'],
  Resource: ['arn:aws:glue:eu-west-1:222222222222:table/acme_sales/orders_v1'],
});
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** GetResourcePolicy's response, as Glue returns it. */
const stored = (json: string, hash = 'hash-1') => ({
  PolicyInJson: json,
  PolicyHash: hash,
  CreateTime: new Date('2026-11-01T10:00:00Z'),
  UpdateTime: new Date('2026-11-20T10:00:00Z'),
  $metadata: { httpStatusCode: 200 },
});
const notFound = () => new EntityNotFoundException({ message: 'Policy not found', $metadata: { httpStatusCode: 400 } });
const noSleep = { sleep: async () => undefined };

const glue = mockClient(GlueClient);
beforeEach(() => glue.reset());

describe('merging', () => {
  const otherStage = statement('MeshAcmedevDSalesRead1');
  const lakeFormation = { ...statement('LakeFormationShare'), Action: ['glue:ShareResource'] };
  const longerDomain = statement('MeshAcmeDSalesEuRead1');

  test("replaces the owner's statements and keeps every other one", () => {
    const current = policy(otherStage, statement(`${OWNER}Read1`, '999999999999'), lakeFormation, longerDomain);
    const merged = JSON.parse(handler.mergePolicy(current, OWNER, [statement(`${OWNER}Read1`)]) as string);
    expect(merged.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'MeshAcmedevDSalesRead1',
      'LakeFormationShare',
      'MeshAcmeDSalesEuRead1',
      `${OWNER}Read1`,
    ]);
    expect(JSON.stringify(merged)).not.toContain('999999999999');
  });

  test('nothing left means no policy; no policy yet means a new one', () => {
    expect(handler.mergePolicy(policy(statement(`${OWNER}Read1`)), OWNER, [])).toBeNull();
    expect(JSON.parse(handler.mergePolicy(undefined, OWNER, [statement(`${OWNER}Read1`)]) as string)).toEqual({
      Version: '2012-10-17',
      Statement: [statement(`${OWNER}Read1`)],
    });
  });
});

describe('writing', () => {
  test('creates the policy when the account has none, only if it still has none', async () => {
    glue.on(GetResourcePolicyCommand).rejects(notFound());
    glue.on(PutResourcePolicyCommand).resolves({ PolicyHash: 'hash-2', $metadata: {} });
    expect(await handler.applyStatements(new GlueClient({}), OWNER, [statement(`${OWNER}Read1`)], noSleep)).toBe(
      'written',
    );
    const [put] = glue.commandCalls(PutResourcePolicyCommand);
    expect(put.args[0].input).toMatchObject({ PolicyExistsCondition: 'NOT_EXIST', EnableHybrid: 'TRUE' });
    expect(put.args[0].input.PolicyHashCondition).toBeUndefined();
  });

  test('writes over exactly the policy it read, and retries when another stack wrote in between', async () => {
    const other = statement('MeshAcmeDCustomersRead1');
    glue
      .on(GetResourcePolicyCommand)
      .resolvesOnce(stored(policy(other), 'hash-1'))
      .resolves(stored(policy(other, statement('MeshAcmeDMarketingRead1')), 'hash-2'));
    glue
      .on(PutResourcePolicyCommand)
      .rejectsOnce(new ConcurrentModificationException({ message: 'hash mismatch', $metadata: {} }))
      .resolves({ PolicyHash: 'hash-3', $metadata: {} });
    await handler.applyStatements(new GlueClient({}), OWNER, [statement(`${OWNER}Read1`)], noSleep);
    const puts = glue.commandCalls(PutResourcePolicyCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.PolicyHashCondition)).toEqual(['hash-1', 'hash-2']);
    // The second write keeps what the other stack added meanwhile.
    expect(JSON.parse(puts[1].PolicyInJson as string).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'MeshAcmeDCustomersRead1',
      'MeshAcmeDMarketingRead1',
      `${OWNER}Read1`,
    ]);
  });

  test('gives up after six conflicting attempts with the service error', async () => {
    glue.on(GetResourcePolicyCommand).resolves(stored(policy(statement('Other'))));
    glue
      .on(PutResourcePolicyCommand)
      .rejects(new ConcurrentModificationException({ message: 'hash mismatch', $metadata: {} }));
    await expect(
      handler.applyStatements(new GlueClient({}), OWNER, [statement(`${OWNER}Read1`)], noSleep),
    ).rejects.toThrow('hash mismatch');
    expect(glue.commandCalls(PutResourcePolicyCommand)).toHaveLength(6);
  });

  test('an unchanged policy is not written; a policy left empty is deleted over its hash', async () => {
    glue.on(GetResourcePolicyCommand).resolves(stored(policy(statement(`${OWNER}Read1`)), 'hash-9'));
    expect(await handler.applyStatements(new GlueClient({}), OWNER, [statement(`${OWNER}Read1`)], noSleep)).toBe(
      'unchanged',
    );
    expect(glue.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
    expect(await handler.applyStatements(new GlueClient({}), OWNER, [], noSleep)).toBe('deleted');
    expect(glue.commandCalls(DeleteResourcePolicyCommand)[0].args[0].input).toEqual({ PolicyHashCondition: 'hash-9' });
  });
});

describe('answering CloudFormation', () => {
  const event = (RequestType: string, Owner = OWNER) => ({
    RequestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned',
    StackId: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/Mesh-Prod-Sales/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'CatalogPolicyStatements',
    ResourceType: 'Custom::MeshCatalogPolicy',
    ResourceProperties: { ServiceToken: 'arn', Owner, Statements: JSON.stringify([statement(`${OWNER}Read1`)]) },
  });
  const answers: { url: string; body: Record<string, string> }[] = [];
  const put = async (url: string, body: string) => {
    answers.push({ url, body: JSON.parse(body) });
  };
  beforeEach(() => answers.splice(0));

  test("delete takes out only the domain's statements and reports success", async () => {
    glue.on(GetResourcePolicyCommand).resolves(stored(policy(statement('Other'), statement(`${OWNER}Read1`))));
    glue.on(PutResourcePolicyCommand).resolves({ PolicyHash: 'h', $metadata: {} });
    await handler.handleEvent(event('Delete'), new GlueClient({}), put);
    const written = glue.commandCalls(PutResourcePolicyCommand)[0].args[0].input.PolicyInJson as string;
    expect(JSON.parse(written).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['Other']);
    expect(answers[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: OWNER,
      RequestId: 'request-1',
      LogicalResourceId: 'CatalogPolicyStatements',
    });
  });

  test('a failure is reported with the service error, never left unanswered', async () => {
    glue
      .on(GetResourcePolicyCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await handler.handleEvent(event('Update'), new GlueClient({}), put);
    expect(answers[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'AccessDeniedException: User is not authorized',
    });
  });

  test('an owner that could match other Sids is refused', async () => {
    await handler.handleEvent(event('Create', 'Mesh.*'), new GlueClient({}), put);
    expect(answers[0].body.Status).toBe('FAILED');
    expect(glue.calls()).toHaveLength(0);
  });
});
