/**
 * The run state machines proven offline: every definition the example mesh deploys is valid ASL, and a build's
 * write-audit-publish logic runs in aws-local-stepfunctions against a fake AWS (support/local-execution.ts).
 * A failing rule stops the publish; the SQL Athena receives is exactly what lib/runtime/statements.ts wrote,
 * with this run's id and day filled in.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { renderBuildSql } from '../../lib/build/render';
import { allProducts, type Mesh, type MeshProduct } from '../../lib/mesh/model';
import { domainNames, productVersionNames } from '../../lib/mesh/naming';
import { domainRuntimeNames, productRuntimeNames } from '../../lib/runtime/names';
import { productRun } from '../../lib/runtime/plan';
import {
  auditStatement,
  clearStagingStatement,
  publishStatement,
  type RunTables,
  renderSlots,
  SLOT,
  stageStatement,
  verdictStatement,
} from '../../lib/runtime/statements';
import { aslErrors, aslErrorsOfAll, rawAslErrors } from './support/asl';
import {
  type FakeAws,
  type LocalExecution,
  runLocally,
  serviceError,
  type VerdictCells,
} from './support/local-execution';
import { exampleMeshMachines, PLACEHOLDER_ENV } from './support/synthesized-machines';

const { mesh, machines } = exampleMeshMachines();

function productOf(id: string): MeshProduct {
  const product = allProducts(mesh).find((p) => p.id === id);
  if (!product) throw new Error(`no product ${id} in the example mesh`);
  return product;
}

function machineOf(product: MeshProduct): StateMachineDefinition {
  const run = productRun(product);
  if (!run) throw new Error(`${product.id} does not run`);
  const name = productRuntimeNames(mesh.config, product.domain, product.name, run.version.major).stateMachine;
  const machine = machines.find((m) => m.stateMachineName === name);
  if (!machine) throw new Error(`no state machine ${name}`);
  return machine.definition;
}

/** The statements lib/runtime/statements.ts writes for the product, slots unfilled, by the state that sends them. */
function writtenStatements(m: Mesh, product: MeshProduct): Record<string, string> {
  const run = productRun(product);
  if (!run) throw new Error(`${product.id} does not run`);
  const { version, kind } = run;
  const tables: RunTables = {
    database: domainNames(m.config, product.domain).database,
    table: productVersionNames(product.name, version.major).table,
    stagingTable: productRuntimeNames(m.config, product.domain, product.name, version.major).stagingTable,
    qualityResultsTable: domainRuntimeNames(m.config, product.domain).qualityResultsTable,
  };
  const checks = {
    Audit: auditStatement(product, version, tables, kind, 'trino'),
    Verdict: verdictStatement(product, tables, kind),
  };
  if (kind === 'check') return checks;
  const select = renderBuildSql(product, version, m, 'athena', { runDate: `DATE '${SLOT.runDate}'` }).sql;
  return {
    Stage: stageStatement(version, tables, select, 'trino'),
    ...checks,
    Publish: publishStatement(product, version, tables),
    ClearStaging: clearStagingStatement(tables, 'trino'),
  };
}

const PASSING: VerdictCells = {
  failed_rules: '0',
  rules: '9',
  quality_score: '100.0',
  rows_written: '3',
  freshness_age_seconds: '3600',
};
const FAILING: VerdictCells = { ...PASSING, failed_rules: '2', quality_score: '77.78' };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DAY_LITERAL = /DATE '([^']*)'/g;

const revenue = productOf('sales/revenue_metrics');
const orders = productOf('sales/orders');
const build = machineOf(revenue);
const check = machineOf(orders);

const run = (definition: StateMachineDefinition, input: Record<string, unknown>, fake: FakeAws) =>
  runLocally(definition, input, fake);
const statesCalled = (execution: LocalExecution) => execution.calls.map((c) => c.state);
const outputOf = (execution: LocalExecution) => execution.output as Record<string, unknown>;

