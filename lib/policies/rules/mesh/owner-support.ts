import type { MeshRule, Violation } from '../../model';

/** MESH-PROD-001: an owner and a way to reach them. */
export const ownerAndSupport: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-001',
  severity: 'warning',
  title: 'Products have an owner and a support channel',
  explanation:
    'Consumers need to know who answers for the data and where to ask. The owner (team and email) and the support channels are inherited from the domain when the product does not set them; a missing owner is an error, a missing support channel a warning.',
  fix: 'add support: [{ channel, url }] to the product or its domain file',
  checkProduct(product) {
    const violations: Violation[] = [];
    if (!product.owner?.team || !product.owner?.email) {
      violations.push({
        finding: 'owner',
        severity: 'error',
        message: 'has no owner',
        fix: 'add owner: { team, email } to the product or its domain',
      });
    }
    if (product.support.length === 0) {
      violations.push({ finding: 'support', message: 'has no support channel (none on the product or its domain)' });
    }
    return violations;
  },
};
