import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { type FileContent, makeTempProject, PROJECT_ROOT, validDomain, validProduct } from '../support/temp-project';

/** Construct path → logical ID of every CloudFormation resource in the domain's stack. */
function logicalIds(products: Record<string, FileContent>): Map<string, string> {
  const root = makeTempProject({ domains: { sales: { domain: validDomain('sales'), products } } });
  const app = new App({ context: readCdkContext(PROJECT_ROOT) });
  const [stack] = addDomainStacks(app, loadMesh({ root }));
  const ids = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    if (construct instanceof CfnResource) {
      ids.set(construct.node.path, Stack.of(construct).getLogicalId(construct));
    }
  }
  return ids;
}

function expectSameIds(before: Map<string, string>, after: Map<string, string>, paths: string[]): void {
  for (const path of paths) {
    expect(after.get(path)).toBeDefined();
    expect(after.get(path)).toBe(before.get(path));
  }
}

const shared = (ids: Map<string, string>, exclude: RegExp) => [...ids.keys()].filter((p) => !exclude.test(p));

describe('logical IDs are stable: derived from names, never from order', () => {
  const before = logicalIds({ alpha: validProduct('alpha'), beta: validProduct('beta'), gamma: validProduct('gamma') });

  test('removing one product and adding another leaves every other logical ID unchanged', () => {
    const after = logicalIds({
      alpha: validProduct('alpha'),
      gamma: validProduct('gamma'),
      delta: validProduct('delta'),
    });
    expectSameIds(before, after, shared(before, /Beta/));
    expect([...after.keys()].some((p) => p.includes('/Beta/'))).toBe(false);
    expect([...after.keys()].some((p) => p.includes('/Delta/'))).toBe(true);
  });

  test('declaring products and inputs in another order does not move resources', () => {
    const after = logicalIds({
      gamma: validProduct('gamma', { inputs: ['sales/alpha@1', 'sales/beta@1'] }),
      beta: validProduct('beta'),
      alpha: validProduct('alpha'),
    });
    expectSameIds(before, after, [...before.keys()]);
  });

  test('a new major adds a table beside the old one without touching it', () => {
    const after = logicalIds({
      alpha: validProduct('alpha', {
        version: '2.0.0',
        previousVersions: [{ version: '1.0.0', sunset: '2027-06-30', schema: validProduct('alpha').schema }],
      }),
      beta: validProduct('beta'),
      gamma: validProduct('gamma'),
    });
    expectSameIds(before, after, [...before.keys()]);
    expect([...after.keys()].filter((p) => p.includes('/Alpha/TableV')).sort()).toEqual([
      'Mesh-Sales/Alpha/TableV1',
      'Mesh-Sales/Alpha/TableV2',
    ]);
  });
});
