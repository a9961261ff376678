/**
 * Asks AWS instead of a simulation: IAM's SimulatePrincipalPolicy evaluates the identity policies of the
 * deployed roles (found by their deterministic names). The SDK sits behind a thin adapter that pages
 * through results and backs off when throttled; the evaluator groups the matrix into few calls.
 */
import {
  type ContextEntry,
  type EvaluationResult,
  type IAMClient,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
  type SimulatePrincipalPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import type { AccessCheck } from './matrix';
import type { AccessEvaluator, AccessOutcome } from './verify';

export interface SimulationRequest {
  /** ARN of the role whose policies are evaluated. */
  readonly principalArn: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Context keys and values sent with every evaluation of the request. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type SimulatedDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface SimulationResult {
  readonly action: string;
  readonly resource: string;
  readonly decision: SimulatedDecision;
}

/** What the evaluator needs from IAM: one simulation request, all its results. */
export interface PrincipalPolicySimulator {
  simulate(request: SimulationRequest): Promise<SimulationResult[]>;
}

export interface IamSimulatorOptions {
  /** Attempts per page when IAM throttles. @default 8 */
  readonly maxAttempts?: number;
  /** First back-off delay; doubles per attempt, capped at 20 s. @default 250 */
  readonly baseDelayMs?: number;
  /** Results per page (IAM allows 1–1000). @default 1000 */
  readonly pageSize?: number;
  /** How to wait between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Context keys IAM must be told are lists. */
const LIST_CONTEXT_KEYS = new Set(['kms:resourcealiases']);

export class IamPrincipalPolicySimulator implements PrincipalPolicySimulator {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: Pick<IAMClient, 'send'>,
    options: IamSimulatorOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.pageSize = options.pageSize ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async simulate(request: SimulationRequest): Promise<SimulationResult[]> {
    const results: SimulationResult[] = [];
    let marker: string | undefined;
    do {
      const page = await this.send({
        PolicySourceArn: request.principalArn,
        ActionNames: [...request.actions],
        ResourceArns: [...request.resources],
        ContextEntries: contextEntries(request.context ?? {}),
        MaxItems: this.pageSize,
        Marker: marker,
      });
      for (const result of page.EvaluationResults ?? []) results.push(...resultsOf(result));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return results;
  }

  private async send(input: SimulatePrincipalPolicyCommandInput): Promise<SimulatePrincipalPolicyCommandOutput> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.send(new SimulatePrincipalPolicyCommand(input));
      } catch (err) {
        if (!isThrottling(err) || attempt >= this.maxAttempts) throw err;
        await this.sleep(Math.min(20_000, this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}

function contextEntries(context: Readonly<Record<string, string | readonly string[]>>): ContextEntry[] | undefined {
  const entries = Object.entries(context).map(([key, value]) => ({
    ContextKeyName: key,
    ContextKeyValues: typeof value === 'string' ? [value] : [...value],
    ContextKeyType:
      typeof value !== 'string' || LIST_CONTEXT_KEYS.has(key.toLowerCase())
        ? ('stringList' as const)
        : ('string' as const),
  }));
  return entries.length > 0 ? entries : undefined;
}

/**
 * One result per action and resource. IAM answers with `ResourceSpecificResults` when it evaluated several
 * resources under one action, and with `EvalResourceName`/`EvalDecision` alone otherwise; both are read.
 */
export function resultsOf(result: EvaluationResult): SimulationResult[] {
  const action = result.EvalActionName ?? '';
  if (result.ResourceSpecificResults && result.ResourceSpecificResults.length > 0) {
    return result.ResourceSpecificResults.map((r) => ({
      action,
      resource: r.EvalResourceName ?? '*',
      decision: (r.EvalResourceDecision ?? 'implicitDeny') as SimulatedDecision,
    }));
  }
  return [
    {
      action,
      resource: result.EvalResourceName ?? '*',
      decision: (result.EvalDecision ?? 'implicitDeny') as SimulatedDecision,
    },
  ];
}

/** IAM says `Throttling`; other AWS services and the SDK use these names and status 429. */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return (
    ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'].includes(e?.name ?? '') ||
    e?.$metadata?.httpStatusCode === 429 ||
    e?.$retryable?.throttling === true
  );
}

export interface LiveEvaluatorOptions {
  /** Resources per SimulatePrincipalPolicy call. @default 50 */
  readonly resourcesPerCall?: number;
}

/**
 * Answers the matrix with IAM's simulator. Checks are grouped per role, context and resource so one call
 * evaluates every action on up to `resourcesPerCall` resources (reading and writing an object is one call).
 * Only identity policies are evaluated: the producer-side fences are verified offline.
 */
export class LiveAccessEvaluator implements AccessEvaluator {
  private readonly resourcesPerCall: number;

  constructor(
    private readonly simulator: PrincipalPolicySimulator,
    options: LiveEvaluatorOptions = {},
  ) {
    this.resourcesPerCall = options.resourcesPerCall ?? 50;
  }

  async evaluate(checks: readonly AccessCheck[]): Promise<AccessOutcome[]> {
    const keyOf = (c: AccessCheck) => `${c.role.arn}|${JSON.stringify(c.context)}`;
    // Per role and context: the actions asked of each resource; resources asked the same actions share calls.
    const groups = new Map<string, { check: AccessCheck; actionsByResource: Map<string, Set<string>> }>();
    for (const check of checks) {
      const group = groups.get(keyOf(check)) ?? { check, actionsByResource: new Map<string, Set<string>>() };
      const actions = group.actionsByResource.get(check.resource) ?? new Set<string>();
      group.actionsByResource.set(check.resource, actions.add(check.action));
      groups.set(keyOf(check), group);
    }

    const outcomes = new Map<string, AccessOutcome>();
    for (const [key, { check, actionsByResource }] of groups) {
      const resourcesByActions = new Map<string, string[]>();
      for (const [resource, actions] of actionsByResource) {
        const actionKey = [...actions].sort().join(',');
        resourcesByActions.set(actionKey, [...(resourcesByActions.get(actionKey) ?? []), resource]);
      }
      for (const [actionKey, resources] of resourcesByActions) {
        const actions = actionKey.split(',');
        for (let i = 0; i < resources.length; i += this.resourcesPerCall) {
          const chunk = resources.slice(i, i + this.resourcesPerCall);
          try {
            const results = await this.simulator.simulate({
              principalArn: check.role.arn,
              actions,
              resources: chunk,
              context: check.context,
            });
            for (const r of results) {
              outcomes.set(`${key}|${r.action}|${r.resource}`, r.decision === 'allowed' ? 'allowed' : 'denied');
            }
          } catch (err) {
            const error = { error: describeError(err) };
            for (const action of actions)
              for (const resource of chunk) outcomes.set(`${key}|${action}|${resource}`, error);
          }
        }
      }
    }
    return checks.map(
      (c) =>
        outcomes.get(`${keyOf(c)}|${c.action}|${c.resource}`) ?? {
          error: 'IAM returned no result for this action and resource',
        },
    );
  }
}

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'NoSuchEntityException' || e?.name === 'NoSuchEntity')
    return 'role not found (is the domain stack deployed?)';
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}
