/**
 * How many nested stacks a domain's products need. CloudFormation takes 500 resources and a 1 MB template per
 * stack; a product that runs carries its SQL in its state machine, so bytes bind first. The estimates are the
 * sizes measured on synthesized products, tuned so this app splits a domain where the platform does and the
 * two compare stack by stack.
 */
import type { SyntheticProduct } from '../synthetic-mesh';

/** Resources per product: table and named query, plus role, state machine, schedule and three alarms; a build adds its staging table. */
export function productResources(product: SyntheticProduct): number {
  return product.build ? 9 : 8;
}

/** Template bytes per product, on the conservative side: fixed parts plus what grows with the columns. */
export function productBytes(product: SyntheticProduct): number {
  const columns = product.columns.length;
  return product.build ? 21_500 + 1_700 * columns : 17_100 + 700 * columns;
}

/** The domain's own resources and bytes (buckets, keys, roles, policies, shared runtime), with headroom. */
const DOMAIN_RESOURCES = 50;
const DOMAIN_BYTES = 120_000;
/** A domain stays in one stack up to these; a shard is planned for the lower fill below. */
const SINGLE_STACK = { resources: 450, bytes: 800_000 };
const SHARD = { resources: 300, bytes: 600_000 };

/** 1: the products live in the domain stack; otherwise the number of nested stacks, a power of two. */
export function shardCount(products: readonly SyntheticProduct[]): number {
  const resources = products.reduce((sum, p) => sum + productResources(p), 0);
  const bytes = products.reduce((sum, p) => sum + productBytes(p), 0);
  if (resources + DOMAIN_RESOURCES <= SINGLE_STACK.resources && bytes + DOMAIN_BYTES <= SINGLE_STACK.bytes) return 1;
  let shards = 2;
  while (resources / shards > SHARD.resources || bytes / shards > SHARD.bytes) shards *= 2;
  return shards;
}

/** A product's shard: FNV-1a of its name, so adding a product never moves another. */
export function shardOf(name: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
