/**
 * Stages and accounts: cdk.json names the stages (prefix, accounts), each domain says where it lives per
 * stage, and one synth builds one stage. A three-domain, three-account mesh is synthesized for dev and prod.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addDomainStacks } from '../../constructs/mesh-app';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { readMeshConfig } from '../../lib/mesh/config';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { TODAY, testApp } from '../policies/support/apps';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';

const DEV = '111111111111';
const PROD_SALES = '222222222222';
const PROD_CUSTOMERS = '333333333333';
const PROD_MARKETING = '444444444444';

const STAGES = {
  dev: { prefix: 'acmedev', accounts: [DEV] },
  prod: { prefix: 'acme', accounts: [PROD_SALES, PROD_CUSTOMERS, PROD_MARKETING] },
};

function writeMeshConfig(root: string, mesh: Record<string, unknown>): void {
  fs.writeFileSync(path.join(root, 'cdk.json'), JSON.stringify({ context: { mesh } }));
}

const placed = (prod: string, region = 'eu-west-1') => ({
  dev: { account: DEV, region: 'eu-west-1' },
  prod: { account: prod, region },
});

/** Sales and customers publish; marketing reads one product of each, from another account in prod. */
function threeAccountMesh(overrides: Record<string, Record<string, unknown>> = {}): string {
  const root = makeTempProject({
    domains: {
      sales: {
        domain: validDomain('sales', { accounts: placed(PROD_SALES), ...overrides.sales }),
        products: { orders: validProduct('orders') },
      },
      customers: {
        domain: validDomain('customers', { accounts: placed(PROD_CUSTOMERS), ...overrides.customers }),
        products: {
          profiles: validProduct('profiles', {
            access: { visibility: 'consumers', consumers: [{ domain: 'marketing', purpose: 'Campaign reach' }] },
          }),
        },
      },
      marketing: {
        domain: validDomain('marketing', { accounts: placed(PROD_MARKETING, 'us-east-1'), ...overrides.marketing }),
        products: {
          reach: validProduct('reach', {
            archetype: 'consumer-aligned',
            inputs: ['sales/orders@1', 'customers/profiles@1'],
          }),
        },
      },
    },
  });
  writeMeshConfig(root, { prefix: 'acme', stages: STAGES, defaultStage: 'dev' });
  return root;
}

/** Publishes every product's contract, as a team does with `mesh contract lock` (locked in stage dev). */
function lockContracts(root: string): void {
  const mesh = tryLoadMesh({ root, config: readMeshConfig(root, 'dev') }).mesh;
  if (!mesh) throw new Error('the fixture mesh has definition problems');
  for (const product of mesh.domains.flatMap((d) => d.products)) {
    writeLockFile(root, lockFilePath(product), planLock(product, undefined, TODAY).lock);
  }
}

function synthStage(root: string, stage: string) {
  const config = readMeshConfig(root, stage);
  const loaded = tryLoadMesh({ root, config });
  const app = testApp();
  addDomainStacks(app, loaded.partial, { blocked: loaded.blocked, governance: { today: TODAY, root } });
  return { loaded, assembly: app.synth() };
}

const errorsOf = (assembly: ReturnType<typeof synthStage>['assembly']) =>
  Object.fromEntries(
    assembly.stacks
      .map((s) => [s.stackName, s.messages.filter((m) => m.level === 'error').map((m) => String(m.entry.data))])
      .filter(([, messages]) => messages.length > 0),
  );

describe('a three-account mesh with two stages', () => {
  const root = threeAccountMesh();
  // Contracts are the same in every stage: locks written in dev hold in prod.
  lockContracts(root);
  const stages = { dev: synthStage(root, 'dev'), prod: synthStage(root, 'prod') };

  test.each([
    ['dev', { 'Mesh-Dev-Sales': DEV, 'Mesh-Dev-Customers': DEV, 'Mesh-Dev-Marketing': DEV }],
    [
      'prod',
      { 'Mesh-Prod-Sales': PROD_SALES, 'Mesh-Prod-Customers': PROD_CUSTOMERS, 'Mesh-Prod-Marketing': PROD_MARKETING },
    ],
  ] as const)(
    '%s: one stack per domain, named for the stage, in the domain account of that stage',
    (stage, accounts) => {
      const { assembly, loaded } = stages[stage];
      expect(loaded.blocked.size).toBe(0);
      expect(errorsOf(assembly)).toEqual({});
      expect(Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.environment.account]))).toEqual(accounts);
    },
  );

  test("every physical name carries the stage's prefix, so dev and prod can share an account", () => {
    const bucketNames = (stage: 'dev' | 'prod') =>
      stages[stage].assembly.stacks.flatMap((s) =>
        Object.values(s.template.Resources as Record<string, { Type: string; Properties?: { BucketName?: unknown } }>)
          .filter((r) => r.Type === 'AWS::S3::Bucket')
          .map((r) => JSON.stringify(r.Properties?.BucketName)),
      );
    expect(bucketNames('dev').length).toBeGreaterThan(0);
    for (const name of bucketNames('dev')) expect(name).toMatch(/acmedev-/);
    for (const name of bucketNames('prod')) expect(name).not.toMatch(/acmedev-/);
    expect(bucketNames('prod').some((name) => name.includes('acme-sales-data-'))).toBe(true);
  });

  test('no template references another stack: no imports, no exports, so deploy order stays free', () => {
    for (const { assembly } of Object.values(stages)) {
      for (const stack of assembly.stacks) {
        const text = JSON.stringify(stack.template);
        expect(text).not.toContain('Fn::ImportValue');
        expect(Object.values(stack.template.Outputs ?? {}).some((o) => (o as { Export?: unknown }).Export)).toBe(false);
        expect(stack.dependencies.filter((d) => d.constructor.name === 'CloudFormationStackArtifact')).toEqual([]);
      }
    }
  });

  test("the consumer's grants address the producers' resources in the producers' accounts", () => {
    const marketing = stages.prod.assembly.getStackByName('Mesh-Prod-Marketing');
    const text = JSON.stringify(marketing.template);
    expect(text).toContain(`:${PROD_CUSTOMERS}:table/acme_customers/profiles_v1`);
    expect(text).toContain(`:${PROD_SALES}:table/acme_sales/orders_v1`);
  });

  test('MESH_STAGE chooses the stage when none is passed; defaultStage when neither is', () => {
    const before = process.env.MESH_STAGE;
    try {
      process.env.MESH_STAGE = 'prod';
      expect(readMeshConfig(root)).toMatchObject({ stage: 'prod', prefix: 'acme' });
      delete process.env.MESH_STAGE;
      expect(readMeshConfig(root)).toMatchObject({ stage: 'dev', prefix: 'acmedev' });
    } finally {
      if (before === undefined) delete process.env.MESH_STAGE;
      else process.env.MESH_STAGE = before;
    }
  });
});

