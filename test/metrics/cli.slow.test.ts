/**
 * `mesh metrics` as a user runs it: the CLI in a child process on a copy of the example project. Without an
 * assembly it synthesizes the mesh in-process and reads the policy reports; given one (--assembly) it reads
 * that, so a template edited to import another stack's export shows up as a stack that is not autonomous.
 * Quality results come from --results. Input it cannot use exits 2 with the reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMesh } from '../../lib/mesh/load';
import { domainNames } from '../../lib/mesh/naming';
import { synthesizeMeshAssembly } from '../../lib/metrics';
import { runMesh } from '../support/run-mesh';
import { copyExampleProject } from '../support/temp-project';

const TODAY = '2026-12-04';
const FIXTURES = path.join(__dirname, 'fixtures');

let project: string;
beforeAll(() => {
  project = copyExampleProject();
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test('--json on the example: the hand-computed table, every stack autonomous, every check passed', async () => {
  const run = await runMesh(['-C', project, 'metrics', '--json', '--today', TODAY, '--results', FIXTURES]);
  expect(run.code).toBe(0);
  const metrics = JSON.parse(run.stdout);
  expect(
    metrics.domains.map((d: Record<string, unknown>) => [d.domain, d.products, d.liveMajors, d.edgesIn, d.edgesOut]),
  ).toEqual([
    ['customers', 2, 3, 1, 1],
    ['fulfillment', 3, 4, 1, 0],
    ['marketing', 4, 6, 3, 0],
    ['sales', 2, 4, 0, 4],
  ]);
  expect(metrics.mesh).toMatchObject({
    products: 11,
    liveMajors: 17,
    crossDomainEdges: 5,
    autonomousStacks: 4,
    autonomyScore: 1,
    compliance: { rate: 1, fail: 0, errors: 0 },
    qualityResults: 2,
    slaAdherence: 0.5,
  });
  expect(metrics.mesh.compliance.pass).toBeGreaterThan(1000);
  // Synthesized into a temporary folder, removed afterwards: no assembly to point at.
  expect(metrics.sources).toEqual({ assembly: null, synthesized: true, qualityResultFiles: 2 });
  const sales = metrics.domains.find((d: { domain: string }) => d.domain === 'sales');
  expect(sales.qualityScore).toBeCloseTo(85.714, 2);
  expect(sales.maturity).toMatchObject({ level: 3, name: 'Governed' });
});

test('an assembly whose template imports another stack’s export: that stack is not autonomous', async () => {
  const mesh = loadMesh({ root: project });
  const assembly = synthesizeMeshAssembly({ root: project, mesh, today: TODAY });
  try {
    const marketing = domainNames(mesh.config, 'marketing').stackName;
    const file = path.join(assembly, `${marketing}.template.json`);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    template.Outputs = { ...template.Outputs, Borrowed: { Value: { 'Fn::ImportValue': 'SalesOrdersBucketArn' } } };
    fs.writeFileSync(file, JSON.stringify(template));

    const run = await runMesh(['-C', project, 'metrics', '--json', '--today', TODAY, '--assembly', assembly]);
    expect(run.code).toBe(0);
    const metrics = JSON.parse(run.stdout);
    expect(metrics.mesh).toMatchObject({ autonomousStacks: 3, autonomyScore: 0.75 });
    expect(metrics.sources.synthesized).toBe(false);
    const row = metrics.domains.find((d: { domain: string }) => d.domain === 'marketing');
    expect(row.autonomous).toBe(false);
    expect(row.autonomyGaps).toEqual([
      `${marketing}.template.json takes values from other stacks (Fn::ImportValue SalesOrdersBucketArn)`,
    ]);

    // The text says the same, per domain and for the mesh.
    const text = await runMesh(['-C', project, 'metrics', '--today', TODAY, '--assembly', assembly]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^marketing\s+4\s+6\s+3\s+0\s+no\s+100 %/m);
    expect(text.stdout).toMatch(/^mesh\s+11\s+17\s+5\s+5\s+3 of 4\s+100 %/m);
  } finally {
    fs.rmSync(assembly, { recursive: true, force: true });
  }
});

describe('input it cannot use: exit 2 and the reason', () => {
  test.each([
    [['--today', '2026-13-45'], /--today/],
    [['--results', 'no-such-results.json'], /no-such-results\.json: no such file or folder/],
    [['--results', 'cdk.json'], /cdk\.json is not a quality report written by mesh check --json <file>/],
    [['--assembly', 'domains'], /domains is not a cloud assembly/],
  ])('mesh metrics %j', async (args, message) => {
    const run = await runMesh(['-C', project, 'metrics', '--json', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