describe('every deployed state machine is valid ASL', () => {
  test('the example mesh has one machine per running product, builds and checks among them', () => {
    const expected = allProducts(mesh).flatMap((product) => {
      const plan = productRun(product);
      if (!plan) return [];
      return [productRuntimeNames(mesh.config, product.domain, product.name, plan.version.major).stateMachine];
    });
    expect(machines.map((m) => m.stateMachineName).sort()).toEqual(expected.sort());
    expect(productRun(revenue)?.kind).toBe('build');
    expect(productRun(orders)?.kind).toBe('check');
    expect(Object.keys(build.States)).toContain('Stage');
    expect(Object.keys(check.States)).not.toContain('Stage');
  });

  test('asl-validator finds no error in any of them, paths, intrinsics and ARNs checked', () => {
    const problems = aslErrorsOfAll(Object.fromEntries(machines.map((m) => [m.stateMachineName, m.definition])));
    expect(problems).toEqual(Object.fromEntries(machines.map((m) => [m.stateMachineName, []])));
  });

  test('the validator does see a broken definition: a missing state, a malformed intrinsic', () => {
    const broken = structuredClone(build);
    (broken.States.Audit as { Next: string }).Next = 'Verdikt';
    const badIntrinsic = structuredClone(build);
    const stage = badIntrinsic.States.Stage as { Parameters: Record<string, string> };
    stage.Parameters['QueryString.$'] = stage.Parameters['QueryString.$'].replace(/\)$/, '');
    expect(aslErrors(badIntrinsic)).not.toEqual([]);
    // Validated together, a broken one is still found and reported under its own name.
    const found = aslErrorsOfAll({ good: check, broken });
    expect(found.good).toEqual([]);
    expect(found.broken.join('\n')).toContain('Verdikt');
  });

  test('the bridged validator gap is still there (drop support/asl.ts bridging when this fails)', () => {
    const literalBackslash = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Parameters: { 'sql.$': "States.Format('\\\\s {}', $.x)" }, End: true } },
    };
    expect(rawAslErrors(literalBackslash)).not.toEqual([]);
    expect(aslErrors(literalBackslash)).toEqual([]);
  });

  test('the definitions were resolved for the placeholder account: no CloudFormation value is left', () => {
    for (const m of machines) {
      const text = JSON.stringify(m.definition);
      expect(text).not.toMatch(/Fn::|"Ref"/);
      expect(text).toContain(
        `arn:${PLACEHOLDER_ENV.partition}:sns:${PLACEHOLDER_ENV.region}:${PLACEHOLDER_ENV.account}:`,
      );
    }
  });
});

