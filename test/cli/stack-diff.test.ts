import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { colorsFor, report } from '../../bin/commands/diff';
import { compareTemplates, leafDifferences, type Template } from '../../lib/stack-diff/compare';
import { STATEFUL_TYPES } from '../../lib/stack-diff/replacement';
import { PROJECT_ROOT } from '../support/temp-project';

const bucket = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::S3::Bucket',
  DeletionPolicy: 'Retain',
  Properties: { BucketName: name, VersioningConfiguration: { Status: 'Enabled' }, ...extra },
});
const table = (name: string) => ({
  Type: 'AWS::Glue::Table',
  Properties: { CatalogId: '1', DatabaseName: 'acme_sales', TableInput: { Name: name, Description: 'd' } },
});
const role = (description: string) => ({
  Type: 'AWS::IAM::Role',
  Properties: { RoleName: 'r', Description: description },
});
const set = (entries: Record<string, Template['Resources']>) =>
  new Map(Object.entries(entries).map(([name, Resources]) => [name, { Resources }]));

describe('compareTemplates', () => {
  test('a changed bucket name replaces the bucket: destructive, named with the property', () => {
    const diff = compareTemplates(
      set({ S: { Data: bucket('acme-data') } }),
      set({ S: { Data: bucket('acmex-data') } }),
    );
    expect(diff.destructive).toEqual([
      expect.objectContaining({
        kind: 'replace',
        logicalId: 'Data',
        stateful: true,
        retained: true,
        reason: 'BucketName cannot change in place',
      }),
    ]);
  });

  test('a changed table name below TableInput replaces the table; a changed description only modifies it', () => {
    const renamed = compareTemplates(set({ S: { T: table('orders_v1') } }), set({ S: { T: table('orders_v2') } }));
    expect(renamed.destructive[0]).toMatchObject({ kind: 'replace', reason: 'TableInput.Name cannot change in place' });
    expect(renamed.destructive[0].properties.map((p) => p.path)).toEqual(['TableInput.Name', 'TableInput']);

    const described = table('orders_v1');
    const after = {
      ...described,
      Properties: { ...described.Properties, TableInput: { Name: 'orders_v1', Description: 'new' } },
    };
    const modified = compareTemplates(set({ S: { T: described } }), set({ S: { T: after } }));
    expect(modified.destructive).toEqual([]);
    expect(modified.changes).toEqual([expect.objectContaining({ kind: 'modify', stateful: true })]);
  });

  test('a logical ID that disappears while one of the same type appears is a replacement, across templates', () => {
    // A product moved into a nested stack keeps its table name under a new template and logical ID.
    const diff = compareTemplates(
      set({ S: { OrdersTable: table('orders_v1'), Role: role('r') } }),
      set({ S: { Role: role('r') }, 'S/Products0': { OrdersTableNested: table('orders_v1') } }),
    );
    expect(diff.destructive).toEqual([
      expect.objectContaining({
        kind: 'replace',
        template: 'S',
        logicalId: 'OrdersTable',
        replacement: { template: 'S/Products0', logicalId: 'OrdersTableNested' },
        reason: expect.stringContaining('the name is still taken: the deploy fails'),
      }),
    ]);
    expect(diff.changes.filter((c) => c.kind === 'add')).toEqual([]);
  });

  test('pairs a removed resource with the added one of the same name before any other of its type', () => {
    const diff = compareTemplates(
      set({ S: { A: bucket('a'), B: bucket('b') } }),
      set({ S: { X: bucket('new'), Y: bucket('b') } }),
    );
    const byId = Object.fromEntries(diff.changes.map((c) => [c.logicalId, c]));
    expect(byId.B.replacement).toEqual({ template: 'S', logicalId: 'Y' });
    expect(byId.A.replacement).toEqual({ template: 'S', logicalId: 'X' });
    expect(byId.A.reason).toContain('CloudFormation creates the new resource and deletes this one');

    // Tables share their catalog and database: the table name is what pairs them.
    const tables = compareTemplates(
      set({ S: { T1: table('orders_v1'), T2: table('refunds_v1') } }),
      set({ S: { N1: table('refunds_v1'), N2: table('orders_v1') } }),
    );
    const pairs = Object.fromEntries(tables.changes.map((c) => [c.logicalId, c.replacement?.logicalId]));
    expect(pairs).toEqual({ T1: 'N2', T2: 'N1' });
  });

  test('a removed stateful resource with no successor is a deletion; additions and stateless changes are not destructive', () => {
    const diff = compareTemplates(
      set({ S: { Data: bucket('d'), Role: role('r1'), Meta: { Type: 'AWS::CDK::Metadata', Properties: { A: 1 } } } }),
      set({ S: { Role: role('r2'), Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} } } }),
    );
    expect(diff.destructive).toEqual([expect.objectContaining({ kind: 'delete', logicalId: 'Data', retained: true })]);
    expect(diff.changes.map((c) => [c.kind, c.logicalId])).toEqual([
      ['delete', 'Data'],
      ['add', 'Logs'],
      ['modify', 'Role'],
    ]);
  });

  test('a nested stack resource whose only change is its template URL is not a change', () => {
    const nested = (url: string) => ({ Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url } });
    expect(compareTemplates(set({ S: { N: nested('a') } }), set({ S: { N: nested('b') } })).changes).toEqual([]);
  });

  test('leafDifferences names the changed leaves of a policy document', () => {
    const before = { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'] }] };
    const after = { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'] }] };
    expect(leafDifferences(before, after, 'PolicyDocument')).toEqual([
      { path: 'PolicyDocument.Statement[0].Action[1]', before: undefined, after: 's3:PutObject', replaces: false },
    ]);
  });
});

