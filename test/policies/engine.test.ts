/**
 * The engine itself: one walk and no second resolution, fail-closed on deploy-time values, nested stacks,
 * reports and summaries, the registry, and how an app gets governance.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnParameter, type CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import type { DomainStack } from '../../constructs/domain-stack';
import { addDomainStacks } from '../../constructs/mesh-app';
import {
  applyGovernance,
  governanceOf,
  PLATFORM_RULES,
  type ResourceRule,
  RuleRegistry,
  summaryLine,
  writePolicyReports,
} from '../../lib/policies';
import { exampleMesh, governedApp, messagesOf, TODAY, testApp, text } from './support/apps';
import { addBucket, addTable } from './support/hand-written';
import { buildMesh, domainSpec, productSpec } from './support/mesh-builder';

describe('resolution', () => {
  test('governance adds no second resolution: each resource is rendered once, by synthesis', () => {
    const renders = (governance: boolean) => {
      const app = testApp();
      const [stack] = addDomainStacks(app, exampleMesh(), {
        onlyDomain: 'sales',
        governance: governance && { today: TODAY, sources: [] },
      });
      const bucket = stack.dataDomain.dataBucket.node.defaultChild as CfnResource;
      const render = bucket._toCloudFormation.bind(bucket);
      let calls = 0;
      bucket._toCloudFormation = () => {
        calls++;
        return render();
      };
      app.synth();
      return calls;
    };
    expect(renders(true)).toBe(renders(false));
  });

  test('a value only known at deploy time fails closed, whatever the rule', () => {
    const { stacks } = governedApp(exampleMesh());
    const sales = stacks.get('sales') as DomainStack;
    const name = new CfnParameter(sales, 'BucketNameParam', { type: 'String' });
    const flag = new CfnParameter(sales, 'BlockParam', { type: 'String' });
    addBucket(new Construct(sales, 'Parameterized'), sales, 'p', {
      props: {
        bucketName: name.valueAsString,
        publicAccessBlockConfiguration: {
          blockPublicAcls: flag.valueAsString as unknown as boolean,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      },
    });
    expect(messagesOf(sales, 'error', 'MESH-S3-010', '/Mesh-Sales/Parameterized').map(text)).toEqual([
      expect.stringContaining('cannot verify BucketName: <BucketNameParam> is only known at deploy time'),
    ]);
    expect(messagesOf(sales, 'error', 'MESH-S3-001', '/Mesh-Sales/Parameterized').map(text)).toEqual([
      expect.stringContaining('cannot verify PublicAccessBlockConfiguration.BlockPublicAcls'),
    ]);
  });

  test('a warning rule that meets an unknown value reports an error (custom rule, custom registry)', () => {
    const descriptionIsLiteral: ResourceRule = {
      kind: 'resource',
      id: 'ACME-DOC-001',
      severity: 'warning',
      title: 'Buckets describe themselves in a literal tag',
      explanation: 'Test rule.',
      fix: 'use a literal',
      resourceTypes: ['AWS::S3::Bucket'],
      check: (bucket, { template }) => {
        const value = bucket.properties.BucketName;
        return template.render(value) === undefined ? [{ message: 'name is not literal', unresolved: true }] : [];
      },
    };
    const app = testApp();
    const [sales] = addDomainStacks(app, exampleMesh(), {
      onlyDomain: 'sales',
      governance: { today: TODAY, sources: [], rules: [descriptionIsLiteral] },
    });
    const name = new CfnParameter(sales, 'Name', { type: 'String' });
    addBucket(new Construct(sales, 'Custom'), sales, 'c', { props: { bucketName: name.valueAsString } });
    const annotations = Annotations.fromStack(sales);
    annotations.hasError(
      '/Mesh-Sales/Custom/Bucket',
      Match.stringLikeRegexp('^\\[ACME-DOC-001\\] domains/sales/domain.ts'),
    );
    // Only the registered rules ran: the platform's S3 rules did not.
    expect(annotations.findError('*', Match.stringLikeRegexp('^\\[MESH-S3-'))).toEqual([]);
  });
});

describe('nested stacks', () => {
  const mesh = buildMesh([
    {
      domain: domainSpec('big', { productShards: 2 }),
      products: ['alpha', 'beta', 'gamma', 'delta'].map((n) => productSpec(n)),
    },
  ]);
  const { app, stacks } = governedApp(mesh);
  const big = stacks.get('big') as DomainStack;
  const alpha = big.products.get('alpha') as Construct;
  addTable(new Construct(alpha, 'Drifted'), big, {
    name: 'alpha_v1',
    storageDescriptor: { location: 's3://elsewhere/', columns: [{ name: 'id', type: 'string' }] },
  });

  test("resources in the domain's nested stacks are checked, and findings reach the domain stack", () => {
    expect(Stack.of(alpha).nested).toBe(true);
    expect(messagesOf(big, 'error', 'MESH-GLUE-004', `/${alpha.node.path}`).map(text)).toEqual(
      expect.arrayContaining([expect.stringContaining('domains/big/products/alpha.ts')]),
    );
    const report = governanceOf(app)?.stackReports()[0];
    const tables = report?.results.filter((r) => r.type === 'AWS::Glue::Table') ?? [];
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(report?.results.filter((r) => r.kind === 'template')).toHaveLength(3);
  });
});

describe('reports', () => {
  test('one report per stack: rule × resource statuses, counts, findings; one summary line each', () => {
    const mesh = buildMesh([
      {
        domain: domainSpec('lab'),
        products: [
          productSpec('ok'),
          productSpec('excused', {
            quality: [],
            exceptions: [
              {
                rule: 'MESH-PROD-010',
                reason: 'Quality rules follow with the backfill.',
                approvedBy: 'governance-lead@example.com',
                expires: '2026-08-30',
              },
            ],
          }),
          productSpec('broken', { sla: undefined }),
        ],
      },
    ]);
    const { app } = governedApp(mesh);
    const assembly = app.synth();
    const lines: string[] = [];
    const [report] = writePolicyReports(app, assembly.directory, (line) => lines.push(line));
    const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Mesh-Lab.policy-report.json'), 'utf8'));
    expect(written.summary).toEqual(report.summary);
    expect(report.summary).toMatchObject({ errors: 1, warnings: 0 });
    // The definition exception, and the platform's own (lib/policies/platform-exceptions.ts).
    expect(report.findings.filter((f) => f.status === 'excepted' && !f.exception?.declaredIn)).toHaveLength(1);
    expect(report.summary.exceptedFindings).toBe(report.findings.filter((f) => f.status === 'excepted').length);
    expect(lines).toEqual([summaryLine(report)]);
    expect(lines[0]).toMatch(
      /^Mesh-Lab: \d+ rules × \d+ resources \+ 4 definitions, 1 error, 0 warnings, \d+ excepted$/,
    );
    const bucket = report.results.find((r) => r.path === 'Mesh-Lab/Domain/Data/Resource');
    expect(bucket?.results['MESH-S3-001']).toBe('pass');
    expect(report.results.find((r) => r.path === 'Mesh-Lab/Excused')?.results['MESH-PROD-010']).toBe('excepted');
    expect(report.results.find((r) => r.path === 'Mesh-Lab/Broken')?.results['MESH-PROD-006']).toBe('fail');
    expect(report.rules.find((r) => r.id === 'MESH-PROD-006')).toMatchObject({ pass: 2, fail: 1, excepted: 0 });
    expect(report.findings.find((f) => f.ruleId === 'MESH-PROD-006')?.text).toBe(
      '[MESH-PROD-006[sla]] domains/lab/products/broken.ts: has no SLA. Fix: add sla: { updateFrequency, retention, freshness: { within, column } } to the product file.',
    );
  });
});

describe('registry', () => {
  test('rules are dispatched by CloudFormation type, any-type rules after', () => {
    const registry = new RuleRegistry(PLATFORM_RULES);
    const ids = registry.forType('AWS::KMS::Key').map((r) => r.id);
    expect(ids).toEqual([
      'MESH-STATE-001',
      'MESH-KMS-001',
      'MESH-KMS-002',
      'MESH-KMS-003',
      'MESH-TAG-001',
      'MESH-TAG-002',
    ]);
    expect(registry.forType('AWS::SQS::Queue').map((r) => r.id)).toEqual(['MESH-TAG-001', 'MESH-TAG-002']);
  });

  test('ids are unique and well-formed', () => {
    expect(() => new RuleRegistry([...PLATFORM_RULES, PLATFORM_RULES[0]])).toThrow('MESH-S3-001 is registered twice');
    expect(() => new RuleRegistry([{ ...PLATFORM_RULES[0], id: 'bad id' }])).toThrow('must look like MESH-S3-001');
  });
});

describe('applying governance', () => {
  test('one engine per app; today comes from the options, else the clock', () => {
    const app = testApp();
    const stacks = addDomainStacks(app, exampleMesh(), { onlyDomain: 'sales', governance: { today: '2030-01-01' } });
    expect(governanceOf(app)?.today).toBe('2030-01-01');
    expect(applyGovernance(stacks)).toBe(governanceOf(app));
    const clock = testApp();
    const before = new Date().toISOString().slice(0, 10);
    addDomainStacks(clock, exampleMesh(), { onlyDomain: 'sales' });
    expect([before, new Date().toISOString().slice(0, 10)]).toContain(governanceOf(clock)?.today);
    expect(() =>
      addDomainStacks(testApp(), exampleMesh(), { onlyDomain: 'sales', governance: { today: 'tomorrow' } }),
    ).toThrow('GovernanceOptions.today must be a date written YYYY-MM-DD, got "tomorrow"');
  });

  test('governance: false builds the stacks without the engine', () => {
    const app = testApp();
    addDomainStacks(app, exampleMesh(), { onlyDomain: 'sales', governance: false });
    expect(governanceOf(app)).toBeUndefined();
  });
});
