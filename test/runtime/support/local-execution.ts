/**
 * Runs a state machine definition in aws-local-stepfunctions with every Task answered by a fake AWS that returns
 * the services' real response shapes (as Step Functions hands them to the machine: timestamps as epoch
 * milliseconds) and records what the machine sent. Tasks are answered by their Resource, not their name, so
 * the harness knows nothing of the run's states.
 *
 * Three gaps of aws-local-stepfunctions 3.0 are bridged here, in the harness only:
 * - it calls Promise.withResolvers (Node 22); on older Node it is provided below;
 * - a Fail state's CausePath may be an intrinsic on AWS, but the library reads it as a plain JSONPath and fails
 *   with States.Runtime; such a state is run as a Pass that evaluates the intrinsic, then a Fail that reads it;
 * - it unescapes an intrinsic's result by deleting every backslash, so `\\` (a literal backslash, as in SQL
 *   regexes) comes out as nothing; each `\\` is given to it as a private-use character it passes through, and
 *   turned back into a backslash in everything the machine sends or returns. (Backslashes in interpolated
 *   values would still be lost; the run's values are a UUID, a day that may not hold one, and numbers.)
 */
import { randomUUID } from 'node:crypto';
import type { GetQueryExecutionOutput, GetQueryResultsOutput } from '@aws-sdk/client-athena';
import type { PutMetricDataInput } from '@aws-sdk/client-cloudwatch';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { mapIntrinsics, replaceEscapedBackslashes } from './intrinsics';

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void };
const promiseStatics = Promise as unknown as { withResolvers?: WithResolvers };
if (typeof promiseStatics.withResolvers !== 'function') {
  promiseStatics.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** An SDK output as JSON: what Step Functions passes on (dates become epoch milliseconds). */
type AsJson<T> = T extends Date
  ? number
  : T extends readonly (infer U)[]
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

/** The verdict row as Athena returns it: every cell a VarCharValue string. */
export interface VerdictCells {
  readonly failed_rules: string;
  readonly rules: string;
  readonly quality_score: string;
  readonly rows_written: string;
  readonly freshness_age_seconds: string;
}

export interface FakeAws {
  /** The one data row the verdict query returns. */
  readonly verdict: VerdictCells;
  /** Errors a Task state (by name) throws on its next calls, in order; after them it succeeds. */
  readonly failures?: Readonly<Record<string, readonly Error[]>>;
}

export interface TaskCall {
  readonly state: string;
  readonly resource: string;
  readonly input: Record<string, unknown>;
}

export interface AthenaStatement {
  readonly state: string;
  readonly sql: string;
  readonly workGroup: unknown;
  readonly database: unknown;
}

export interface LocalExecution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Every Task call, in order, including calls that threw. */
  readonly calls: readonly TaskCall[];
  /** The Athena statements sent, in order, as Athena received them. */
  readonly statements: readonly AthenaStatement[];
  /** Metric data of every putMetricData call. */
  readonly metrics: readonly PutMetricDataInput[];
  /** Every SNS message published. */
  readonly notifications: readonly {
    readonly TopicArn: unknown;
    readonly Subject: unknown;
    readonly Message: unknown;
  }[];
}

/** An error named as Step Functions names a service error (`Athena.InvalidRequestException`). */
export function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const RESOURCE = {
  athenaQuery: 'arn:aws:states:::athena:startQueryExecution.sync',
  athenaResults: 'arn:aws:states:::athena:getQueryResults',
  putMetricData: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
  snsPublish: 'arn:aws:states:::sns:publish',
} as const;

const VERDICT_ORDER: readonly (keyof VerdictCells)[] = [
  'failed_rules',
  'rules',
  'quality_score',
  'rows_written',
  'freshness_age_seconds',
];

type State = StateMachineDefinition['States'][string];

/** The definition with every Fail whose CausePath is an intrinsic split into Pass (evaluate) + Fail (read). */
export function withIntrinsicFailCauses(definition: StateMachineDefinition): StateMachineDefinition {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    const causePath = (state as { CausePath?: string }).CausePath;
    if (state.Type !== 'Fail' || !causePath?.startsWith('States.')) {
      states[name] = state;
      continue;
    }
    const failName = `${name} (fail)`;
    states[name] = { Type: 'Pass', Parameters: { 'cause.$': causePath }, Next: failName } as State;
    states[failName] = { ...state, CausePath: '$.cause' } as State;
  }
  return { ...definition, States: states };
}

function stringField(input: Record<string, unknown>, field: string, state: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw serviceError('Athena.InvalidRequestException', `${state}: ${field} must be a non-empty string`);
  }
  return value;
}

/** Stands in for a literal backslash inside intrinsics: a private-use character definitions never hold. */
const BACKSLASH = '\uE000';

/** The definition as the library can run it faithfully (see the gaps above). */
export function forLocalEngine(definition: StateMachineDefinition): StateMachineDefinition {
  if (JSON.stringify(definition).includes(BACKSLASH)) throw new Error('the definition holds the backslash stand-in');
  return mapIntrinsics(withIntrinsicFailCauses(definition), (intrinsic) =>
    replaceEscapedBackslashes(intrinsic, BACKSLASH),
  );
}

/** A value the library produced, with the backslash stand-in turned back. */
function restored<T>(value: T): T {
  if (typeof value === 'string') return value.split(BACKSLASH).join('\\') as T;
  if (Array.isArray(value)) return value.map(restored) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restored(v)])) as T;
  }
  return value;
}

