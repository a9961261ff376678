/**
 * `mesh diff` end to end: a copy of the example project in a new git repository, a change, and the diff of
 * the sales stack against a commit (two real synths per diff: these tests take minutes).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResourceChange } from '../../lib/stack-diff/compare';
import { runCli } from '../cli/support/run-command';
import { copyExampleProject, PROJECT_ROOT } from '../support/temp-project';

jest.setTimeout(600_000);

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=mesh tests', '-c', 'user.email=tests@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
}

describe('mesh diff', () => {
  let project: string;
  beforeAll(() => {
    project = copyExampleProject();
    // The app and the constructs are copied rather than linked, so a test can change the platform's code.
    for (const folder of ['bin', 'constructs']) {
      fs.rmSync(path.join(project, folder));
      fs.cpSync(path.join(PROJECT_ROOT, folder), path.join(project, folder), { recursive: true });
    }
    git(project, 'init', '--quiet');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'example mesh');
  });
  afterAll(() => {
    git(project, 'worktree', 'prune');
    fs.rmSync(project, { recursive: true, force: true });
  });

  test('a committed description change modifies the table in place: exit 0', () => {
    edit(
      path.join(project, 'domains', 'sales', 'products', 'orders.ts'),
      'Every order placed in any sales channel',
      'Every order taken in any sales channel',
    );
    expect(runCli(['contract', 'lock', 'sales/orders'], { cwd: project }).code).toBe(0);
    git(project, 'commit', '--quiet', '-am', 'orders: purpose reworded');
    const { code, stdout, stderr } = runCli(['diff', 'sales', '--base', 'HEAD~1'], { cwd: project });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Mesh-Sales: working tree against HEAD~1 \([0-9a-f]{12}\)/);
    expect(stdout).toMatch(/modified {2}AWS::Glue::Table Mesh-Sales\/OrdersTableV2\w+: TableInput/);
    expect(stdout).toContain('TableInput.Description: "Every order placed');
    expect(stdout).toMatch(/nothing that holds data is replaced or deleted \(\d+ changes?\)/);
    expect(stdout).not.toContain('\x1b['); // not a terminal: no colours
  });

  test('a renamed construct gives the domain’s buckets, key, database and workgroup new logical IDs: replacements, exit 1', () => {
    edit(
      path.join(project, 'constructs', 'domain-stack.ts'),
      "new DataDomain(this, 'Domain',",
      "new DataDomain(this, 'Data',",
    );
    const { code, stdout, stderr } = runCli(['diff', 'sales', '--json'], { cwd: project });
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(stdout) as { stack: string; base: string; destructive: ResourceChange[] };
    expect(report).toMatchObject({ stack: 'Mesh-Sales', base: 'HEAD' });
    const types = report.destructive.map((c) => c.type).sort();
    expect(types).toEqual([
      'AWS::Athena::WorkGroup',
      'AWS::Glue::Database',
      'AWS::KMS::Key',
      'AWS::S3::Bucket',
      'AWS::S3::Bucket',
      'AWS::S3::Bucket',
    ]);
    // Paired by name: the data bucket's successor is the new data bucket, not another of the three.
    const data = report.destructive.find((c) => /^DomainData[0-9A-F]{8}$/.test(c.logicalId));
    expect(data).toMatchObject({
      kind: 'replace',
      template: 'Mesh-Sales',
      stateful: true,
      retained: true,
      replacement: {
        template: 'Mesh-Sales',
        logicalId: expect.stringMatching(/^Data[0-9A-F]{8}$/) /* CDK drops the repeated "Data" */,
      },
    });
    // The product tables keep their logical IDs and names: not replaced.
    expect(report.destructive.some((c) => c.type === 'AWS::Glue::Table')).toBe(false);
    expect(git(project, 'worktree', 'list').trim().split('\n')).toHaveLength(1); // the base worktree is gone
  });

  test('a ref that is not a commit, or a domain on neither side: exit 2 before any synth', () => {
    expect(runCli(['diff', 'sales', '--base', 'no-such-branch'], { cwd: project })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"no-such-branch" is not a commit of the repository'),
    });
    expect(runCli(['diff', 'billing'], { cwd: project })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no domain "billing" at HEAD nor in the working tree'),
    });
  });
});
