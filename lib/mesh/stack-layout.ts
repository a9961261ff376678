/**
 * How a domain's products are laid out over CloudFormation stacks. A domain stack holds up to 500 resources;
 * a large domain spreads its products over nested stacks ("shards"), each product assigned by a hash of its
 * name, so adding or removing a product never moves another one.
 */
import type { MeshDomain } from './model';

/** CloudFormation resources each live product version creates (Glue table, Athena named query). */
export const RESOURCES_PER_PRODUCT_VERSION = 2;
/** Resources the domain itself creates, with headroom for grants and policies. */
export const DOMAIN_BASE_RESOURCES = 40;
/** CloudFormation's hard limit. */
export const MAX_RESOURCES_PER_STACK = 500;
/** Fill level a shard is planned for, leaving room for growth before the next split. */
const SHARD_TARGET_RESOURCES = 300;

export function productResourceCount(domain: MeshDomain): number {
  return domain.products.reduce((sum, p) => sum + p.versions.length * RESOURCES_PER_PRODUCT_VERSION, 0);
}

/** Number of nested stacks for the domain's products; 1 means the products live in the domain stack itself. */
export function productShardCount(domain: MeshDomain): number {
  if (domain.definition.productShards !== undefined) return domain.definition.productShards;
  const resources = productResourceCount(domain);
  if (resources + DOMAIN_BASE_RESOURCES <= MAX_RESOURCES_PER_STACK - 50) return 1;
  // Powers of two keep the automatic choice stable across modest growth.
  let shards = 2;
  while (resources / shards > SHARD_TARGET_RESOURCES) shards *= 2;
  return shards;
}

/** Stable shard of a product: FNV-1a hash of its name. */
export function shardOf(productName: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < productName.length; i++) {
    hash ^= productName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