/** One machine per definition: the library validates a definition when it is constructed, which is slow. */
const prepared = new WeakMap<StateMachineDefinition, { machine: StateMachine; tasks: [string, string][] }>();

function prepare(definition: StateMachineDefinition) {
  let entry = prepared.get(definition);
  if (!entry) {
    const runnable = forLocalEngine(definition);
    const tasks = Object.entries(runnable.States).flatMap(([name, state]): [string, string][] =>
      state.Type === 'Task' ? [[name, (state as { Resource: string }).Resource]] : [],
    );
    // Paths are checked by support/asl.ts: the library's own asl-validator 3 has the same `\\` gap.
    entry = { machine: new StateMachine(runnable, { validationOptions: { checkPaths: false } }), tasks };
    prepared.set(definition, entry);
  }
  return entry;
}

/** Runs the definition once with the given input against the fake AWS. */
export async function runLocally(
  definition: StateMachineDefinition,
  input: Record<string, unknown>,
  fake: FakeAws,
): Promise<LocalExecution> {
  const calls: TaskCall[] = [];
  const statements: AthenaStatement[] = [];
  const metrics: PutMetricDataInput[] = [];
  const notifications: LocalExecution['notifications'][number][] = [];
  const selects = new Set<string>();
  const pending = new Map(Object.entries(fake.failures ?? {}).map(([state, errors]) => [state, [...errors]]));

  const answer = (state: string, resource: string, taskInput: Record<string, unknown>): unknown => {
    calls.push({ state, resource, input: taskInput });
    const failure = pending.get(state)?.shift();
    if (failure) throw failure;
    switch (resource) {
      case RESOURCE.athenaQuery: {
        const sql = stringField(taskInput, 'QueryString', state);
        const context = taskInput.QueryExecutionContext as { Database?: unknown } | undefined;
        statements.push({ state, sql, workGroup: taskInput.WorkGroup, database: context?.Database });
        const id = randomUUID();
        if (/^\s*(SELECT|WITH)\b/i.test(sql)) selects.add(id);
        const submitted = Date.now();
        return {
          QueryExecution: {
            QueryExecutionId: id,
            Query: sql,
            StatementType: 'DML',
            ResultConfiguration: { OutputLocation: `s3://query-results/${id}.csv` },
            ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: false } },
            QueryExecutionContext: { Database: String(context?.Database) },
            Status: { State: 'SUCCEEDED', SubmissionDateTime: submitted, CompletionDateTime: submitted + 1200 },
            Statistics: {
              EngineExecutionTimeInMillis: 900,
              DataScannedInBytes: 52_428,
              TotalExecutionTimeInMillis: 1200,
              QueryQueueTimeInMillis: 80,
              ServicePreProcessingTimeInMillis: 40,
              QueryPlanningTimeInMillis: 200,
              ServiceProcessingTimeInMillis: 30,
              ResultReuseInformation: { ReusedPreviousResult: false },
            },
            WorkGroup: String(taskInput.WorkGroup),
            EngineVersion: {
              SelectedEngineVersion: 'AUTO',
              EffectiveEngineVersion: 'Athena engine version 3',
            },
            SubstatementType: selects.has(id) ? 'SELECT' : 'INSERT',
          },
        } satisfies AsJson<Omit<GetQueryExecutionOutput, '$metadata'>>;
      }
      case RESOURCE.athenaResults: {
        const id = stringField(taskInput, 'QueryExecutionId', state);
        // Athena only has rows for a query that selected them.
        if (!selects.has(id))
          throw serviceError('Athena.InvalidRequestException', `${id} is not a SELECT this run sent`);
        const column = (name: string) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: name,
          Label: name,
          Type: name === 'quality_score' ? 'double' : 'bigint',
          Precision: name === 'quality_score' ? 17 : 19,
          Scale: 0,
          Nullable: 'UNKNOWN' as const,
          CaseSensitive: false,
        });
        return {
          UpdateCount: 0,
          ResultSet: {
            Rows: [
              { Data: VERDICT_ORDER.map((name) => ({ VarCharValue: name })) },
              { Data: VERDICT_ORDER.map((name) => ({ VarCharValue: fake.verdict[name] })) },
            ],
            ResultSetMetadata: { ColumnInfo: VERDICT_ORDER.map(column) },
          },
        } satisfies AsJson<Omit<GetQueryResultsOutput, '$metadata'>>;
      }
      case RESOURCE.putMetricData:
        metrics.push(taskInput as unknown as PutMetricDataInput);
        // PutMetricData answers with no fields.
        return {};
      case RESOURCE.snsPublish:
        notifications.push({ TopicArn: taskInput.TopicArn, Subject: taskInput.Subject, Message: taskInput.Message });
        return { MessageId: randomUUID() };
      default:
        throw serviceError('Harness.UnknownResource', `${state}: no fake for ${resource}`);
    }
  };

  const { machine, tasks } = prepare(definition);
  const handlers: Record<string, (taskInput: never) => unknown> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, resource] of tasks) {
    handlers[name] = (taskInput: Record<string, unknown>) => answer(name, resource, restored(taskInput));
    // Retries keep their attempts and order; only the pauses between them go.
    retryIntervalOverrides[name] = 0;
  }
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
  });
  const recorded = { calls, statements, metrics, notifications };
  try {
    const output = await execution.result;
    return { status: 'SUCCEEDED', output: restored(output), ...recorded };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    // The library wraps the state's error: its name is the ASL Error, its message the Cause.
    const failure = (error as Error & { cause?: Error }).cause;
    return { status: 'FAILED', error: failure?.name, cause: restored(failure?.message), ...recorded };
  }
}
