import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { registerAccessCommand } from '../../bin/commands/access';
import { registerCatalogCommands } from '../../bin/commands/catalog';
import { registerCheckCommand } from '../../bin/commands/check';
import { registerContractCommand } from '../../bin/commands/contract';
import { registerPoliciesCommand } from '../../bin/commands/policies';
import { registerSampleCommand } from '../../bin/commands/sample';
import { registerValidateCommand } from '../../bin/commands/validate';
import { PROJECT_ROOT } from '../support/temp-project';
import { runCommand } from './support/run-command';

const ALL = [
  registerAccessCommand,
  registerCatalogCommands,
  registerCheckCommand,
  registerContractCommand,
  registerPoliciesCommand,
  registerSampleCommand,
  registerValidateCommand,
];
const mesh = (...args: string[]) => runCommand(ALL, ['--root', PROJECT_ROOT, ...args]);

describe('--json prints one JSON document on stdout', () => {
  test('list, show, graph', async () => {
    const list = JSON.parse((await mesh('list', '--json')).stdout) as { id: string }[];
    expect(list).toHaveLength(11);
    const show = JSON.parse((await mesh('show', 'sales/orders', '--json')).stdout) as {
      id: string;
      definition: { name: string };
    };
    expect(show).toMatchObject({ id: 'sales/orders', definition: { name: 'orders' } });
    const graph = JSON.parse((await mesh('graph', '--json')).stdout) as {
      products: string[];
      edges: { consumer: string; producer: string; major: number }[];
    };
    expect(graph.products).toHaveLength(11);
    expect(graph.edges).toHaveLength(10);
    expect(graph.edges).toContainEqual({ consumer: 'sales/revenue_metrics', producer: 'sales/orders', major: 2 });
  });

  test('validate, policies, contract check and access sizes', async () => {
    const validate = await mesh('validate', '--json');
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, problems: [] });
    const policies = JSON.parse((await mesh('policies', '--json')).stdout) as { id: string; severity: string }[];
    expect(policies.length).toBeGreaterThan(60);
    const contracts = await mesh('contract', 'check', '--json');
    expect(JSON.parse(contracts.stdout)).toEqual({ errors: 0, warnings: 0, findings: [] });
    const sizes = await mesh('access', 'sizes', '--json');
    expect(sizes.exitCode).toBeUndefined();
    expect(JSON.parse(sizes.stdout)).toMatchObject({
      limits: { bucketPolicyBytes: 20480 },
      domains: expect.arrayContaining([expect.objectContaining({ domain: 'marketing', inputs: 3, fromDomains: 2 })]),
      problems: [],
    });
  });
});

describe('- is stdout where a command writes a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-stdout-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('sample --out - writes the rows to stdout and its messages to stderr', async () => {
    const { stdout, stderr } = await mesh('sample', 'sales/orders', '--rows', '5', '--format', 'csv', '--out', '-');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^order_id,customer_id,channel,/);
    expect(lines).toHaveLength(6);
    expect(stderr).toContain('wrote 5 rows of sales/orders v2 to stdout (csv)');
  });

  test('check --json - prints the report as JSON instead of the text report', async () => {
    const file = path.join(dir, 'orders.csv');
    fs.writeFileSync(
      file,
      (await mesh('sample', 'sales/orders', '--rows', '50', '--format', 'csv', '--out', '-')).stdout,
    );
    const { stdout, exitCode } = await mesh('check', 'sales/orders', '--local', file, '--json', '-');
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      product: 'sales/orders',
      major: 2,
      mode: 'local',
      report: { passed: true },
    });
  });

  test('contract export -o - writes every contract as one YAML stream', async () => {
    const { stdout, stderr } = await mesh('contract', 'export', '-o', '-');
    const documents = parseAllDocuments(stdout).map((d) => d.toJS() as { id: string; kind: string });
    expect(documents).toHaveLength(17);
    expect(documents.every((d) => d.kind === 'DataContract')).toBe(true);
    expect(stderr).toContain('wrote 17 contracts to stdout, all valid against ODCS v3.1.0');
    expect(fs.existsSync(path.join(PROJECT_ROOT, '-'))).toBe(false);
  });
});
