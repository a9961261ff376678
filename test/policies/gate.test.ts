/**
 * The gate (lib/policies/gate) on assemblies synthesized in-process as the CDK CLI would: the example mesh
 * passes, sharded domains (nested templates) too; every tampering attempt fails with a message naming the
 * stack, the file and the rule — templates edited after synth, reports edited, deleted or given exceptions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mesh, MeshDomain, MeshProduct } from '../../lib/mesh/model';
import { AssemblyError, formatGateResult, type GateResult, runGate } from '../../lib/policies/gate';
import { exampleMesh, PROJECT_ROOT } from './support/apps';
import { copyAssembly, editJson, type Json, logicalIdAt, synthesizeAssembly } from './support/assembly';

const SALES = 'Mesh-Sales.template.json';
const SALES_REPORT = 'Mesh-Sales.policy-report.json';
const DATA_BUCKET = 'Mesh-Sales/Domain/Data/Resource';

function gate(assembly: string, mesh: Mesh = exampleMesh(), stacks?: string[]): GateResult {
  return runGate({ assembly, mesh, root: PROJECT_ROOT, stacks });
}

function salesResult(result: GateResult) {
  const sales = result.stacks.find((s) => s.stack === 'Mesh-Sales');
  if (!sales) throw new Error('no Mesh-Sales in the gate result');
  return sales;
}

/** The mesh with one domain changed (definitions are frozen data: the domain is rebuilt). */
function withDomain(mesh: Mesh, name: string, change: (domain: MeshDomain) => MeshDomain): Mesh {
  return { ...mesh, domains: mesh.domains.map((d) => (d.name === name ? change(d) : d)) };
}

/**
 * A product whose current schema lost one column description: MESH-PROD-003 at synth, and MESH-CON-002
 * (the contract no longer matches its lock file).
 */
function withUndescribedColumn(mesh: Mesh, productName: string, column: string): Mesh {
  const strip = (product: MeshProduct): MeshProduct => {
    const [current, ...rest] = product.versions;
    const columns = current.schema.columns.map((c) => (c.name === column ? { ...c, description: '' } : c));
    const schema = { ...current.schema, columns };
    return {
      ...product,
      definition: { ...product.definition, schema },
      versions: [{ ...current, schema }, ...rest],
    };
  };
  return withDomain(mesh, 'sales', (d) => ({
    ...d,
    products: d.products.map((p) => (p.name === productName ? strip(p) : p)),
  }));
}

