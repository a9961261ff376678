import type { MeshRule } from '../../model';

/** MESH-PROD-004: the product states its classification. */
export const explicitClassification: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-004',
  severity: 'warning',
  title: 'Products state their classification',
  explanation:
    "A product without a classification inherits the domain's default, which nobody reviewed for this data. Stating it makes the owner decide, and a lowered classification shows up in review.",
  fix: "add classification: 'public' | 'internal' | 'confidential' | 'restricted' to the product file",
  checkProduct(product, { mesh }) {
    if (product.definition.classification) return [];
    const domain = mesh.domains.find((d) => d.name === product.domain);
    return [
      {
        finding: 'classification',
        message: `has no classification of its own (inherits "${domain?.definition.defaults.classification ?? product.classification}" from the domain)`,
      },
    ];
  },
};
