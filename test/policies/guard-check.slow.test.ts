/**
 * `mesh guard check`: the deploy-time rules over a synthesized cloud assembly, as CI runs them before a
 * deploy. Which templates the hook judges (domain stacks and their nested stacks, not other stacks), and the
 * command's verdict on the example mesh and on a template tampered with after synth.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestedStack, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { domainNames } from '../../lib/mesh/naming';
import { guardedTemplates } from '../../lib/policies/guard/assembly-templates';
import { exampleMesh, governedApp, PROJECT_ROOT, testApp } from './support/apps';

// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary template JSON
type Json = Record<string, any>;

function mesh(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), 'guard', 'check', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('templates the Guard Hook judges', () => {
  test('domain stacks and their nested stacks, not the other stacks of the assembly', () => {
    const app = testApp();
    const domain = new Stack(app, 'Mesh-Demo');
    new s3.CfnBucket(new NestedStack(domain, 'Products0'), 'Table');
    new s3.CfnBucket(new Stack(app, 'MeshPlatform-Guard'), 'Reports');
    const assembly = app.synth();
    const found = guardedTemplates(assembly.directory).map((t) => [t.stackName, path.basename(t.file)]);
    expect(found).toEqual([
      ['Mesh-Demo', 'Mesh-Demo.template.json'],
      ['Mesh-Demo', expect.stringMatching(/Products0.*\.nested\.template\.json$/)],
    ]);
  });

  test('a folder without a cloud assembly says to synth first', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-empty-'));
    try {
      expect(() => guardedTemplates(dir)).toThrow(
        `${dir}: no manifest.json, so no cloud assembly: run npx cdk synth first`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mesh guard check', () => {
  let clean: string;
  let tampered: string;

  beforeAll(() => {
    const { app } = governedApp(exampleMesh());
    clean = app.synth().directory;
    tampered = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-check-'));
    fs.cpSync(clean, tampered, { recursive: true });
    const file = path.join(tampered, 'Mesh-Sales.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, Json> };
    // The domain key, by its alias: the stack has a runtime key too, which stays retained.
    const alias = domainNames(exampleMesh().config, 'sales').keyAlias;
    const aliases = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::KMS::Alias' && r.Properties.AliasName === alias,
    );
    expect(aliases).toHaveLength(1);
    const key = template.Resources[aliases[0].Properties.TargetKeyId['Fn::GetAtt'][0]];
    expect(key.Type).toBe('AWS::KMS::Key');
    key.DeletionPolicy = 'Delete';
    fs.writeFileSync(file, JSON.stringify(template));
  }, 60_000);

  afterAll(() => {
    if (tampered) fs.rmSync(tampered, { recursive: true, force: true });
  });

  test('the example mesh passes', () => {
    const run = mesh([clean, '--json']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ passed: true, templates: exampleMesh().domains.length, failures: [] });
  }, 60_000);

  test('a tampered template fails, naming stack, rule, resource and fix; exit 1', () => {
    const run = mesh([tampered]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /Mesh-Sales\s+MESH-STATE-001\s+DomainKey\w+\s+Stateful resources are retained on delete and replace\. Fix: set removalPolicy: RemovalPolicy\.RETAIN/,
    );
    expect(run.stdout).toContain('1 failure(s): the Guard Hook would refuse these stacks.');
    expect(run.stdout).not.toMatch(/Mesh-(Customers|Marketing|Fulfillment)\s+MESH/);
  }, 60_000);
});
