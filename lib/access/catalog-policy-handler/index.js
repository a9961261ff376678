/**
 * CloudFormation custom resource that owns one domain's statements in its account's Glue Data Catalog resource
 * policy (lib/access/catalog-policy.ts). The catalog has a single policy shared by everything in the account
 * and region, and CloudFormation has no resource for it, so this handler merges instead of replacing: it keeps
 * every statement whose Sid the domain does not own (other domains, other stages, Lake Formation's), replaces
 * the domain's own, and writes with the hash of the policy it read, retrying when someone else wrote in
 * between. On delete it removes only the domain's statements.
 *
 * Plain JavaScript with no dependencies beyond the AWS SDK the Lambda Node.js runtime ships, so the asset is
 * this file as it is. Exported functions are tested with a mocked Glue client.
 */
const https = require('node:https');
const {
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  GlueClient,
  PutResourcePolicyCommand,
} = require('@aws-sdk/client-glue');

const ATTEMPTS = 6;

/** True for the Sids `owner` wrote: `<owner>Read<n>`. */
function ownedBy(owner, sid) {
  return typeof sid === 'string' && new RegExp(`^${owner}Read\\d+$`).test(sid);
}

/**
 * The catalog policy with the owner's statements replaced by `statements`: the document to write, or null
 * when nothing is left (the policy is then deleted).
 */
function mergePolicy(currentJson, owner, statements) {
  const current = currentJson ? JSON.parse(currentJson) : { Version: '2012-10-17', Statement: [] };
  const kept = [current.Statement ?? []].flat().filter((s) => !ownedBy(owner, s.Sid));
  const merged = [...kept, ...statements];
  if (merged.length === 0) return null;
  return JSON.stringify({ Version: current.Version ?? '2012-10-17', Statement: merged });
}

const isNotFound = (err) => err?.name === 'EntityNotFoundException';
const isConflict = (err) =>
  err?.name === 'ConcurrentModificationException' || err?.name === 'ConditionCheckFailureException';

/** Writes the owner's statements into the catalog policy; returns what it did. */
async function applyStatements(
  glue,
  owner,
  statements,
  { sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {},
) {
  for (let attempt = 1; ; attempt++) {
    let current;
    try {
      current = await glue.send(new GetResourcePolicyCommand({}));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const merged = mergePolicy(current?.PolicyInJson, owner, statements);
    try {
      if (merged === (current?.PolicyInJson ?? null)) return 'unchanged';
      if (merged === null) {
        await glue.send(new DeleteResourcePolicyCommand({ PolicyHashCondition: current.PolicyHash }));
        return 'deleted';
      }
      await glue.send(
        new PutResourcePolicyCommand({
          PolicyInJson: merged,
          // Written only over the policy read above; NOT_EXIST when there was none.
          ...(current?.PolicyHash
            ? { PolicyHashCondition: current.PolicyHash, PolicyExistsCondition: 'MUST_EXIST' }
            : { PolicyExistsCondition: 'NOT_EXIST' }),
          // Keeps working beside grants made with Lake Formation, which also write this policy.
          EnableHybrid: 'TRUE',
        }),
      );
      return 'written';
    } catch (err) {
      if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
      await sleep(200 * 2 ** attempt);
    }
  }
}

/** Sends the custom resource's outcome to CloudFormation's presigned URL. */
function respond(event, status, reason, put = httpsPut) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 3000),
    PhysicalResourceId: event.ResourceProperties.Owner,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return put(event.ResponseURL, body);
}

function httpsPut(url, body) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.end(body);
  });
}

/** Create, Update: the owner's statements as given; Delete: none. */
async function handleEvent(event, glue, put = httpsPut) {
  const { Owner: owner, Statements: statementsJson } = event.ResourceProperties;
  try {
    if (!/^[A-Za-z0-9]+$/.test(owner ?? '')) throw new Error(`Owner must be alphanumeric, got ${owner}`);
    const statements = event.RequestType === 'Delete' ? [] : JSON.parse(statementsJson);
    const outcome = await applyStatements(glue, owner, statements);
    await respond(event, 'SUCCESS', `catalog policy ${outcome}`, put);
  } catch (err) {
    await respond(event, 'FAILED', `${err.name ?? 'Error'}: ${err.message}`, put);
  }
}

exports.handler = (event) => handleEvent(event, new GlueClient({ maxAttempts: 5 }));
exports.mergePolicy = mergePolicy;
exports.applyStatements = applyStatements;
exports.handleEvent = handleEvent;
