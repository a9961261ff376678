/**
 * The deploy-time rules (lib/policies/guard) run through the real cfn-guard binary: every template of the
 * example mesh passes, a template tampered with after synth fails with the platform rule it breaks, and the
 * rules judge Guard Hook inputs (stack and resource operations) the way the hook hands them over.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainNames } from '../../lib/mesh/naming';
import { GUARD_RULES, GUARD_RULES_DIR, guardRuleName } from '../../lib/policies/guard/catalogue';
import { cfnGuardBinary, type GuardFileResult, runGuard } from '../../lib/policies/guard/cfn-guard';
import { PLATFORM_RULES } from '../../lib/policies/rules';
import { STATEFUL_TYPES } from '../../lib/policies/rules/stateful/retain';
import { exampleMesh, governedApp } from './support/apps';

// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary template JSON
type Json = Record<string, any>;
type Template = { Resources: Record<string, Json> } & Json;

const guardFiles = fs.readdirSync(GUARD_RULES_DIR).filter((f) => f.endsWith('.guard'));
const source = (file: string) => fs.readFileSync(path.join(GUARD_RULES_DIR, file), 'utf8');

describe('the Guard rule catalogue', () => {
  test('each .guard file is one catalogue entry and each entry a platform rule', () => {
    expect(GUARD_RULES.map((r) => r.file).sort()).toEqual([...guardFiles].sort());
    const platformIds = new Set(PLATFORM_RULES.map((r) => r.id));
    expect(GUARD_RULES.map((r) => r.id).filter((id) => !platformIds.has(id))).toEqual([]);
  });

  test.each(GUARD_RULES.map((r) => [r.id, r.file]))(
    '%s: one top-level rule named after the platform rule, messages with its id, title and fix',
    (id, file) => {
      const text = source(file);
      const rule = PLATFORM_RULES.find((r) => r.id === id);
      const named = [...text.matchAll(/^rule (\w+)\s+when/gm)].map((m) => m[1]);
      expect(named).toEqual([guardRuleName(id)]);
      const messages = [...text.matchAll(/<<([\s\S]*?)>>/g)].map((m) => m[1].replace(/\s+/g, ' ').trim());
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message.startsWith(`${id} ${rule?.title}. Fix: `)).toBe(true);
      // The fix synth prints is the fix (or its first part) a refused deploy prints.
      expect(messages.some((m) => m.includes(`Fix: ${rule?.fix}`))).toBe(true);
    },
  );

  test('MESH-STATE-001 covers the stateful types the synth rule covers', () => {
    const listed = /Type in \[([^\]]+)\]/.exec(source('mesh-state-001.guard'))?.[1];
    expect(listed?.split(',').map((t) => t.trim().replace(/'/g, ''))).toEqual([...STATEFUL_TYPES]);
  });

  test('the cfn-guard binary resolves from node_modules and is executable', () => {
    const binary = cfnGuardBinary();
    fs.accessSync(binary, fs.constants.X_OK);
    expect(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^cfn-guard 3\./);
  });

  test('a rules file that does not parse is an error naming the file, not a pass', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-bad-rules-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.guard'), 'rule BROKEN {\n  << no clause\n}\n');
      const data = path.join(dir, 'data.json');
      fs.writeFileSync(data, JSON.stringify({ Resources: {} }));
      expect(() => runGuard({ rules: dir, data: [data] })).toThrow(/exit 5.*broken\.guard/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Logical id of the one resource of a type that matches. */
function idOf(
  template: Template,
  type: string,
  match: (resource: Json) => boolean = () => true,
  among?: readonly string[],
): string {
  const ids = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === type && match(r) && (!among || among.includes(id)))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

const named = (fragment: string) => (r: Json) => JSON.stringify(r.Properties?.BucketName ?? '').includes(fragment);
const policyOf = (template: Template, bucket: string) =>
  idOf(template, 'AWS::S3::BucketPolicy', (p) => p.Properties.Bucket?.Ref === bucket);
const roleNamed = (suffix: string) => (r: Json) => String(r.Properties.RoleName ?? '').endsWith(suffix);
/** The domain key, by its alias: the stack also has a runtime key (alerts, execution logs). */
const domainKeyOf = (template: Template) => {
  const alias = idOf(template, 'AWS::KMS::Alias', (a) => a.Properties.AliasName === DOMAIN_KEY_ALIAS);
  const target = template.Resources[alias].Properties.TargetKeyId;
  return idOf(template, 'AWS::KMS::Key', () => true, [target?.['Fn::GetAtt']?.[0] ?? target?.Ref]);
};

