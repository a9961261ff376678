/**
 * The Step Functions calls the runtime commands make, behind a small interface: the commands' logic never
 * sees SDK types, and tests mock either side. State machines are found by name (their names are derived,
 * lib/runtime/names.ts), so no account id or STS call is needed.
 */
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  paginateListStateMachines,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionFacts } from './run-state';

/** An execution as the commands use it. */
export interface ExecutionDescription extends ExecutionFacts {
  readonly executionArn: string;
  readonly name?: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
}

export interface StepFunctionsApi {
  /** ARNs of the state machines with these names that exist (the others are missing from the map). */
  stateMachineArns(names: readonly string[]): Promise<Map<string, string>>;
  startExecution(
    stateMachineArn: string,
    name: string,
    input: string,
  ): Promise<{ executionArn: string; startDate?: Date }>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /** The most recent execution of a state machine, or undefined when it never ran. */
  lastExecution(stateMachineArn: string): Promise<ExecutionDescription | undefined>;
}

export function stepFunctionsApi(client: SFNClient): StepFunctionsApi {
  const describe = async (executionArn: string): Promise<ExecutionDescription> => {
    const r = await client.send(new DescribeExecutionCommand({ executionArn }));
    return {
      executionArn: r.executionArn ?? executionArn,
      status: r.status ?? 'UNKNOWN',
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(r.startDate !== undefined ? { startDate: r.startDate } : {}),
      ...(r.stopDate !== undefined ? { stopDate: r.stopDate } : {}),
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
    };
  };
  return {
    async stateMachineArns(names) {
      const wanted = new Set(names);
      const found = new Map<string, string>();
      // No call filters state machines by name: list them all, once per command.
      for await (const page of paginateListStateMachines({ client }, {})) {
        for (const machine of page.stateMachines ?? []) {
          if (machine.name && machine.stateMachineArn && wanted.has(machine.name)) {
            found.set(machine.name, machine.stateMachineArn);
          }
        }
        if (found.size === wanted.size) break;
      }
      return found;
    },
    async startExecution(stateMachineArn, name, input) {
      const r = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      if (!r.executionArn) throw new Error('Step Functions started an execution but returned no executionArn');
      return { executionArn: r.executionArn, ...(r.startDate !== undefined ? { startDate: r.startDate } : {}) };
    },
    describeExecution: describe,
    async lastExecution(stateMachineArn) {
      // Executions are listed newest first.
      const r = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
      const last = r.executions?.[0];
      if (!last?.executionArn) return undefined;
      // The list has no output: a finished run's summary needs its description.
      if (last.status === 'RUNNING' || last.status === 'PENDING_REDRIVE') {
        return {
          executionArn: last.executionArn,
          status: last.status,
          ...(last.name !== undefined ? { name: last.name } : {}),
          ...(last.startDate !== undefined ? { startDate: last.startDate } : {}),
        };
      }
      return describe(last.executionArn);
    },
  };
}
