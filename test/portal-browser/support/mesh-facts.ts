/**
 * What the CLI says about a mesh, independent of the portal's code: the lineage (`mesh graph --json`) and the
 * impact of a change (`mesh impact --json`). The browser tests compare the drawn site with these.
 */
import { runMesh } from '../../support/run-mesh';
import { PROJECT_ROOT } from '../../support/temp-project';

export interface LineageEdge {
  readonly producer: string;
  readonly consumer: string;
  readonly major: number;
}

export interface Lineage {
  readonly products: string[];
  readonly edges: LineageEdge[];
}

async function meshJson<T>(args: readonly string[], root: string): Promise<T> {
  const run = await runMesh(['-C', root, ...args]);
  if (run.code !== 0) throw new Error(`mesh ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export function lineageOf(root: string = PROJECT_ROOT): Promise<Lineage> {
  return meshJson<Lineage>(['graph', '--json'], root);
}

/** The transitive consumers of a product, as `mesh impact` reports them. */
export async function impactedBy(product: string, root: string = PROJECT_ROOT): Promise<string[]> {
  const report = await meshJson<{ consumers: { product: string }[] }>(['impact', product, '--json'], root);
  return report.consumers.map((c) => c.product);
}

/** Every product a product reads, transitively, walked over the CLI's lineage. */
export function upstreamIn(lineage: Lineage, product: string): Set<string> {
  const found = new Set<string>();
  const queue = [product];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const edge of lineage.edges) {
      if (edge.consumer === current && !found.has(edge.producer)) {
        found.add(edge.producer);
        queue.push(edge.producer);
      }
    }
  }
  return found;
}

/** `producer → consumer` once per pair, as the graph draws it (a consumer reading two majors is one edge). */
export function edgeKeys(edges: readonly { readonly producer: string; readonly consumer: string }[]): string[] {
  return [...new Set(edges.map((e) => `${e.producer} -> ${e.consumer}`))].sort();
}
