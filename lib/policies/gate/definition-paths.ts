/**
 * Where a domain stack's definitions sit in the construct tree, derived from the domain alone: the gate has
 * no construct tree, yet attaches findings where synthesis does, and attributes each template resource to
 * the product whose construct made it. The layout is the one constructs/domain-stack.ts builds (DataDomain
 * `Domain`; each product `PascalName` in the stack, or in nested stack `Products<shard>` when the domain is
 * sharded); the gate's tests compare it with what synthesis reports, so a change there fails them.
 */
import type { MeshDomain } from '../../mesh/model';
import { pascalCase } from '../../mesh/naming';
import { productShardCount, shardOf } from '../../mesh/stack-layout';

export interface DefinitionPaths {
  /** Path of the construct domain-level findings attach to. */
  readonly domain: string;
  /** Product construct path by product name. */
  readonly products: ReadonlyMap<string, string>;
  /** Product name by product construct path. */
  readonly productByPath: ReadonlyMap<string, string>;
}

export function definitionPaths(stackPath: string, domain: MeshDomain): DefinitionPaths {
  const shards = productShardCount(domain);
  const products = new Map<string, string>();
  for (const product of domain.products) {
    const scope = shards === 1 ? stackPath : `${stackPath}/Products${shardOf(product.name, shards)}`;
    products.set(product.name, `${scope}/${pascalCase(product.name)}`);
  }
  return {
    domain: `${stackPath}/Domain`,
    products,
    productByPath: new Map([...products].map(([name, p]) => [p, name])),
  };
}

/** The product whose construct holds the construct at `path`, if any. */
export function productAt(paths: DefinitionPaths, path: string): string | undefined {
  // Every ancestor path, nearest first: product paths are two or three segments deep.
  for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
    const product = paths.productByPath.get(path.slice(0, end));
    if (product) return product;
  }
  return undefined;
}
