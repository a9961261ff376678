/**
 * A mesh with two stages: dev in one account, prod with each of three domains in its own account. Sales
 * publishes orders to the whole mesh; customers shares profiles with marketing only; marketing reads both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { readMeshConfig } from '../../lib/mesh/config';
import { tryLoadMesh } from '../../lib/mesh/load';
import { TODAY } from '../policies/support/apps';
import { makeTempProject, validDomain, validProduct } from './temp-project';

export const DEV = '111111111111';
export const PROD_SALES = '222222222222';
export const PROD_CUSTOMERS = '333333333333';
export const PROD_MARKETING = '444444444444';

export const STAGES = {
  dev: { prefix: 'acmedev', accounts: [DEV] },
  prod: { prefix: 'acme', accounts: [PROD_SALES, PROD_CUSTOMERS, PROD_MARKETING] },
};

export function writeMeshConfig(root: string, mesh: Record<string, unknown>): void {
  fs.writeFileSync(path.join(root, 'cdk.json'), JSON.stringify({ context: { mesh } }));
}

export const placed = (prod: string, region = 'eu-west-1') => ({
  dev: { account: DEV, region: 'eu-west-1' },
  prod: { account: prod, region },
});

/** Sales and customers publish; marketing reads one product of each, from another account in prod. */
export function threeAccountMesh(overrides: Record<string, Record<string, unknown>> = {}): string {
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
        domain: validDomain('marketing', { accounts: placed(PROD_MARKETING), ...overrides.marketing }),
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
export function lockContracts(root: string): void {
  const mesh = tryLoadMesh({ root, config: readMeshConfig(root, 'dev') }).mesh;
  if (!mesh) throw new Error('the fixture mesh has definition problems');
  for (const product of mesh.domains.flatMap((d) => d.products)) {
    writeLockFile(root, lockFilePath(product), planLock(product, undefined, TODAY).lock);
  }
}
