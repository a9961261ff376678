/**
 * Evaluates access checks offline against policies extracted from synthesized templates, with the
 * AGPL-licensed iam-simulate — a development dependency, so this lives with the tests and dev scripts and
 * never in the platform's runtime code.
 */
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { asList, type PolicyDocumentJson } from '../../../lib/access/policy-json';
import { S3_ENCRYPTION_CONTEXT } from '../../../lib/access/producer-fences';
import type { AccessCheck } from '../../../lib/access/verify/matrix';
import type { AccessPolicies, RolePolicies } from '../../../lib/access/verify/templates';
import type { AccessEvaluator, AccessOutcome } from '../../../lib/access/verify/verify';

/** An exported function of one of iam-simulate's internal modules, replaced in place; false if not found. */
function patchSimulator<F extends (...args: never[]) => unknown>(
  file: string,
  name: string,
  wrap: (original: F) => F,
): boolean {
  try {
    const module = require(path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), file)) as Record<
      string,
      F & { patched?: true }
    >;
    const original = module[name];
    if (typeof original !== 'function') return false;
    if (original.patched) return true;
    module[name] = Object.assign(wrap(original), { patched: true as const });
    return true;
  } catch {
    return false;
  }
}

/**
 * iam-simulate works out the resource type of every request by matching its ARN against the action's
 * resource type patterns — most of a simulation's time. The answer depends only on the action and the
 * ARN's shape (its slash-separated segments), so it is memoized on that: a mesh-scale matrix runs in about
 * a minute instead of ten. Skipped silently if the library's layout changes; results are the same either way.
 */
type ResourceTypeLookup = (service: string, action: string, resource: string) => Promise<unknown>;
patchSimulator<ResourceTypeLookup>('simulation_engine/resourceTypes.js', 'getResourceTypesForAction', (original) => {
  const cache = new Map<string, ReturnType<ResourceTypeLookup>>();
  return (service, action, resource) => {
    const shape = `${service}:${action}:${resource.split(':').slice(5).join(':').replace(/[^/]+/g, 'x')}`;
    let types = cache.get(shape);
    if (!types) {
      types = original(service, action, resource);
      cache.set(shape, types);
    }
    return types;
  };
});

/**
 * iam-simulate knows variable context keys only when the variable follows a slash (`aws:PrincipalTag/x`), so
 * it drops `kms:EncryptionContext:aws:s3:arn` — the key the key fences test — from every request. Taught here:
 * the key is allowed where KMS allows `kms:EncryptionContext:${EncryptionContextKey}`, and keeps its name.
 * If the library changes, the key is reported as ignored and the checks using it fail (never pass silently).
 */
type AllowedKeys = (...args: [string, string, string, ...unknown[]]) => Promise<string[]>;
type NormalizeKey = (key: string) => Promise<string>;
const ENCRYPTION_CONTEXT_TEMPLATE = `kms:encryptioncontext:\${encryptioncontextkey}`;
const isEncryptionContextKey = (key: string) =>
  key.toLowerCase().startsWith('kms:encryptioncontext:') && key.toLowerCase() !== 'kms:encryptioncontextkeys';
patchSimulator<AllowedKeys>(
  'simulation_engine/contextKeys.js',
  'allowedContextKeysForRequest',
  (original) =>
    async (...args) => {
      const keys = await original(...args);
      return keys.includes(ENCRYPTION_CONTEXT_TEMPLATE) ? [...keys, S3_ENCRYPTION_CONTEXT.toLowerCase()] : keys;
    },
);
patchSimulator<NormalizeKey>(
  'context_keys/contextKeys.js',
  'normalizeContextKeyCase',
  (original) => async (key) => (isEncryptionContextKey(key) ? key : original(key)),
);

export class OfflineAccessEvaluator implements AccessEvaluator {
  private readonly relevant = new Map<string, { name: string; policy: PolicyDocumentJson }[]>();

  constructor(private readonly policies: AccessPolicies) {}

