/**
 * What the home page searches: one entry per product with its columns, tags and concepts, shipped as a script
 * that sets `window.MESH_SEARCH_INDEX` (a `fetch` of a JSON file is refused on file://).
 */
import type { Mesh } from '../mesh/model';
import { allProducts } from '../mesh/model';
import { scriptJson } from './html';
import { productPage } from './paths';

export interface SearchEntry {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly domain: string;
  /** Product page, relative to the site root. */
  readonly href: string;
  readonly purpose: string;
  readonly tags: readonly string[];
  /** Column names of every live major, without repeats. */
  readonly columns: readonly string[];
  readonly concepts: readonly string[];
  readonly status: string;
}

export function searchEntries(mesh: Mesh): SearchEntry[] {
  return allProducts(mesh).map((product) => {
    const columns = product.versions.flatMap((v) => v.schema.columns);
    return {
      id: product.id,
      name: product.name,
      title: product.definition.title ?? product.name,
      domain: product.domain,
      href: productPage(product.id),
      purpose: product.definition.description.purpose,
      tags: product.definition.tags,
      columns: [...new Set(columns.map((c) => c.name))],
      concepts: [...new Set(columns.flatMap((c) => (c.concept ? [c.concept] : [])))],
      status: product.definition.status,
    };
  });
}

export function searchIndexScript(mesh: Mesh): string {
  return `window.MESH_SEARCH_INDEX = ${scriptJson(searchEntries(mesh))};\n`;
}