interface Tamper {
  readonly name: string;
  readonly rule: string;
  /** Changes the template in place; returns the logical id the failure must name. */
  readonly apply: (t: Template) => string;
}

const TAMPERS: readonly Tamper[] = [
  {
    name: 'a bucket lets public policies through',
    rule: 'MESH-S3-001',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      t.Resources[id].Properties.PublicAccessBlockConfiguration.BlockPublicPolicy = false;
      return id;
    },
  },
  {
    name: 'a bucket loses its public access block',
    rule: 'MESH-S3-001',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-athena-'));
      delete t.Resources[id].Properties.PublicAccessBlockConfiguration;
      return id;
    },
  },
  {
    name: 'the data bucket loses its encryption',
    rule: 'MESH-S3-002',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      delete t.Resources[id].Properties.BucketEncryption;
      return id;
    },
  },
  {
    name: 'the data bucket falls back to SSE-S3',
    rule: 'MESH-S3-002',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      t.Resources[id].Properties.BucketEncryption = {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      };
      return id;
    },
  },
  {
    name: 'the data bucket uses the AWS managed key',
    rule: 'MESH-S3-002',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      t.Resources[id].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault = {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: 'alias/aws/s3',
      };
      return id;
    },
  },
  {
    name: 'the access-log bucket keeps SSE-S3 once nothing logs to it',
    rule: 'MESH-S3-002',
    apply: (t) => {
      for (const resource of Object.values(t.Resources)) {
        if (resource.Type === 'AWS::S3::Bucket') delete resource.Properties.LoggingConfiguration;
      }
      return idOf(t, 'AWS::S3::Bucket', named('-logs-'));
    },
  },
  {
    name: "a bucket's TLS deny statement is dropped",
    rule: 'MESH-S3-003',
    apply: (t) => {
      const bucket = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      const document = t.Resources[policyOf(t, bucket)].Properties.PolicyDocument;
      document.Statement = document.Statement.filter((s: Json) => !s.Condition?.Bool?.['aws:SecureTransport']);
      return bucket;
    },
  },
  {
    name: "a bucket's policy is removed",
    rule: 'MESH-S3-003',
    apply: (t) => {
      const bucket = idOf(t, 'AWS::S3::Bucket', named('-athena-'));
      delete t.Resources[policyOf(t, bucket)];
      return bucket;
    },
  },
  {
    name: "a bucket's TLS deny statement points at another bucket",
    rule: 'MESH-S3-003',
    apply: (t) => {
      const bucket = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      const other = idOf(t, 'AWS::S3::Bucket', named('-athena-'));
      const policy = policyOf(t, bucket);
      const tls = t.Resources[policy].Properties.PolicyDocument.Statement.find(
        (s: Json) => s.Condition?.Bool?.['aws:SecureTransport'],
      );
      const arn = { 'Fn::GetAtt': [other, 'Arn'] };
      tls.Resource = [arn, { 'Fn::Join': ['', [arn, '/*']] }];
      return policy;
    },
  },
  {
    name: 'a bucket policy allows everyone to read',
    rule: 'MESH-S3-008',
    apply: (t) => {
      const policy = policyOf(t, idOf(t, 'AWS::S3::Bucket', named('-data-')));
      t.Resources[policy].Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: '*',
      });
      return policy;
    },
  },
  {
    name: 'the data bucket is deleted with the stack',
    rule: 'MESH-STATE-001',
    apply: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      t.Resources[id].DeletionPolicy = 'Delete';
      return id;
    },
  },
  {
    name: 'the domain key is replaced without retention',
    rule: 'MESH-STATE-001',
    apply: (t) => {
      const id = domainKeyOf(t);
      delete t.Resources[id].UpdateReplacePolicy;
      return id;
    },
  },
  {
    name: 'the key policy lets everyone decrypt',
    rule: 'MESH-KMS-002',
    apply: (t) => {
      const id = domainKeyOf(t);
      t.Resources[id].Properties.KeyPolicy.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
      return id;
    },
  },
  {
    name: "the producer's policy allows Action * on Resource *",
    rule: 'MESH-IAM-001',
    apply: (t) => {
      const role = idOf(t, 'AWS::IAM::Role', roleNamed('-producer'));
      const id = idOf(t, 'AWS::IAM::Policy', (p) => p.Properties.Roles.some((r: Json) => r.Ref === role));
      t.Resources[id].Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' });
      return id;
    },
  },
  {
    name: 'the consumer role gets an inline NotAction policy on *',
    rule: 'MESH-IAM-001',
    apply: (t) => {
      const id = idOf(t, 'AWS::IAM::Role', roleNamed('-consumer'));
      t.Resources[id].Properties.Policies = [
        {
          PolicyName: 'Everything',
          PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
        },
      ];
      return id;
    },
  },
  {
    name: 'the consumer role trusts everyone',
    rule: 'MESH-IAM-005',
    apply: (t) => {
      const id = idOf(t, 'AWS::IAM::Role', roleNamed('-consumer'));
      t.Resources[id].Properties.AssumeRolePolicyDocument.Statement[0].Principal = { AWS: '*' };
      return id;
    },
  },
  {
    name: 'the consumer role attaches AdministratorAccess (as CDK writes it)',
    rule: 'MESH-IAM-006',
    apply: (t) => {
      const id = idOf(t, 'AWS::IAM::Role', roleNamed('-consumer'));
      t.Resources[id].Properties.ManagedPolicyArns = [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] },
      ];
      return id;
    },
  },
  {
    name: 'the producer role attaches AmazonS3FullAccess by literal ARN',
    rule: 'MESH-IAM-006',
    apply: (t) => {
      const id = idOf(t, 'AWS::IAM::Role', roleNamed('-producer'));
      t.Resources[id].Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3FullAccess'];
      return id;
    },
  },
  {
    name: 'the workgroup stops encrypting query results',
    rule: 'MESH-ATH-002',
    apply: (t) => {
      const id = idOf(t, 'AWS::Athena::WorkGroup');
      delete t.Resources[id].Properties.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration;
      return id;
    },
  },
];

