/**
 * The contract rules (lib/contracts) as a source of mesh findings: breaking changes without a new major,
 * stale or missing lock files, sunsets. The contracts module checks; the engine attaches, excepts, reports.
 */
import { checkContracts } from '../../contracts/check';
import { CONTRACT_RULES } from '../../contracts/rules';
import type { MeshFindingSource } from './mesh-finding-source';

export const contractsSource: MeshFindingSource = {
  name: 'contracts',
  rules: CONTRACT_RULES,
  check: (mesh, root, today) =>
    checkContracts(mesh, root, today).map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      domain: finding.domain,
      // A lock file whose product is gone belongs to the domain.
      productId: finding.product ? finding.productId : undefined,
      file: finding.file,
      message: finding.message,
      fix: finding.fix,
    })),
};
