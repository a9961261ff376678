/**
 * Access of the runtime plane: the execution role a product's state machine runs as reads exactly that
 * product's declared inputs — in its own domain too, where the domain's roles need no grant — and the
 * fences of every domain it reads from must let its domain's execution roles through. Execution roles are
 * matched by their domain's name prefix (lib/runtime/names.ts), so a fence never changes when a build is
 * added and never admits another domain's roles: a "." cannot occur in a domain name.
 */
import { findDomain, type Mesh, type MeshDomain, type MeshProduct } from '../mesh/model';
import { productRun } from '../runtime/plan';
import { type InputRead, readStatements, sortReads } from './input-grants';
import type { PolicyStatementJson } from './policy-json';

/** The product versions one product declares as inputs, its own domain's included, once each, in a stable order. */
export function productInputReads(mesh: Mesh, product: MeshProduct): InputRead[] {
  const reads = new Map<string, InputRead>();
  for (const edge of mesh.edges) {
    if (edge.consumer.id !== product.id) continue;
    const producer = findDomain(mesh, edge.producer.domain) as MeshDomain;
    reads.set(`${edge.producer.id}@${edge.major}`, { producer, product: edge.producer, major: edge.major });
  }
  return sortReads([...reads.values()]);
}

/**
 * Read statements for exactly the product's declared inputs: the statements a domain's roles get for their
 * inputs (input-grants.ts), with the same placeholders (fill them with env.ts fillPlaceholders), for no
 * other product's inputs. Empty for a product without inputs.
 */
export function productRuntimeInputStatements(mesh: Mesh, product: MeshProduct): PolicyStatementJson[] {
  return readStatements(mesh, productInputReads(mesh, product), findDomain(mesh, product.domain) as MeshDomain);
}

/**
 * Whether the platform builds the product (its current major) from its inputs: only a build reads them
 * (lib/runtime/plan.ts; a scheduled check reads the product itself).
 */
export function isBuilt(product: MeshProduct): boolean {
  return productRun(product)?.kind === 'build';
}
