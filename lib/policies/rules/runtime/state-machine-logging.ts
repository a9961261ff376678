import type { ResourceRule, Violation } from '../../model';
import { asList, get } from '../../template/resolved-resource';
import { cannotVerify } from '../expectations';
import { logGroupNameOf, runtimeNamesOf } from './runtime-context';

/** MESH-RUN-001: state machines log every event to the domain's runtime log group. */
export const stateMachineLogging: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-001',
  severity: 'error',
  title: "State machines log every execution event to the domain's log group",
  explanation:
    'A run that fails, or a quality gate that stops a publish, is diagnosed from its execution history; Step Functions keeps it in CloudWatch Logs only with a logging configuration. Level ALL records every state, and the domain log group is where the CLI and the owners look (it is encrypted and has a retention).',
  fix: "set logs: { destination: <the domain's runtime log group>, level: LogLevel.ALL, includeExecutionData: true } on the state machine",
  resourceTypes: ['AWS::StepFunctions::StateMachine'],
  check(machine, context) {
    const logging = machine.properties.LoggingConfiguration;
    if (logging === undefined) return [{ message: 'has no LoggingConfiguration (executions are not logged)' }];
    const violations: Violation[] = [];
    const level = get(logging, 'Level');
    if (level !== 'ALL')
      violations.push({ finding: 'Level', message: `logs at level ${String(level ?? 'OFF')}, not ALL` });
    const expected = runtimeNamesOf(context).logGroup;
    const destinations = asList(get(logging, 'Destinations'));
    if (destinations.length === 0) violations.push({ finding: 'Destination', message: 'logs to no destination' });
    for (const destination of destinations) {
      const arn = get(destination, 'CloudWatchLogsLogGroup', 'LogGroupArn');
      const name = logGroupNameOf(arn, context.template);
      if (name === undefined)
        violations.push(cannotVerify('the log destination', arn, context.template, 'Destination'));
      else if (name !== expected)
        violations.push({
          finding: 'Destination',
          message: `logs to log group ${name}, not the domain's ${expected}`,
        });
    }
    return violations;
  },
};