describe('a build run: write, audit, publish only when every rule passes', () => {
  test('verdict 0 failed rules: Stage, Audit, Verdict, Publish, ClearStaging, each the statement written', async () => {
    const execution = await run(build, { runDate: '2026-11-30' }, { verdict: PASSING });
    expect(execution.status).toBe('SUCCEEDED');
    expect(statesCalled(execution)).toEqual([
      'Stage',
      'Audit',
      'Verdict',
      'ReadVerdict',
      'PublishMetrics',
      'Publish',
      'ClearStaging',
    ]);
    const output = outputOf(execution);
    expect(output).toEqual({
      runId: expect.stringMatching(UUID),
      runDate: '2026-11-30',
      kind: 'build',
      published: true,
      failedRules: 0,
      rules: 9,
      rowsWritten: 3,
    });
    // Exactly the text statements.ts wrote: States.Format and the CDK's escaping lose nothing.
    const written = writtenStatements(mesh, revenue);
    const filled = { runId: String(output.runId), runDate: '2026-11-30' };
    expect(execution.statements.map((s) => s.state)).toEqual(['Stage', 'Audit', 'Verdict', 'Publish', 'ClearStaging']);
    for (const statement of execution.statements) {
      expect(statement.sql).toBe(renderSlots(written[statement.state], filled));
      expect(statement.workGroup).toBe('acme-sales');
      expect(statement.database).toBe('acme_sales');
    }
    expect(execution.statements.find((s) => s.state === 'Publish')?.sql).toMatch(
      /^MERGE INTO "acme_sales"\."revenue_metrics_v2"/,
    );
    expect(execution.notifications).toEqual([]);
  });

  test('the metrics are put as numbers, with the product dimensions', async () => {
    const execution = await run(build, {}, { verdict: PASSING });
    expect(execution.metrics).toHaveLength(1);
    const [put] = execution.metrics;
    expect(put.Namespace).toBe('DataMesh/acme');
    const values = Object.fromEntries((put.MetricData ?? []).map((d) => [d.MetricName, d.Value]));
    expect(values).toEqual({
      QualityScore: 100,
      FailedRules: 0,
      ChecksCompleted: 1,
      RowsWritten: 3,
      FreshnessAgeSeconds: 3600,
    });
    for (const datum of put.MetricData ?? []) {
      expect(datum.Dimensions).toEqual([
        { Name: 'Domain', Value: 'sales' },
        { Name: 'Product', Value: 'revenue_metrics' },
        { Name: 'Version', Value: '2' },
      ]);
    }
  });

  test('verdict 2 failed rules: no MERGE is sent, the owner is told, the run fails QualityGateFailed', async () => {
    const execution = await run(build, { runDate: '2026-11-30' }, { verdict: FAILING });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('QualityGateFailed');
    expect(statesCalled(execution)).toEqual([
      'Stage',
      'Audit',
      'Verdict',
      'ReadVerdict',
      'PublishMetrics',
      'NotifyQualityFailed',
    ]);
    expect(execution.statements.some((s) => /\bMERGE\b/.test(s.sql))).toBe(false);
    expect(execution.statements.some((s) => s.state === 'ClearStaging')).toBe(false);

    const cause = JSON.parse(String(execution.cause));
    expect(cause).toEqual({
      runId: expect.stringMatching(UUID),
      runDate: '2026-11-30',
      kind: 'build',
      published: false,
      failedRules: 2,
      rules: 9,
      rowsWritten: 3,
    });
    expect(execution.notifications).toHaveLength(1);
    const [notice] = execution.notifications;
    expect(notice.TopicArn).toBe(`arn:aws:sns:${PLACEHOLDER_ENV.region}:${PLACEHOLDER_ENV.account}:acme-sales-alerts`);
    expect(notice.Subject).toBe('Quality gate failed: sales/revenue_metrics v2');
    expect(notice.Message).toContain('sales/revenue_metrics v2: 2 of 9 rules failed');
    expect(notice.Message).toContain(`in run ${cause.runId} (run day 2026-11-30)`);
    expect(notice.Message).toContain('Nothing was published');
    const failedRules = execution.metrics[0].MetricData?.find((d) => d.MetricName === 'FailedRules');
    expect(failedRules?.Value).toBe(2);
  });

  test('a failing freshness rule alone does not block: the verdict counts blocking failures, the gate trusts it', async () => {
    // freshness_age_seconds far past the SLA, failed_rules 0 (the verdict SQL leaves freshness out of it).
    const execution = await run(build, {}, { verdict: { ...PASSING, freshness_age_seconds: '900000' } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(statesCalled(execution)).toContain('Publish');
  });
});

describe('the run day', () => {
  const daysIn = (execution: LocalExecution) =>
    execution.statements.flatMap((s) => [...s.sql.matchAll(DAY_LITERAL)].map((m) => m[1]));

  test('a given runDate is the day of every statement', async () => {
    const execution = await run(build, { runDate: '2026-11-30' }, { verdict: PASSING });
    expect(daysIn(execution).length).toBeGreaterThan(0);
    expect(new Set(daysIn(execution))).toEqual(new Set(['2026-11-30']));
  });

  test("the schedule's scheduledTime gives its UTC day", async () => {
    const execution = await run(build, { scheduledTime: '2026-12-03T05:00:00Z' }, { verdict: PASSING });
    expect(new Set(daysIn(execution))).toEqual(new Set(['2026-12-03']));
    expect(outputOf(execution).runDate).toBe('2026-12-03');
  });

  test('a runDate given wins over scheduledTime', async () => {
    const execution = await run(
      build,
      { runDate: '2026-11-30', scheduledTime: '2026-12-03T05:00:00Z' },
      { verdict: PASSING },
    );
    expect(new Set(daysIn(execution))).toEqual(new Set(['2026-11-30']));
  });

  test('a runDate with a quote fails InvalidRunDate before any Athena call', async () => {
    const execution = await run(build, { runDate: "2026-11-30' OR 1=1 --" }, { verdict: PASSING });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidRunDate');
    expect(execution.cause).toBe('runDate must be a day written YYYY-MM-DD');
    expect(execution.calls).toEqual([]);
  });

  test('a runDate with a backslash or one that is not a string fails InvalidRunDate too', async () => {
    for (const runDate of ['2026-11-30\\', 20261130]) {
      const execution = await run(build, { runDate }, { verdict: PASSING });
      expect([execution.error, execution.calls.length]).toEqual(['InvalidRunDate', 0]);
    }
  });

  test('a runDate that is not a calendar day written YYYY-MM-DD fails InvalidRunDate before any query', async () => {
    for (const runDate of ['tomorrow', '2026-11-30"x', '2026-11-30T05:00:00Z', '2026-13-01']) {
      const execution = await run(build, { runDate }, { verdict: PASSING });
      expect([runDate, execution.error, execution.calls.length]).toEqual([runDate, 'InvalidRunDate', 0]);
    }
  });

  test('no input: the day the execution started (UTC)', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const execution = await run(build, {}, { verdict: PASSING });
    const after = new Date().toISOString().slice(0, 10);
    const day = String(outputOf(execution).runDate);
    expect([before, after]).toContain(day);
    expect(new Set(daysIn(execution))).toEqual(new Set([day]));
  });
});

describe('the run id', () => {
  const idsIn = (execution: LocalExecution) => execution.statements.map((s) => new Set(s.sql.match(UUID)));

  test('one run id in every statement of a run, the one the run reports', async () => {
    const execution = await run(build, {}, { verdict: PASSING });
    const runId = outputOf(execution).runId;
    expect(execution.statements).toHaveLength(5);
    for (const ids of idsIn(execution)) expect(ids).toEqual(new Set([runId]));
  });

  test('two runs of the same day have different run ids', async () => {
    const [first, second] = await Promise.all([
      run(build, { runDate: '2026-11-30' }, { verdict: PASSING }),
      run(build, { runDate: '2026-11-30' }, { verdict: PASSING }),
    ]);
    expect(outputOf(first).runId).not.toBe(outputOf(second).runId);
  });
});

describe('Athena failures', () => {
  test('a failed audit query fails the run with the Athena error; nothing is published', async () => {
    const execution = await run(
      build,
      {},
      {
        verdict: PASSING,
        failures: { Audit: [serviceError('Athena.InvalidRequestException', 'COLUMN_NOT_FOUND: line 3:14')] },
      },
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Athena.InvalidRequestException');
    expect(statesCalled(execution)).toEqual(['Stage', 'Audit']);
    expect(execution.metrics).toEqual([]);
  });

  test('a failed publish is not retried and leaves the staged rows (ClearStaging does not run)', async () => {
    const execution = await run(
      build,
      {},
      {
        verdict: PASSING,
        failures: { Publish: [serviceError('Athena.InvalidRequestException', 'ICEBERG_COMMIT_ERROR')] },
      },
    );
    expect(execution.error).toBe('Athena.InvalidRequestException');
    expect(statesCalled(execution).slice(-1)).toEqual(['Publish']);
    expect(statesCalled(execution).filter((s) => s === 'Publish')).toHaveLength(1);
  });

  test('throttling is retried and the run goes on', async () => {
    const throttled = () => serviceError('Athena.TooManyRequestsException', 'Rate exceeded');
    const execution = await run(build, {}, { verdict: PASSING, failures: { Stage: [throttled(), throttled()] } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(statesCalled(execution).filter((s) => s === 'Stage')).toHaveLength(3);
  });

  test('throttling that outlasts the retries fails the run', async () => {
    const throttled = Array.from({ length: 5 }, () => serviceError('Athena.TooManyRequestsException', 'Rate exceeded'));
    const execution = await run(build, {}, { verdict: PASSING, failures: { Stage: throttled } });
    expect(execution.error).toBe('Athena.TooManyRequestsException');
    // One attempt and four retries.
    expect(execution.calls).toHaveLength(5);
  });
});

describe('a check run (a product without a build)', () => {
  test('backslashes and braces of rule SQL (regexes) reach Athena as written', async () => {
    const profiles = productOf('customers/customer_profiles');
    const execution = await run(machineOf(profiles), {}, { verdict: PASSING });
    const audit = execution.statements.find((s) => s.state === 'Audit');
    const written = writtenStatements(mesh, profiles).Audit;
    expect(written).toMatch(/\\s.*\{6,14\}/s);
    const filled = { runId: String(outputOf(execution).runId), runDate: String(outputOf(execution).runDate) };
    expect(audit?.sql).toBe(renderSlots(written, filled));
  });

  test('audits and reads the verdict; nothing is staged or published', async () => {
    const execution = await run(check, { runDate: '2026-11-30' }, { verdict: PASSING });
    expect(execution.status).toBe('SUCCEEDED');
    expect(statesCalled(execution)).toEqual(['Audit', 'Verdict', 'ReadVerdict', 'PublishMetrics']);
    const output = outputOf(execution);
    expect(output).toMatchObject({ kind: 'check', published: false, failedRules: 0, rules: 9 });
    const written = writtenStatements(mesh, orders);
    const filled = { runId: String(output.runId), runDate: '2026-11-30' };
    for (const statement of execution.statements) {
      expect(statement.sql).toBe(renderSlots(written[statement.state], filled));
    }
    expect(execution.statements.some((s) => /\b(MERGE|DELETE)\b/.test(s.sql))).toBe(false);
    // A check writes no rows: no RowsWritten metric.
    const names = execution.metrics[0].MetricData?.map((d) => d.MetricName);
    expect(names).not.toContain('RowsWritten');
    expect(names).toContain('FailedRules');
  });

  test('a failing check tells the owner the published data breaks its contract', async () => {
    const execution = await run(check, {}, { verdict: FAILING });
    expect(execution.error).toBe('QualityGateFailed');
    expect(JSON.parse(String(execution.cause))).toMatchObject({ kind: 'check', published: false, failedRules: 2 });
    expect(execution.notifications[0].Message).toContain('sales/orders v2: 2 of 9 rules failed');
    expect(execution.notifications[0].Message).toContain('The published data breaks its contract.');
  });
});
