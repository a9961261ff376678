/**
 * The access matrix with execution roles, simulated offline: each run product's role reads its own version
 * and exactly its declared inputs (in its own domain and others, through the producers' fences), writes
 * only its own version, staging prefix and domain's quality results, and is denied every other product in
 * every domain — also when every role grants itself s3:* and kms:*. Execution roles are those the templates
 * deploy (constructs/product-runtime.ts), found by name.
 */
import {
  type AccessCheck,
  buildAccessMatrix,
  executionRoleDrift,
  expectedExecutionRoles,
} from '../../lib/access/verify/matrix';
import { selfGrantedChecks, withSelfGrantedAccess } from '../../lib/access/verify/self-granted';
import { extractAccessPolicies, type StackTemplate } from '../../lib/access/verify/templates';
import { formatVerifyReport, isClean, verifyAccess } from '../../lib/access/verify/verify';
import { OfflineAccessEvaluator } from './support/offline-evaluator';
import { type SynthesizedMesh, synthesizeMesh, TEST_ENV } from './support/synth-mesh';
import { built, consumers, domain, product, removeTempProject, writeTempProject } from './support/temp-project';

let root: string;
let synthesized: SynthesizedMesh;
let templates: StackTemplate[];
beforeAll(() => {
  root = writeTempProject([
    {
      definition: domain('hub'),
      products: [
        product('a', { access: consumers('x', 'y') }),
        product('c', { access: consumers('x') }),
        product('m'),
        product('p', { access: { visibility: 'domain' } }),
      ],
    },
    {
      definition: domain('x'),
      products: [product('xb', built('hub/a@1', 'x/xs@1')), product('xn', { inputs: ['hub/c@1'] }), product('xs')],
    },
    { definition: domain('y'), products: [product('yn', { inputs: ['hub/a@1'] })] },
    { definition: domain('z'), products: [product('zr', built('hub/m@1', 'x/xs@1'))] },
  ]);
  synthesized = synthesizeMesh(root);
  templates = [...synthesized.templates];
}, 120_000);

/** The templates with an extra inline policy on a role of a domain's stack (an identity grant gone too wide). */
function withExtraGrant(stacks: readonly StackTemplate[], stack: string, role: string, statement: object) {
  return stacks.map((t) =>
    t.name !== stack
      ? t
      : {
          ...t,
          template: {
            ...t.template,
            Resources: {
              ...t.template.Resources,
              ExtraGrant: {
                Type: 'AWS::IAM::Policy',
                Properties: {
                  PolicyName: 'Extra',
                  Roles: [role],
                  PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
                },
              },
            },
          },
        },
  );
}
afterAll(() => removeTempProject(root));

const deployedRoles = (stacks: readonly StackTemplate[]) =>
  new Set([...extractAccessPolicies(stacks).roles.values()].map((r) => r.name));
const matrix = (stacks: readonly StackTemplate[]) =>
  buildAccessMatrix(synthesized.mesh, { env: TEST_ENV, deployedRoles: deployedRoles(stacks) });
const describeCheck = (c: AccessCheck) => `${c.role.name} ${c.kind} ${c.target}`;

test('execution roles come from the templates by name: without them the matrix has none, and the drift names them', () => {
  const roles = expectedExecutionRoles(synthesized.mesh).map((r) => r.name);
  expect(roles).toEqual(['acme-x.run.xb-v1', 'acme-z.run.zr-v1']);
  expect(executionRoleDrift(synthesized.mesh, new Set())).toEqual({
    missing: ['x/xb@1 (role acme-x.run.xb-v1)', 'z/zr@1 (role acme-z.run.zr-v1)'],
    unexpected: [],
  });
  expect(executionRoleDrift(synthesized.mesh, new Set([...roles, 'acme-x.run.stray']))).toEqual({
    missing: [],
    unexpected: ['acme-x.run.stray'],
  });
  // The runtime constructs deploy exactly those.
  expect([...deployedRoles(templates)].filter((n) => n.includes('.run.')).sort()).toEqual(roles);
  const withRoles = matrix(templates);
  expect(withRoles.filter((c) => c.role.kind === 'execution').length).toBeGreaterThan(0);
  const without = buildAccessMatrix(synthesized.mesh, { env: TEST_ENV, deployedRoles: new Set() });
  expect(without.some((c) => c.role.kind === 'execution')).toBe(false);
});

test('each execution role reads its own version and exactly its inputs, writes only its own prefixes: 0 unexpected, 0 missing', async () => {
  const checks = matrix(templates);
  const report = await verifyAccess(checks, new OfflineAccessEvaluator(extractAccessPolicies(templates)));
  expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
  expect(isClean(report)).toBe(true);
  const allowed = (role: string, kind: string) =>
    checks
      .filter((c) => c.role.name === role && c.kind === kind && c.expected)
      .map((c) => c.target)
      .sort();
  // Its own domain's input (xs) needs a grant too: an execution role is not the domain's roles.
  expect(allowed('acme-x.run.xb-v1', 'read-object')).toEqual(['hub/a@1', 'x/xb@1', 'x/xs@1']);
  expect(allowed('acme-x.run.xb-v1', 'write-object')).toEqual(['x/xb@1']);
  expect(allowed('acme-z.run.zr-v1', 'read-object')).toEqual(['hub/m@1', 'x/xs@1', 'z/zr@1']);
  expect(allowed('acme-z.run.zr-v1', 'write-staging')).toEqual(['z/zr@1']);
  expect(allowed('acme-z.run.zr-v1', 'write-quality')).toEqual(['z']);
  expect(allowed('acme-z.run.zr-v1', 'decrypt-key')).toEqual(['hub', 'x', 'z']);
});

test('self-granted execution roles get through the fences only where the contracts allow', async () => {
  const policies = extractAccessPolicies(templates);
  const attack = selfGrantedChecks(synthesized.mesh, matrix(templates));
  const report = await verifyAccess(attack, new OfflineAccessEvaluator(withSelfGrantedAccess(policies)));
  expect(formatVerifyReport(report)).toContain('unexpected allows: 0\nmissing allows: 0');
  const through = (role: string) =>
    attack
      .filter((c) => c.role.name === role && c.kind === 'read-object' && c.expected)
      .map((c) => c.target)
      .sort();
  expect(isClean(report)).toBe(true);
  // hub/a and hub/c are shared with x by contract, so x's execution roles pass their fences (their own policies
  // decide what they read); the rest is mesh-visible or x's own.
  expect(through('acme-x.run.xb-v1')).toEqual([
    'hub/a@1',
    'hub/c@1',
    'hub/m@1',
    'x/xb@1',
    'x/xn@1',
    'x/xs@1',
    'y/yn@1',
    'z/zr@1',
  ]);
});

test('an execution role granted another product of its own domain is caught', async () => {
  const leaky = withExtraGrant(templates, 'Mesh-X', 'acme-x.run.xb-v1', {
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::acme-x-data-${TEST_ENV.account}-${TEST_ENV.region}/products/xn/*`,
  });
  const report = await verifyAccess(matrix(leaky), new OfflineAccessEvaluator(extractAccessPolicies(leaky)));
  expect(report.unexpectedAllows.map((m) => describeCheck(m.check))).toEqual(['acme-x.run.xb-v1 read-object x/xn@1']);
});
