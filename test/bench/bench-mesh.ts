/**
 * A synthetic mesh as a real project the CDK CLI can synthesize: the definitions (synthetic-mesh.ts), a
 * cdk.json with the platform's feature flags and the mesh prefix, and a published contract lock for every
 * product, as a team would commit them (without locks every stack fails MESH-CON-003).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts } from '../../lib/mesh/model';
import { type SyntheticMeshOptions, writeSyntheticMesh } from './synthetic-mesh';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export function writeBenchMesh(dir: string, options: SyntheticMeshOptions): void {
  writeSyntheticMesh(dir, options);
  const context = { ...readCdkContext(PROJECT_ROOT), mesh: { prefix: options.prefix ?? 'bench' } };
  fs.writeFileSync(path.join(dir, 'cdk.json'), `${JSON.stringify({ context }, null, 2)}\n`);
  const today = new Date().toISOString().slice(0, 10);
  // Evaluated apart from the measured runs: nothing of this load is left in the mesh's caches.
  const mesh = loadMesh({ root: dir, cache: false });
  for (const product of allProducts(mesh)) {
    writeLockFile(dir, lockFilePath(product), planLock(product, undefined, today).lock);
  }
}
