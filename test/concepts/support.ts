/**
 * The example mesh for concept tests (loaded once per test file), and a copy of it whose columns reference
 * no concept — the mesh as it was before its join keys referenced the shared concepts.
 */
import type { Column, ProductSchemaDefinition } from '../../lib/definition/schema';
import { loadMesh } from '../../lib/mesh/load';
import type { Mesh, MeshProduct } from '../../lib/mesh/model';
import type { MeshRule } from '../../lib/policies/model';
import { PROJECT_ROOT } from '../support/temp-project';

let example: Mesh | undefined;

/** The example mesh under domains/. */
export function exampleMesh(): Mesh {
  example ??= loadMesh({ root: PROJECT_ROOT });
  return example;
}

/** The mesh with every `concept` reference removed from every column (types and descriptions stay). */
export function withoutConceptReferences(mesh: Mesh): Mesh {
  const strip = (schema: ProductSchemaDefinition): ProductSchemaDefinition => ({
    ...schema,
    columns: schema.columns.map(({ concept: _concept, ...column }): Column => column),
  });
  const product = (p: MeshProduct): MeshProduct => ({
    ...p,
    definition: {
      ...p.definition,
      schema: strip(p.definition.schema),
      previousVersions: p.definition.previousVersions.map((v) => ({ ...v, schema: strip(v.schema) })),
    },
    versions: p.versions.map((v) => ({ ...v, schema: strip(v.schema) })),
  });
  return { ...mesh, domains: mesh.domains.map((d) => ({ ...d, products: d.products.map(product) })) };
}

/** `<product> [<finding>] <message>` for every finding of the rule in the mesh. */
export function findingsOf(rule: MeshRule, mesh: Mesh): string[] {
  return mesh.domains.flatMap((d) =>
    d.products.flatMap((product) =>
      (rule.checkProduct?.(product, { mesh, today: '2026-06-01' }) ?? []).map(
        (v) => `${product.id} [${v.finding}] ${v.message}`,
      ),
    ),
  );
}