/** The reference template for tampering: the example domain with inputs from another domain. */
const TAMPERED_STACK = 'Mesh-Sales';
const DOMAIN_KEY_ALIAS = domainNames(exampleMesh().config, 'sales').keyAlias;

interface HookCase {
  readonly name: string;
  /** The input as the Guard Hook hands it over: HookContext, then the template or the one resource. */
  readonly build: (reference: Template) => Json;
  readonly failing: readonly string[];
  /** Rules that must not judge this input (they wait for the stack operation). */
  readonly skipped: readonly string[];
}

const resourceInput = (id: string, resource: Json) => ({
  HookContext: { TargetType: 'RESOURCE', TargetName: resource.Type, TargetLogicalId: id },
  Resources: { [id]: { Type: resource.Type, Properties: resource.Properties } },
});
const stackInput = (template: Template, previous: Template) => ({
  HookContext: { TargetType: 'STACK', TargetName: TAMPERED_STACK },
  ...template,
  Previous: previous,
});

/** Rules that need the whole template: a resource operation must leave them to the stack operation. */
const STACK_ONLY = GUARD_RULES.filter((r) => !r.operations.includes('RESOURCE')).map((r) => r.id);

const HOOK_CASES: readonly HookCase[] = [
  {
    name: 'stack operation on the example template',
    build: (t) => stackInput(t, t),
    failing: [],
    skipped: [],
  },
  {
    name: 'stack operation on a template that deletes the data bucket',
    build: (t) => {
      const tampered = structuredClone(t);
      tampered.Resources[idOf(t, 'AWS::S3::Bucket', named('-data-'))].DeletionPolicy = 'Delete';
      return stackInput(tampered, t);
    },
    failing: ['MESH-STATE-001'],
    skipped: [],
  },
  {
    // Alone, the log bucket shows no policy, no DeletionPolicy and no bucket logging to it.
    name: 'resource operation on the access-log bucket',
    build: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-logs-'));
      return resourceInput(id, t.Resources[id]);
    },
    failing: [],
    skipped: STACK_ONLY,
  },
  {
    name: 'resource operation on an unencrypted bucket',
    build: (t) => {
      const id = idOf(t, 'AWS::S3::Bucket', named('-data-'));
      const bucket = structuredClone(t.Resources[id]);
      delete bucket.Properties.BucketEncryption;
      return resourceInput(id, bucket);
    },
    failing: ['MESH-S3-002'],
    skipped: STACK_ONLY,
  },
];

