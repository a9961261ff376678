import type { MeshRule, Violation } from '../../model';

/** MESH-PROD-002: usage and limitations written down. */
export const descriptionComplete: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-002',
  severity: 'warning',
  title: 'Product descriptions say how to use the data and what it cannot do',
  explanation:
    'The purpose is required by the schema; usage (how to query it well) and limitations (what it must not be used for) are what keep consumers from misreading the data.',
  fix: 'add description.usage and description.limitations to the product file',
  checkProduct(product) {
    const { usage, limitations } = product.definition.description;
    const violations: Violation[] = [];
    if (!usage?.trim())
      violations.push({
        finding: 'description.usage',
        message: 'description has no usage',
        fix: 'add description.usage',
      });
    if (!limitations?.trim()) {
      violations.push({
        finding: 'description.limitations',
        message: 'description has no limitations',
        fix: 'add description.limitations',
      });
    }
    return violations;
  },
};