describe('report', () => {
  const diff = compareTemplates(
    set({ S: { Data: bucket('a'), Role: role('r1') } }),
    set({ S: { Data: bucket('b'), Role: role('r2') } }),
  );

  test('names the destructive change first, in red only when colours are on', () => {
    const plain = report('Mesh-Sales', 'HEAD (abc)', diff, true, colorsFor({ isTTY: false }));
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('1 resource holding data would be replaced or deleted:');
    expect(plain).toMatch(/REPLACED {2}AWS::S3::Bucket S\/Data: BucketName cannot change in place; it holds objects/);
    expect(plain.indexOf('REPLACED')).toBeLessThan(plain.indexOf('modified  AWS::IAM::Role S/Role: Description'));
    expect(plain).toContain('Description: "r1" → "r2"');

    const previous = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const coloured = report('Mesh-Sales', 'HEAD (abc)', diff, true, colorsFor({ isTTY: true }));
      expect(coloured).toContain('\x1b[31m  REPLACED');
    } finally {
      if (previous !== undefined) process.env.NO_COLOR = previous;
    }
  });

  test('--no-all leaves the other changes out', () => {
    expect(report('Mesh-Sales', 'HEAD', diff, false, colorsFor({}))).not.toContain('AWS::IAM::Role');
  });
});

/**
 * The CloudFormation resource specification the CDK CLI ships (the same data `cdk diff` uses), as
 * `resource type → properties that cause replacement`.
 */
function specReplacementProperties(): Map<string, Set<string>> {
  const file = path.join(PROJECT_ROOT, 'node_modules', 'aws-cdk', 'db.json.gz');
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString()) as {
    schema: {
      resource: {
        entities: Record<
          string,
          { cloudFormationType: string; properties: Record<string, { causesReplacement?: string }> }
        >;
      };
    };
  };
  const out = new Map<string, Set<string>>();
  for (const resource of Object.values(db.schema.resource.entities)) {
    const replacing = Object.entries(resource.properties)
      .filter(([, p]) => p.causesReplacement === 'yes')
      .map(([name]) => name);
    out.set(resource.cloudFormationType, new Set(replacing));
  }
  return out;
}

test('the replacement table agrees with the CloudFormation resource specification', () => {
  const spec = specReplacementProperties();
  for (const [type, { replacedBy }] of Object.entries(STATEFUL_TYPES)) {
    const topLevel = replacedBy.filter((p) => !p.includes('.'));
    const specified = spec.get(type);
    expect({ type, known: specified !== undefined }).toEqual({ type, known: true });
    // KMS keys: the specification lists no replacement property, CloudFormation refuses these updates instead.
    if (type === 'AWS::KMS::Key') continue;
    expect({ type, properties: [...topLevel].sort() }).toEqual({ type, properties: [...(specified ?? [])].sort() });
  }
});
