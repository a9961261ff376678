/**
 * Stages and accounts: cdk.json names the stages (prefix, accounts), each domain says where it lives per
 * stage, and one synth builds one stage. A three-domain, three-account mesh is synthesized for dev and prod.
 */
import { addDomainStacks } from '../../constructs/mesh-app';
import { readMeshConfig } from '../../lib/mesh/config';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { TODAY, testApp } from '../policies/support/apps';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';
import {
  DEV,
  lockContracts,
  PROD_CUSTOMERS,
  PROD_MARKETING,
  PROD_SALES,
  placed,
  STAGES,
  threeAccountMesh,
  writeMeshConfig,
} from '../support/three-account-mesh';

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

describe('accounts a domain cannot use', () => {
  const problemsOf = (root: string, stage: string | undefined) => {
    const loaded = tryLoadMesh({ root, config: readMeshConfig(root, stage) });
    return new Map([...loaded.blocked].map(([domain, problems]) => [domain, problems.map(formatProblem).join('\n')]));
  };

  test("a domain claiming another domain's account in a stage with several accounts: to read its shared products", () => {
    // Marketing moves into customers' account, where the catalog and fences would treat it as the account's reader.
    const root = threeAccountMesh({ marketing: { accounts: placed(PROD_CUSTOMERS) } });
    const blocked = problemsOf(root, 'prod');
    expect([...blocked.keys()]).toEqual(['marketing']);
    expect(blocked.get('marketing')).toMatch(
      /^domains\/marketing\/domain\.ts:\d+:\d+: accounts\.prod\.account: account 333333333333 already holds domain customers in stage "prod"/,
    );
    // In dev every domain shares one account, which is allowed.
    expect(problemsOf(root, 'dev').size).toBe(0);
  });

  test('an input from another region names the input', () => {
    const root = threeAccountMesh({ marketing: { accounts: placed(PROD_MARKETING, 'us-east-1') } });
    const blocked = problemsOf(root, 'prod');
    expect([...blocked.keys()]).toEqual(['marketing']);
    expect(blocked.get('marketing')).toMatch(
      /domains\/marketing\/products\/reach\.ts:\d+:\d+: inputs\[0\]: sales\/orders lives in eu-west-1 and marketing in us-east-1/,
    );
  });

  test('domains pinned to different accounts in a mesh without stages cannot read each other', () => {
    const root = makeTempProject({
      domains: {
        sales: {
          domain: validDomain('sales', { env: { account: PROD_SALES, region: 'eu-west-1' } }),
          products: { orders: validProduct('orders') },
        },
        marketing: {
          domain: validDomain('marketing', { env: { account: PROD_MARKETING, region: 'eu-west-1' } }),
          products: { reach: validProduct('reach', { archetype: 'consumer-aligned', inputs: ['sales/orders@1'] }) },
        },
      },
    });
    const blocked = problemsOf(root, undefined);
    expect([...blocked.keys()]).toEqual(['marketing']);
    expect(blocked.get('marketing')).toContain('reads across accounts need the accounts listed in cdk.json');
  });
});
