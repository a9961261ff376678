/**
 * The two functions domain teams call. They only give the editor types and autocompletion; parsing happens
 * when the mesh is loaded, where errors can name the file they came from.
 */
import type { DomainDefinitionInput, ProductDefinitionInput } from './schema';

/** Marks a product file's default export; the object is validated when the mesh loads. */
export function defineProduct(definition: ProductDefinitionInput): ProductDefinitionInput {
  return definition;
}

/** Marks a domain file's default export; the object is validated when the mesh loads. */
export function defineDomain(definition: DomainDefinitionInput): DomainDefinitionInput {
  return definition;
}
