/**
 * Evaluates access checks offline against policies extracted from synthesized templates, with the
 * AGPL-licensed iam-simulate — a development dependency, so this lives with the tests and dev scripts and
 * never in the platform's runtime code.
 */
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { asList, type PolicyDocumentJson } from '../../../lib/access/policy-json';
import type { AccessCheck } from '../../../lib/access/verify/matrix';
import type { AccessPolicies, RolePolicies } from '../../../lib/access/verify/templates';
import type { AccessEvaluator, AccessOutcome } from '../../../lib/access/verify/verify';

/**
 * iam-simulate works out the resource type of every request by matching its ARN against the action's
 * resource type patterns — most of a simulation's time. The answer depends only on the action and the
 * ARN's shape (its slash-separated segments), so it is memoized on that: a mesh-scale matrix runs in about
 * a minute instead of ten. Skipped silently if the library's layout changes; results are the same either way.
 */
function memoizeResourceTypeLookup(): void {
  try {
    const file = path.join(
      path.dirname(require.resolve('@cloud-copilot/iam-simulate')),
      'simulation_engine',
      'resourceTypes.js',
    );
    const module = require(file) as { getResourceTypesForAction?: ResourceTypeLookup & { memoized?: true } };
    const original = module.getResourceTypesForAction;
    if (typeof original !== 'function' || original.memoized) return;
    const cache = new Map<string, ReturnType<ResourceTypeLookup>>();
    const memoized = (service: string, action: string, resource: string) => {
      const shape = `${service}:${action}:${resource.split(':').slice(5).join(':').replace(/[^/]+/g, 'x')}`;
      let types = cache.get(shape);
      if (!types) {
        types = original(service, action, resource);
        cache.set(shape, types);
      }
      return types;
    };
    module.getResourceTypesForAction = Object.assign(memoized, { memoized: true as const });
  } catch {
    // Not the layout this was written for: run unmemoized.
  }
}
type ResourceTypeLookup = (service: string, action: string, resource: string) => Promise<unknown>;
memoizeResourceTypeLookup();

export class OfflineAccessEvaluator implements AccessEvaluator {
  private readonly relevant = new Map<string, { name: string; policy: PolicyDocumentJson }[]>();

  constructor(private readonly policies: AccessPolicies) {}

  async evaluate(checks: readonly AccessCheck[]): Promise<AccessOutcome[]> {
    const outcomes: AccessOutcome[] = [];
    for (const check of checks) outcomes.push(await this.evaluateOne(check));
    return outcomes;
  }

  private async evaluateOne(check: AccessCheck): Promise<AccessOutcome> {
    const role = this.policies.roles.get(check.role.arn);
    if (!role) return { error: 'role is in no template' };
    let resource = check.resource;
    let resourcePolicy: unknown;
    // Keys AWS adds to every request of a role session over TLS; the simulator only knows what it is given.
    const context: Record<string, string | string[]> = {
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': check.role.account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': 'true',
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
    }
    const result = await runSimulation(
      {
        request: {
          principal: role.arn,
          action: check.action,
          resource: { resource, accountId: check.resourceAccount },
          contextVariables: context,
        },
        identityPolicies: this.identityPoliciesFor(role, check.action),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: resourcePolicy && onlyFor(resourcePolicy as PolicyDocumentJson, check.action),
      },
      {},
    );
    if (result.resultType === 'error') return { error: `${result.errors.message} ${JSON.stringify(result.errors)}` };
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
