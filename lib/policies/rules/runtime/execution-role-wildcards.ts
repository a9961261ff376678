import { LOG_DELIVERY_ACTIONS as RUNTIME_LOG_DELIVERY_ACTIONS } from '../../../runtime/execution-policy';
import type { ResourceRule, Violation } from '../../model';
import { literalActions, statementLabel, statementsOf } from '../../template/policy-document';
import { isObject } from '../../template/resolved-resource';
import { foreignManagedPolicies, roleDocuments } from './role-documents';
import { runtimeNamesOf } from './runtime-context';

/**
 * What an execution role may do on Resource "*": the log-delivery actions Step Functions needs for a
 * state machine that logs to CloudWatch Logs (none of them has resource-level permissions), as the
 * platform writes them (lib/runtime/execution-policy.ts), compared lower-case like every action.
 */
export const LOG_DELIVERY_ACTIONS = RUNTIME_LOG_DELIVERY_ACTIONS.map((a) => a.toLowerCase());

/** Whether a condition limits cloudwatch:PutMetricData to named namespaces. */
function limitsNamespace(condition: unknown): boolean {
  return (
    isObject(condition) &&
    Object.entries(condition).some(
      ([operator, keys]) =>
        /^String(Equals|Like)$/.test(operator) &&
        isObject(keys) &&
        Object.keys(keys).some((k) => k.toLowerCase() === 'cloudwatch:namespace'),
    )
  );
}

/** MESH-RUN-008: execution roles allow nothing on Resource "*" beyond log delivery and namespaced metrics. */
export const executionRoleWildcards: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-008',
  severity: 'error',
  exceptable: false,
  title: 'Execution roles name their resources',
  explanation:
    'A product\'s execution role reads exactly its inputs and writes only its own prefixes; the access verification checks that. Resource "*" is allowed for the log-delivery actions Step Functions requires (they have no resource-level permissions) and for cloudwatch:PutMetricData limited by a cloudwatch:namespace condition, nothing else; managed policies are not attached.',
  fix: 'name the resources (lib/runtime/names.ts, lib/mesh/naming.ts arns.*), or add a cloudwatch:namespace condition to PutMetricData',
  resourceTypes: ['AWS::IAM::Role'],
  appliesTo: (role, context) =>
    context.template.render(role.properties.RoleName)?.startsWith(runtimeNamesOf(context).executionRolePrefix) ?? false,
  check(role, context) {
    const violations: Violation[] = [];
    for (const arn of foreignManagedPolicies(role, context.template))
      violations.push({ finding: `ManagedPolicy::${arn}`, message: `has managed policy ${arn}` });
    for (const { name, document } of roleDocuments(role, context.template)) {
      for (const s of statementsOf(document)) {
        if (s.effect !== 'Allow') continue;
        const label = `${name}/${statementLabel(s)}`;
        if (!s.notResource && !s.resources.includes('*')) continue;
        const actions = s.notAction ? ['NotAction'] : literalActions(s);
        for (const action of actions) {
          if (LOG_DELIVERY_ACTIONS.includes(action)) continue;
          if (action === 'cloudwatch:putmetricdata' && limitsNamespace(s.condition)) continue;
          violations.push({
            finding: `Action::${action}`,
            message: `statement ${label} allows ${action} on ${s.notResource ? 'NotResource' : 'Resource "*"'}${
              action === 'cloudwatch:putmetricdata' ? ' without a cloudwatch:namespace condition' : ''
            }`,
          });
        }
      }
    }
    return violations;
  },
};
