/**
 * How a domain's products are laid out over CloudFormation stacks. A domain stack holds up to 500 resources;
 * a large domain spreads its products over nested stacks ("shards"), each product assigned by a hash of its
 * name, so adding or removing a product never moves another one.
 */
import { productRun } from '../runtime/plan';
import type { MeshDomain } from './model';

/** CloudFormation resources each live product version creates (Glue table, Athena named query). */
export const RESOURCES_PER_PRODUCT_VERSION = 2;
/**
 * Resources of a product that runs (constructs/product-runtime.ts): execution role, state machine, schedule and
 * up to three alarms; a build adds its staging table.
 */
export const RESOURCES_PER_CHECKED_PRODUCT = 6;
export const RESOURCES_PER_BUILT_PRODUCT = 7;
/** Resources the domain itself creates, with headroom for grants and policies. */
export const DOMAIN_BASE_RESOURCES = 40;
/** Resources the domain's shared runtime adds when any product runs (constructs/domain-runtime.ts). */
export const DOMAIN_RUNTIME_RESOURCES = 10;
/** CloudFormation's hard limit. */
export const MAX_RESOURCES_PER_STACK = 500;
/** Fill level a shard is planned for, leaving room for growth before the next split. */
const SHARD_TARGET_RESOURCES = 300;
/**
 * Template bytes a stack is planned for, against CloudFormation's 1,000,000: a product that runs carries its
 * SQL in its state machine and its grants in its role, tens of kilobytes, so bytes can bind before resources.
 */
const TARGET_TEMPLATE_BYTES = 600_000;
/** A domain stays in one stack up to this estimate: splitting moves every product, so it happens late. */
const SINGLE_STACK_TEMPLATE_BYTES = 800_000;
/** Bytes the domain's own resources take in its stack (grants, fences, runtime), with headroom. */
const DOMAIN_BASE_BYTES = 120_000;

/**
 * Template bytes of a product, estimated from its size on the conservative side (measured on synthesized
 * stacks: a 16-column built product takes about 40 kB, a table alone about 4 kB).
 */
export function productTemplateBytes(product: MeshDomain['products'][number]): number {
  const columns = Math.max(...product.versions.map((v) => v.schema.columns.length));
  const rules = product.definition.quality.length + 1;
  const tables = product.versions.length * (1_500 + 300 * columns);
  const run = productRun(product);
  if (run === undefined) return tables;
  const perRun = run.kind === 'build' ? 16_000 + 1_400 * columns + 1_000 * rules : 12_000 + 400 * columns + 900 * rules;
  return tables + perRun;
}

export function productResourceCount(domain: MeshDomain): number {
  return domain.products.reduce((sum, p) => {
    const run = productRun(p);
    const runtime =
      run === undefined ? 0 : run.kind === 'build' ? RESOURCES_PER_BUILT_PRODUCT : RESOURCES_PER_CHECKED_PRODUCT;
    return sum + p.versions.length * RESOURCES_PER_PRODUCT_VERSION + runtime;
  }, 0);
}

/** Number of nested stacks for the domain's products; 1 means the products live in the domain stack itself. */
export function productShardCount(domain: MeshDomain): number {
  if (domain.definition.productShards !== undefined) return domain.definition.productShards;
  const resources = productResourceCount(domain);
  const bytes = domain.products.reduce((sum, p) => sum + productTemplateBytes(p), 0);
  const base = DOMAIN_BASE_RESOURCES + (domain.products.some((p) => productRun(p)) ? DOMAIN_RUNTIME_RESOURCES : 0);
  if (resources + base <= MAX_RESOURCES_PER_STACK - 50 && bytes + DOMAIN_BASE_BYTES <= SINGLE_STACK_TEMPLATE_BYTES)
    return 1;
  // Powers of two keep the automatic choice stable across modest growth.
  let shards = 2;
  while (resources / shards > SHARD_TARGET_RESOURCES || bytes / shards > TARGET_TEMPLATE_BYTES) shards *= 2;
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
