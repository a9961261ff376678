import type { ResourceRule, Violation } from '../../model';
import { statementLabel, statementsOf } from '../../template/policy-document';
import { asList, get, isObject } from '../../template/resolved-resource';

/** Services of the runtime whose roles must be scoped to the account (confused deputy). */
export const RUNTIME_SERVICES = ['states.amazonaws.com', 'scheduler.amazonaws.com'];

/** Whether a condition block scopes the request to one account with aws:SourceAccount (or aws:SourceArn). */
function scopesSourceAccount(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  return Object.entries(condition).some(
    ([operator, keys]) =>
      /^(StringEquals|ArnEquals|ArnLike|StringLike)$/.test(operator) &&
      isObject(keys) &&
      Object.keys(keys).some((k) => ['aws:sourceaccount', 'aws:sourcearn'].includes(k.toLowerCase())),
  );
}

/** MESH-RUN-006: roles trusted by Step Functions or EventBridge Scheduler carry an aws:SourceAccount condition. */
export const serviceTrustSourceAccount: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-006',
  severity: 'error',
  exceptable: false,
  title: 'Roles trusted by Step Functions or Scheduler are limited to their account',
  explanation:
    "A service principal acts for every AWS customer. Without aws:SourceAccount (or aws:SourceArn) in the trust policy, another account's state machine or schedule could name this role and read the domain's data through it (the confused deputy problem).",
  fix: "add conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } to the role's trust (ServicePrincipal ... conditions)",
  resourceTypes: ['AWS::IAM::Role'],
  check(role) {
    const violations: Violation[] = [];
    for (const s of statementsOf(role.properties.AssumeRolePolicyDocument)) {
      if (s.effect !== 'Allow') continue;
      const services = asList(get(s.principal, 'Service')).filter((v): v is string => typeof v === 'string');
      const trusted = services.filter((service) => RUNTIME_SERVICES.includes(service));
      if (trusted.length === 0 || scopesSourceAccount(s.condition)) continue;
      violations.push({
        finding: `Trust::${statementLabel(s)}`,
        message: `trust statement ${statementLabel(s)} lets ${trusted.join(', ')} assume the role for any account (no aws:SourceAccount condition)`,
      });
    }
    return violations;
  },
};
