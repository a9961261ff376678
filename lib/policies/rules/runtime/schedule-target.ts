import type { ResourceRule, Violation } from '../../model';
import { get } from '../../template/resolved-resource';
import { cannotVerify } from '../expectations';
import { roleNameOf, runtimeNamesOf, stateMachineNameOf } from './runtime-context';

/** MESH-RUN-005: schedules start only the domain's state machines, as the domain's scheduler role. */
export const scheduleTarget: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-005',
  severity: 'error',
  exceptable: false,
  title: "Schedules start the domain's state machines with the domain's scheduler role",
  explanation:
    "A schedule acts with the role it names. The domain's scheduler role can only start the domain's state machines, so a schedule that names another role, or targets anything else (another domain's state machine, a Lambda, an API), runs outside what the domain's runtime is allowed to do.",
  fix: "target a state machine named from productRuntimeNames() with roleArn set to the domain's scheduler role (lib/runtime/names.ts)",
  resourceTypes: ['AWS::Scheduler::Schedule'],
  check(schedule, context) {
    const names = runtimeNamesOf(context);
    const violations: Violation[] = [];
    const target = get(schedule.properties, 'Target', 'Arn');
    const machine = stateMachineNameOf(target, context.template);
    if (machine === undefined) {
      const text = context.template.render(target);
      violations.push(
        text === undefined
          ? cannotVerify('the schedule target', target, context.template, 'Target')
          : { finding: 'Target', message: `targets ${text}, which is not a state machine` },
      );
    } else if (!machine.startsWith(names.stateMachinePrefix)) {
      violations.push({
        finding: 'Target',
        message: `targets state machine ${machine}, which is not the domain's (names start with ${names.stateMachinePrefix})`,
      });
    }
    const roleArn = get(schedule.properties, 'Target', 'RoleArn');
    const role = roleNameOf(roleArn, context.template);
    if (role === undefined) violations.push(cannotVerify('the schedule role', roleArn, context.template, 'Role'));
    else if (role !== names.schedulerRole)
      violations.push({ finding: 'Role', message: `runs as role ${role}, not the domain's ${names.schedulerRole}` });
    return violations;
  },
};