describe('mesh gate', () => {
  let example: string;

  beforeAll(() => {
    example = synthesizeAssembly(exampleMesh());
  });

  test('the example mesh passes: every stack checked again, every report matching', () => {
    const result = gate(example);
    expect(result.stacks.map((s) => [s.stack, s.verdict, s.differences, s.errors])).toEqual(
      ['Mesh-Customers', 'Mesh-Fulfillment', 'Mesh-Marketing', 'Mesh-Sales'].map((s) => [s, 'pass', [], []]),
    );
    expect(result.passed).toBe(true);
    // Every resource of the template (domain, products and their runtime) is judged again.
    const resources = Object.keys(JSON.parse(fs.readFileSync(path.join(example, SALES), 'utf8')).Resources).length;
    expect(salesResult(result).summary).toMatch(
      new RegExp(`^Mesh-Sales: \\d+ rules × ${resources} resources \\+ 3 definitions, 0 errors`),
    );
  });

  test('a sharded domain passes with its nested templates, and an edit of a nested template is caught', () => {
    const sharded = withDomain(exampleMesh(), 'sales', (d) => ({
      ...d,
      definition: { ...d.definition, productShards: 2 },
    }));
    const dir = synthesizeAssembly(sharded, { onlyDomain: 'sales' });
    const clean = gate(dir, sharded);
    expect(salesResult(clean)).toMatchObject({ verdict: 'pass', differences: [] });
    const nested = salesResult(clean).templates.filter((t) => t.endsWith('.nested.template.json'));
    expect(nested).toHaveLength(2);

    // Rename a column of the orders table in whichever shard holds it.
    const located = nested
      .map((file) => ({
        file,
        path: /Mesh-Sales\/Products\d\/Orders\/TableV2/.exec(fs.readFileSync(path.join(dir, file), 'utf8')),
      }))
      .find((n) => n.path)!;
    const shard = located.file;
    const tablePath = located.path![0];
    const table = logicalIdAt(dir, shard, tablePath);
    editJson(dir, shard, (t) => {
      t.Resources[table].Properties.TableInput.StorageDescriptor.Columns[0].Name = 'renamed';
    });
    const sales = salesResult(gate(dir, sharded));
    expect(sales.verdict).toBe('fail');
    expect(sales.errors.join('\n')).toContain('[MESH-GLUE-004');
    expect(sales.errors.join('\n')).toContain(`domains/sales/products/orders.ts: ${tablePath} (AWS::Glue::Table)`);
    expect(sales.differences).toContainEqual({
      file: shard,
      message: expect.stringMatching(/^template .* changed after synth/),
    });
    expect(sales.differences).toContainEqual(
      expect.objectContaining({
        file: shard,
        ruleId: 'MESH-GLUE-004',
        message: expect.stringContaining('the report omits'),
      }),
    );
  });

  describe('a template edited after synth', () => {
    const tamper = (edit: (template: Json, ids: { bucket: string; policy: string }) => void) => {
      const dir = copyAssembly(example);
      const ids = {
        bucket: logicalIdAt(dir, SALES, DATA_BUCKET),
        policy: logicalIdAt(dir, SALES, 'Mesh-Sales/Domain/Data/Policy/Resource'),
      };
      editJson(dir, SALES, (t) => edit(t, ids));
      return gate(dir);
    };

    test('bucket encryption removed: the error, the changed hash and the missing finding are named', () => {
      const result = tamper((t, { bucket }) => {
        delete t.Resources[bucket].Properties.BucketEncryption;
      });
      expect(result.passed).toBe(false);
      const sales = salesResult(result);
      expect(sales.errors).toEqual([
        expect.stringMatching(
          /^\[MESH-S3-002\[SSEAlgorithm\]\] domains\/sales\/domain\.ts: Mesh-Sales\/Domain\/Data\/Resource \(AWS::S3::Bucket\) has no default encryption configuration\. Fix: /,
        ),
      ]);
      expect(sales.differences).toEqual([
        {
          file: SALES,
          message: expect.stringMatching(/^template Mesh-Sales\.template\.json changed after synth: its SHA-256 is/),
        },
        {
          file: SALES,
          ruleId: 'MESH-S3-002',
          message:
            'the report omits a finding the gate makes (error on Mesh-Sales/Domain/Data/Resource: has no default encryption configuration)',
        },
      ]);
      // Other domains are untouched and still pass.
      expect(result.stacks.filter((s) => s.verdict === 'pass').map((s) => s.stack)).toEqual([
        'Mesh-Customers',
        'Mesh-Fulfillment',
        'Mesh-Marketing',
      ]);
    });

    test('DeletionPolicy changed to Delete', () => {
      const sales = salesResult(
        tamper((t, { bucket }) => {
          t.Resources[bucket].DeletionPolicy = 'Delete';
        }),
      );
      expect(sales.errors.join('\n')).toMatch(
        /^\[MESH-STATE-001\[DeletionPolicy\]\] domains\/sales\/domain\.ts: Mesh-Sales\/Domain\/Data\/Resource/m,
      );
      expect(sales.differences.map((d) => d.ruleId)).toEqual([undefined, 'MESH-STATE-001']);
    });

    test('a public statement added to the bucket policy', () => {
      const sales = salesResult(
        tamper((t, { bucket, policy }) => {
          t.Resources[policy].Properties.PolicyDocument.Statement.push({
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
          });
        }),
      );
      expect(sales.verdict).toBe('fail');
      expect(sales.errors.join('\n')).toContain('[MESH-S3-008');
      expect(sales.differences).toContainEqual(expect.objectContaining({ file: SALES, ruleId: 'MESH-S3-008' }));
    });

    test('a resource added, even one no rule objects to: the report has no results for it', () => {
      const sales = salesResult(
        tamper((t) => {
          t.Resources.Extra = {
            Type: 'AWS::CloudFormation::WaitConditionHandle',
            Metadata: { 'aws:cdk:path': 'Mesh-Sales/Extra' },
          };
        }),
      );
      expect(sales.errors).toEqual([]);
      expect(sales.verdict).toBe('fail');
      expect(sales.differences).toEqual([
        { file: SALES, message: expect.stringContaining('changed after synth') },
        { file: SALES, message: 'the report has no results for resource Mesh-Sales/Extra' },
      ]);
    });

    test('a bucket added without metadata is checked as the domain’s, and its errors named', () => {
      const sales = salesResult(
        tamper((t) => {
          t.Resources.Added = { Type: 'AWS::S3::Bucket', Properties: {} };
        }),
      );
      expect(sales.errors.join('\n')).toContain(
        '[MESH-S3-002[SSEAlgorithm]] domains/sales/domain.ts: Mesh-Sales/Added (AWS::S3::Bucket)',
      );
      expect(sales.errors.join('\n')).toContain('[MESH-TAG-001');
    });
  });

  describe('a report edited after synth', () => {
    let failing: string;
    const broken = () => withUndescribedColumn(exampleMesh(), 'revenue_metrics', 'order_count');

    beforeAll(() => {
      failing = synthesizeAssembly(broken(), { onlyDomain: 'sales' });
    });

    test('the synth-time error is what the gate finds too', () => {
      const sales = salesResult(gate(failing, broken()));
      expect(sales.verdict).toBe('fail');
      expect(sales.differences).toEqual([]);
      expect(sales.errors).toEqual([
        '[MESH-PROD-003[Column::order_count]] domains/sales/products/revenue_metrics.ts: column "order_count" has no description. Fix: add description to schema.columns[4].',
        expect.stringMatching(
          /^\[MESH-CON-002\] domains\/sales\/products\/revenue_metrics\.ts: the contract of sales\/revenue_metrics differs from /,
        ),
      ]);
    });

    test('a report edited to say pass: the gate still fails, and names the finding the report hides', () => {
      const dir = copyAssembly(failing);
      editJson(dir, SALES_REPORT, (report) => {
        report.findings = [];
        for (const record of report.results) {
          for (const rule of Object.keys(record.results)) record.results[rule] = 'pass';
        }
        report.summary.errors = 0;
        report.summary.fail = 0;
        for (const rule of report.rules) {
          rule.pass += rule.fail;
          rule.fail = 0;
        }
      });
      const sales = salesResult(gate(dir, broken()));
      expect(sales.verdict).toBe('fail');
      expect(sales.errors).toHaveLength(2);
      expect(sales.differences).toEqual([
        {
          file: SALES,
          ruleId: 'MESH-PROD-003',
          message:
            'the report omits a finding the gate makes (error on Mesh-Sales/RevenueMetrics: column "order_count" has no description)',
        },
        {
          file: SALES,
          ruleId: 'MESH-CON-002',
          message: expect.stringMatching(
            /^the report omits a finding the gate makes \(error on Mesh-Sales\/RevenueMetrics: the contract/,
          ),
        },
      ]);
    });

    test("a finding's exception injected into the report", () => {
      const dir = copyAssembly(failing);
      editJson(dir, SALES_REPORT, (report) => {
        const finding = report.findings[0];
        finding.status = 'excepted';
        finding.exception = {
          rule: 'MESH-PROD-003',
          reason: 'later',
          approvedBy: 'someone',
          expires: '2099-01-01',
          index: 0,
        };
        finding.text = finding.text.replace(
          /Fix: .*$/,
          'Excepted until 2099-01-01 by exceptions[0], approved by someone: later.',
        );
        for (const record of report.results) {
          if (record.results['MESH-PROD-003'] === 'fail') record.results['MESH-PROD-003'] = 'excepted';
        }
      });
      const sales = salesResult(gate(dir, broken()));
      expect(sales.verdict).toBe('fail');
      expect(sales.differences).toEqual([
        {
          file: SALES,
          ruleId: 'MESH-PROD-003',
          message:
            'the report says excepted, the gate finds a failure (error on Mesh-Sales/RevenueMetrics: column "order_count" has no description)',
        },
      ]);
    });

    test('only the counts edited', () => {
      const dir = copyAssembly(failing);
      editJson(dir, SALES_REPORT, (report) => {
        report.summary.errors = 0;
      });
      expect(salesResult(gate(dir, broken())).differences).toEqual([
        { file: SALES_REPORT, message: "the report's summary says errors 0, the gate counts 2" },
      ]);
    });

    test('a template hash rewritten with the template: the rules still see the change', () => {
      const dir = copyAssembly(example);
      const bucket = logicalIdAt(dir, SALES, DATA_BUCKET);
      editJson(dir, SALES, (t) => {
        t.Resources[bucket].Properties.VersioningConfiguration.Status = 'Suspended';
      });
      const { sha256 } =
        require('../../lib/policies/gate/assembly') as typeof import('../../lib/policies/gate/assembly');
      const hash = sha256(fs.readFileSync(path.join(dir, SALES), 'utf8'));
      editJson(dir, SALES_REPORT, (report) => {
        report.templates[0].sha256 = hash;
      });
      const sales = salesResult(gate(dir));
      expect(sales.errors.join('\n')).toContain('[MESH-S3-004');
      expect(sales.differences.map((d) => d.ruleId)).toEqual(['MESH-S3-004']);
    });

    test('a report deleted', () => {
      const dir = copyAssembly(example);
      fs.rmSync(path.join(dir, SALES_REPORT));
      expect(salesResult(gate(dir)).differences).toEqual([
        { file: SALES_REPORT, message: 'Mesh-Sales.policy-report.json is missing: the stack has no policy report' },
      ]);
    });

    test('a report cut short', () => {
      const dir = copyAssembly(example);
      editJson(dir, SALES_REPORT, (report) => {
        delete report.results;
      });
      expect(salesResult(gate(dir)).differences).toEqual([
        {
          file: SALES_REPORT,
          message: expect.stringMatching(/^Mesh-Sales\.policy-report\.json is not a policy report: results: /),
        },
      ]);
    });
  });

  test('the output: one line per stack, then errors and differences, then what to do', () => {
    const dir = copyAssembly(example);
    const bucket = logicalIdAt(dir, SALES, DATA_BUCKET);
    editJson(dir, SALES, (t) => {
      t.Resources[bucket].DeletionPolicy = 'Delete';
    });
    const lines = formatGateResult(gate(dir));
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^✔ Mesh-Customers: .*; the report matches \(1 template\)$/),
      expect.stringMatching(/^✔ Mesh-Fulfillment: /),
      expect.stringMatching(/^✔ Mesh-Marketing: /),
      expect.stringMatching(/^✘ Mesh-Sales: .* 1 error, .*; 2 differences from the report$/),
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^error: \[MESH-STATE-001\[DeletionPolicy\]\] domains\/sales\/domain\.ts: /),
    );
    expect(lines).toContainEqual(
      'tampering: Mesh-Sales Mesh-Sales.template.json [MESH-STATE-001]: the report omits a finding the gate makes (error on Mesh-Sales/Domain/Data/Resource: DeletionPolicy is Delete)',
    );
    expect(lines[lines.length - 1]).toMatch(
      /^Gate failed: 1 error, 2 differences from the policy reports \(.* s\)\. Fix each error in the file it names; a difference means the assembly changed after synth/,
    );
  });

  test('a domain blocked by definition problems fails its own stack with them, and no other', () => {
    const blocked = new Map([
      ['sales', [{ file: 'domains/sales/products/orders.ts', path: 'version', message: 'must be semver' }]],
    ]);
    const dir = synthesizeAssembly(exampleMesh(), { blocked });
    const result = runGate({ assembly: dir, mesh: exampleMesh(), blocked, root: PROJECT_ROOT });
    expect(result.stacks.map((s) => [s.stack, s.verdict]).sort()).toEqual([
      ['Mesh-Customers', 'pass'],
      ['Mesh-Fulfillment', 'pass'],
      ['Mesh-Marketing', 'pass'],
      ['Mesh-Sales', 'fail'],
    ]);
    expect(salesResult(result)).toMatchObject({
      errors: ['domains/sales/products/orders.ts:version: must be semver'],
      differences: [],
    });
  });

  describe('what it cannot judge', () => {
    test('no assembly, or a stack it does not hold: it cannot run', () => {
      expect(() => gate(path.join(example, 'missing'))).toThrow(AssemblyError);
      expect(() => gate(path.join(example, 'missing'))).toThrow(
        /manifest\.json is missing: .* is not a cloud assembly; synthesize first/,
      );
      expect(() => gate(example, exampleMesh(), ['Mesh-Nope'])).toThrow(AssemblyError);
      expect(() => gate(example, exampleMesh(), ['Mesh-Nope'])).toThrow(
        'no stack Mesh-Nope in the assembly (stacks: Mesh-Customers, Mesh-Fulfillment, Mesh-Marketing, Mesh-Sales)',
      );
    });

    test('a stack of no domain: listed as not governed, but a failure when it has a report', () => {
      const withoutSales = { ...exampleMesh(), domains: exampleMesh().domains.filter((d) => d.name !== 'sales') };
      const stale = salesResult(gate(example, withoutSales));
      expect(stale.verdict).toBe('fail');
      expect(stale.differences[0].message).toMatch(
        /^Mesh-Sales is the stack of no domain of the mesh .*the assembly is older than the definitions$/,
      );
      const dir = copyAssembly(example);
      fs.rmSync(path.join(dir, SALES_REPORT));
      const platform = salesResult(gate(dir, withoutSales));
      expect(platform).toMatchObject({ verdict: 'not-governed', differences: [] });
      expect(gate(dir, withoutSales).passed).toBe(true);
    });
  });
});
