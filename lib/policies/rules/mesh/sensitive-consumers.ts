import { isSensitive } from '../../../mesh/resolve';
import type { MeshRule, Violation } from '../../model';

/** MESH-PROD-007: personal or restricted data only to named consumers with a purpose. */
export const sensitiveNamedConsumers: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-007',
  severity: 'error',
  exceptable: false,
  title: 'Personal or restricted data goes only to named consumers with a purpose',
  explanation:
    'A product with PII or restricted columns (or classified restricted) may not be visible to the whole mesh; each consumer domain is named with the purpose it reads the data for (GDPR purpose limitation).',
  fix: "set access: { visibility: 'consumers', consumers: [{ domain, purpose }] }",
  checkProduct(product) {
    if (!isSensitive(product)) return [];
    const { visibility, consumers } = product.definition.access;
    const violations: Violation[] = [];
    if (visibility === 'mesh') {
      violations.push({
        finding: 'access.visibility',
        message: 'holds personal or restricted data but is visible to the whole mesh',
      });
    }
    consumers.forEach((consumer, i) => {
      if (!consumer.purpose?.trim()) {
        violations.push({
          finding: `Consumer::${consumer.domain}`,
          message: `consumer "${consumer.domain}" has no purpose`,
          fix: `add purpose to access.consumers[${i}]`,
        });
      }
    });
    return violations;
  },
};
