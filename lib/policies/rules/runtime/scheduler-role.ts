import type { ResourceRule, Violation } from '../../model';
import { literalActions, statementLabel, statementsOf } from '../../template/policy-document';
import { foreignManagedPolicies, roleDocuments } from './role-documents';
import { runtimeNamesOf } from './runtime-context';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** MESH-RUN-007: the domain's scheduler role can only start the domain's state machines. */
export const schedulerRoleLeastPrivilege: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-007',
  severity: 'error',
  exceptable: false,
  title: "The scheduler role only starts the domain's state machines",
  explanation:
    "EventBridge Scheduler assumes this role for every schedule of the domain. Starting the domain's state machines is all a schedule needs; anything more (another action, a resource outside the domain's state machine prefix, a managed policy) is reachable by anyone who can edit a schedule.",
  fix: "grant only states:StartExecution on arn:<partition>:states:<region>:<account>:stateMachine:<domain's state machine prefix>*",
  resourceTypes: ['AWS::IAM::Role'],
  appliesTo: (role, context) =>
    context.template.render(role.properties.RoleName) === runtimeNamesOf(context).schedulerRole,
  check(role, context) {
    const { stateMachinePrefix } = runtimeNamesOf(context);
    const allowed = new RegExp(`^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:${escapeRegex(stateMachinePrefix)}`);
    const violations: Violation[] = [];
    for (const arn of foreignManagedPolicies(role, context.template))
      violations.push({ finding: `ManagedPolicy::${arn}`, message: `has managed policy ${arn}` });
    for (const { name, document } of roleDocuments(role, context.template)) {
      for (const s of statementsOf(document)) {
        if (s.effect !== 'Allow') continue;
        const label = `${name}/${statementLabel(s)}`;
        const actions = s.notAction ? ['NotAction'] : literalActions(s);
        for (const action of actions.filter((a) => a !== 'states:startexecution'))
          violations.push({ finding: `Action::${action}`, message: `statement ${label} allows ${action}` });
        if (s.notResource) {
          violations.push({ finding: 'NotResource', message: `statement ${label} uses NotResource` });
          continue;
        }
        for (const resource of s.resources) {
          const text = context.template.render(resource);
          if (text !== undefined && allowed.test(text)) continue;
          violations.push({
            finding: `Resource::${text ?? context.template.describe(resource)}`,
            message: `statement ${label} allows ${text ?? context.template.describe(resource)}, outside the domain's state machines (${stateMachinePrefix}*)`,
          });
        }
      }
    }
    return violations;
  },
};
