/** Generated meshes for scale runs (test/bench/synthetic-mesh.ts), and what their lineage is by construction. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type SyntheticMeshOptions, syntheticMeshSpec, writeSyntheticMesh } from '../../bench/synthetic-mesh';

export interface SyntheticProject {
  readonly root: string;
  readonly domains: string[];
  /** Producing → consuming domain pairs across domains, `a -> b`, sorted. */
  readonly domainEdges: string[];
  /** Inputs of each product id, without majors. */
  readonly inputs: Map<string, string[]>;
}

export function syntheticProject(options: SyntheticMeshOptions): SyntheticProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-scale-'));
  writeSyntheticMesh(root, options);
  const spec = syntheticMeshSpec(options);
  const inputs = new Map<string, string[]>();
  const domainEdges = new Set<string>();
  for (const domain of spec.domains) {
    for (const product of domain.products) {
      const ids = product.inputs.map((input) => input.replace(/@\d+$/, ''));
      inputs.set(`${domain.name}/${product.name}`, ids);
      for (const id of ids) {
        const producer = id.split('/')[0];
        if (producer !== domain.name) domainEdges.add(`${producer} -> ${domain.name}`);
      }
    }
  }
  return { root, domains: spec.domains.map((d) => d.name), domainEdges: [...domainEdges].sort(), inputs };
}