  async evaluate(checks: readonly AccessCheck[]): Promise<AccessOutcome[]> {
    const outcomes: AccessOutcome[] = [];
    for (const check of checks) outcomes.push(await this.evaluateOne(check));
    return outcomes;
  }

  private async evaluateOne(check: AccessCheck): Promise<AccessOutcome> {
    const isService = check.role.kind === 'service';
    const role = isService ? undefined : this.policies.roles.get(check.role.arn);
    if (!isService && !role) return { error: 'role is in no template' };
    let resource = check.resource;
    let resourcePolicy: unknown;
    // Keys AWS adds to every request over TLS, of a role session or of a service principal; the simulator
    // only knows what it is given.
    const context: Record<string, string | string[]> = {
      ...(isService
        ? { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': check.role.name }
        : {
            'aws:PrincipalArn': check.role.arn,
            'aws:PrincipalAccount': check.role.account,
            'aws:PrincipalType': 'AssumedRole',
            'aws:PrincipalIsAWSService': 'false',
          }),
      'aws:SecureTransport': 'true',
      // AWS sets the account owning the resource on every request; cross-account grants test it.
      'aws:ResourceAccount': check.resourceAccount,
      ...(check.action.startsWith('s3:') ? { 's3:TlsVersion': '1.3' } : {}),
      ...check.context,
    };
    const [service] = check.action.split(':');
    if (service === 's3') {
      resourcePolicy = this.policies.bucketPolicies.get(resource.split(':::')[1].split('/')[0]);
    } else if (service === 'kms') {
      const key = this.policies.keysByAlias.get(resource);
      if (!key) return { error: 'no key carries this alias' };
      resource = key.arn;
      resourcePolicy = key.policy;
      // AWS fills this from the key's aliases, so the simulation checks the alias the producer really created.
      context['kms:ResourceAliases'] = key.aliases;
    } else if (service === 'glue') {
      // One policy per account and region: arn:<partition>:glue:<region>:<account>:<resource>.
      resourcePolicy = this.policies.catalogPolicies.get(`${resource.split(':').slice(0, 5).join(':')}:catalog`);
    }
    const result = await runSimulation(
      {
        request: {
          principal: check.role.arn,
          action: check.action,
          resource: { resource, accountId: check.resourceAccount },
          contextVariables: context,
        },
        identityPolicies: role ? this.identityPoliciesFor(role, check.action) : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: resourcePolicy && onlyFor(resourcePolicy as PolicyDocumentJson, check.action),
      },
      {},
    );
    if (result.resultType === 'error') return { error: `${result.errors.message} ${JSON.stringify(result.errors)}` };
    // A dropped key would change the question asked: refuse to answer rather than answer another one.
    const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
    if (ignored.length > 0) return { error: `the simulator ignored context keys ${ignored.join(', ')}` };
    return result.overallResult === 'Allowed' ? 'allowed' : 'denied';
  }

  /** The role's policies cut to the statements that name the action, cached per role and action. */
  private identityPoliciesFor(role: RolePolicies, action: string) {
    const key = `${role.arn} ${action}`;
    let policies = this.relevant.get(key);
    if (!policies) {
      policies = [...role.inline, ...role.managed].flatMap((p) => {
        const policy = onlyFor(p.document, action);
        return policy ? [{ name: p.name, policy }] : [];
      });
      this.relevant.set(key, policies);
    }
    return policies;
  }
}

/**
 * A policy with only the statements whose Action can match the action (what the evaluation would reach
 * anyway); a statement without Action (NotAction) is always kept. Undefined when nothing is left. This only
 * saves the simulator from matching resources of statements that cannot apply — 10x faster at mesh scale.
 */
function onlyFor(document: PolicyDocumentJson, action: string): PolicyDocumentJson | undefined {
  const statements = document.Statement.filter(
    (s) => s.Action === undefined || asList(s.Action).some((pattern) => actionMatches(pattern, action)),
  );
  return statements.length === 0 ? undefined : { ...document, Statement: statements };
}

/** IAM action pattern match: case-insensitive, `*` any run of characters, `?` one character. */
function actionMatches(pattern: string, action: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(action);
}
