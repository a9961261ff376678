/** A small mesh built from inline definitions, for erasure tests that need lineage the example mesh lacks. */
import { DomainDefinitionSchema, type ProductDefinitionInput } from '../../lib/definition/schema';
import { DEFAULT_MESH_CONFIG } from '../../lib/mesh/config';
import type { Mesh, MeshDomain, MeshEdge, MeshProduct } from '../../lib/mesh/model';
import { meshProductOf, productInput } from '../quality/product-fixture';

/** The products of one domain, resolved like the loader does, with edges from their inputs. */
export function inlineMesh(domain: string, inputs: readonly Partial<ProductDefinitionInput>[]): Mesh {
  const products = inputs.map((input) => meshProductOf(productInput(input), domain));
  const definition = DomainDefinitionSchema.parse({
    name: domain,
    description: 'Erasure test domain.',
    owner: { team: 'Test', email: 'test@example.com' },
    costCenter: 'CC-1',
  });
  const meshDomain: MeshDomain = {
    name: domain,
    file: `domains/${domain}/domain.ts`,
    definition,
    products: [...products].sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  const byId = new Map<string, MeshProduct>(products.map((p) => [p.id, p]));
  const edges: MeshEdge[] = products.flatMap((consumer) =>
    consumer.definition.inputs.map((reference) => {
      const [id, major] = reference.split('@');
      const producer = byId.get(id);
      if (!producer) throw new Error(`${consumer.id} reads ${reference}, which is not in the test mesh`);
      return { consumer, producer, major: Number(major) };
    }),
  );
  return { config: { ...DEFAULT_MESH_CONFIG, prefix: 'acme' }, domains: [meshDomain], edges };
}