describe('Guard rules over the example mesh', () => {
  let dir: string;
  let examples: string[];
  /** Tamper or hook case name -> its data file. */
  const files = new Map<string, string>();
  const tamperedResource = new Map<string, string>();
  let results: Map<string, GuardFileResult>;
  const resultOf = (name: string) => results.get(files.get(name) as string);

  beforeAll(() => {
    const { app } = governedApp(exampleMesh());
    const assembly = app.synth();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-rules-'));
    // Every template the domain stacks deploy, nested stacks included.
    examples = fs
      .readdirSync(assembly.directory)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => path.join(assembly.directory, f));
    const reference = JSON.parse(
      fs.readFileSync(assembly.getStackByName(TAMPERED_STACK).templateFullPath, 'utf8'),
    ) as Template;
    const write = (name: string, data: unknown) => {
      const file = path.join(dir, `${files.size}.json`);
      fs.writeFileSync(file, JSON.stringify(data));
      files.set(name, file);
    };
    for (const tamper of TAMPERS) {
      const template = structuredClone(reference);
      tamperedResource.set(tamper.name, tamper.apply(template));
      write(tamper.name, template);
    }
    for (const hookCase of HOOK_CASES) write(hookCase.name, hookCase.build(reference));
    // One cfn-guard run for every file: the binary starts once.
    results = new Map(runGuard({ data: [...examples, ...files.values()] }).map((r) => [r.file, r]));
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every example template passes every rule', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const file of examples) {
      expect({ file: path.basename(file), failures: results.get(file)?.failures }).toEqual({
        file: path.basename(file),
        failures: [],
      });
    }
  });

  test('each rule is judged (not skipped) on the example, except managed policies the example never attaches', () => {
    const judged = new Set(examples.flatMap((file) => results.get(file)?.passed ?? []));
    const notJudged = GUARD_RULES.map((r) => guardRuleName(r.id)).filter((name) => !judged.has(name));
    expect(notJudged).toEqual(['MESH_IAM_006']);
  });

  test('every rule has a tampered template that fails it', () => {
    const covered = new Set(TAMPERS.map((t) => t.rule));
    expect(GUARD_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(TAMPERS.map((t) => [t.name, t.rule]))('%s: fails %s alone, naming the resource', (name, rule) => {
    const result = resultOf(name);
    expect(result?.status).toBe('FAIL');
    expect(result?.failures.map((f) => f.ruleId)).toEqual([rule]);
    const failure = result?.failures[0];
    expect(failure?.resources).toContain(tamperedResource.get(name));
    expect(failure?.messages.length).toBeGreaterThan(0);
    expect(failure?.messages.every((m) => m.startsWith(`${rule} `))).toBe(true);
  });

  test('an AWS managed policy that is not administrator or full access passes MESH-IAM-006', () => {
    const ok = JSON.parse(fs.readFileSync(examples.find((f) => f.includes(TAMPERED_STACK)) as string, 'utf8'));
    const role = idOf(ok, 'AWS::IAM::Role', roleNamed('-consumer'));
    ok.Resources[role].Properties.ManagedPolicyArns = [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonAthenaReadOnlyAccess']] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub string, resolved by CloudFormation
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess' },
    ];
    const file = path.join(dir, 'managed-read-only.json');
    fs.writeFileSync(file, JSON.stringify(ok));
    const [result] = runGuard({ data: [file] });
    expect(result.failures).toEqual([]);
    expect(result.passed).toContain('MESH_IAM_006');
  });

  test('the rules that need the whole template are the cross-resource ones', () => {
    expect(STACK_ONLY).toEqual(['MESH-S3-003', 'MESH-STATE-001']);
  });

  test.each(HOOK_CASES.map((c) => [c.name, c]))('Guard Hook input: %s', (name, hookCase) => {
    const result = resultOf(name);
    expect(result?.failures.map((f) => f.ruleId)).toEqual(hookCase.failing);
    for (const rule of hookCase.skipped) expect(result?.skipped).toContain(guardRuleName(rule));
  });
});
