import type { MeshRule } from '../../model';

/** MESH-PROD-010: at least one quality rule. */
export const qualityRulesDeclared: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-010',
  severity: 'warning',
  title: 'Products declare quality rules',
  explanation:
    'Quality rules are the measurable part of the contract (row counts, keys, accepted values); a product without any promises nothing the platform can check.',
  fix: "add quality: [{ rule: 'rowCount', mustBeGreaterThan: 0 }, { rule: 'unique', column: <key> }, ...]",
  checkProduct(product) {
    return product.definition.quality.length > 0 ? [] : [{ finding: 'quality', message: 'declares no quality rules' }];
  },
};
