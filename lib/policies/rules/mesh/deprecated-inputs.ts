import type { Mesh, MeshEdge, MeshProduct } from '../../../mesh/model';
import type { MeshRule } from '../../model';

const edgesByConsumer = new WeakMap<Mesh, Map<MeshProduct, MeshEdge[]>>();

/** The edges a product consumes, indexed once per mesh (the rule runs for every product). */
function inputsOf(mesh: Mesh, product: MeshProduct): readonly MeshEdge[] {
  let index = edgesByConsumer.get(mesh);
  if (!index) {
    index = new Map();
    for (const edge of mesh.edges) {
      const list = index.get(edge.consumer);
      if (list) list.push(edge);
      else index.set(edge.consumer, [edge]);
    }
    edgesByConsumer.set(mesh, index);
  }
  return index.get(product) ?? [];
}

/** MESH-PROD-008: inputs on deprecated or draft products. */
export const inputsToDeprecatedProducts: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-008',
  severity: 'warning',
  title: 'Inputs are not deprecated or draft products',
  explanation:
    'A deprecated product is on its way out and a draft one has no published contract yet; building on either means rework. The consumer is warned so it can plan a move (sunset dates are checked by the contract rules).',
  fix: "move the input to the product's successor, or agree a timeline with its owner",
  checkProduct(product, { mesh }) {
    return inputsOf(mesh, product)
      .filter((e) => e.producer.definition.status === 'deprecated' || e.producer.definition.status === 'draft')
      .map((e) => {
        const reference = `${e.producer.id}@${e.major}`;
        return {
          finding: `Input::${reference}`,
          message: `input ${reference} is ${e.producer.definition.status} (${e.producer.file})`,
          fix: `replace "${reference}" in inputs, or agree a timeline with ${e.producer.owner.email}`,
        };
      });
  },
};