describe('stage configuration mistakes are reported before anything loads', () => {
  const root = makeTempProject({ domains: {} });
  test.each<[string, Record<string, unknown>, string | undefined, string]>([
    [
      'a stage without accounts',
      { prefix: 'acme', stages: { dev: { prefix: 'acmedev' } } },
      'dev',
      'stages.dev.accounts',
    ],
    [
      'an account that is not an account id',
      { prefix: 'acme', stages: { dev: { prefix: 'acmedev', accounts: ['12345'] } } },
      'dev',
      'must be a 12-digit AWS account id',
    ],
    [
      'two stages with one prefix',
      {
        prefix: 'acme',
        stages: { dev: { prefix: 'acmex', accounts: [DEV] }, prod: { prefix: 'acmex', accounts: [DEV] } },
      },
      'dev',
      "is also stage dev's prefix",
    ],
    ['an unknown default', { prefix: 'acme', stages: STAGES, defaultStage: 'qa' }, undefined, '"qa" is not a stage'],
    ['an upper-case stage name', { prefix: 'acme', stages: { Dev: STAGES.dev } }, 'Dev', 'stage names are'],
    [
      'no stage chosen and no default',
      { prefix: 'acme', stages: STAGES },
      undefined,
      'choose one with -c stage=<name>',
    ],
    ['an unknown stage', { prefix: 'acme', stages: STAGES }, 'qa', 'stage "qa": no such stage (stages: dev, prod)'],
    ['a stage in a mesh without stages', { prefix: 'acme' }, 'dev', 'this mesh has no stages'],
  ])('%s', (_, mesh, stage, message) => {
    writeMeshConfig(root, mesh);
    expect(() => readMeshConfig(root, stage)).toThrow(message);
  });
});

describe("a domain's placement mistakes block that domain and its readers, nothing else", () => {
  const problemsOf = (root: string, stage: string) => {
    const loaded = tryLoadMesh({ root, config: readMeshConfig(root, stage) });
    return {
      blocked: [...loaded.blocked.keys()].sort(),
      sales: (loaded.blocked.get('sales') ?? []).map(formatProblem).join('\n'),
    };
  };

  test('a domain with no account for the stage: file:line:column, the field and an example', () => {
    const root = threeAccountMesh({ sales: { accounts: { dev: { account: DEV, region: 'eu-west-1' } } } });
    expect(problemsOf(root, 'dev').blocked).toEqual([]);
    const { blocked, sales } = problemsOf(root, 'prod');
    expect(blocked).toEqual(['marketing', 'sales']);
    expect(sales).toMatch(/^domains\/sales\/domain\.ts:\d+:\d+: accounts: no account for stage "prod"/);
    expect(sales).toContain("prod: { account: '123456789012', region: 'eu-west-1' }");
  });

  test('an account the stage does not list', () => {
    const root = threeAccountMesh({ sales: { accounts: placed('999999999999') } });
    const { blocked, sales } = problemsOf(root, 'prod');
    expect(blocked).toEqual(['marketing', 'sales']);
    expect(sales).toContain('accounts.prod.account: account 999999999999 is not an account of stage "prod"');
  });

  test('a stage the mesh does not have', () => {
    const root = threeAccountMesh({
      sales: { accounts: { ...placed(PROD_SALES), qa: { account: DEV, region: 'eu-west-1' } } },
    });
    expect(problemsOf(root, 'dev').sales).toContain('accounts.qa: "qa" is not a stage of the mesh (stages: dev, prod)');
  });

  test('env in a mesh with stages, and accounts in a mesh without', () => {
    const withEnv = threeAccountMesh({ sales: { accounts: undefined, env: { account: DEV, region: 'eu-west-1' } } });
    expect(problemsOf(withEnv, 'dev').sales).toContain('env: this mesh has stages (dev, prod)');
    writeMeshConfig(withEnv, { prefix: 'acme' });
    const loaded = tryLoadMesh({ root: withEnv, config: readMeshConfig(withEnv, undefined) });
    expect([...loaded.blocked.keys()].sort()).toEqual(['customers', 'marketing']);
    expect(loaded.blocked.get('customers')?.map(formatProblem).join('\n')).toContain(
      'accounts: accounts are per stage, and this mesh has no stages',
    );
  });
});
