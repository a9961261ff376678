import type { ResourceRule, Violation } from '../../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../../template/policy-document';

/** MESH-KMS-003: key policy Allow statements name principals and actions. */
export const keyPolicyStatements: ResourceRule = {
  kind: 'resource',
  id: 'MESH-KMS-003',
  severity: 'error',
  title: 'Key policy Allow statements name principals and actions',
  explanation:
    'NotPrincipal and NotAction in an Allow grant everything except a list; Principal "*" narrowed only by a condition depends on that condition being right. Deny statements may use them to fence the key.',
  fix: 'list the allowed principals and actions explicitly',
  resourceTypes: ['AWS::KMS::Key'],
  check(key) {
    const violations: Violation[] = [];
    for (const s of statementsOf(key.properties.KeyPolicy)) {
      if (s.effect !== 'Allow') continue;
      const label = statementLabel(s);
      if (s.notPrincipal)
        violations.push({ finding: `NotPrincipal::${label}`, message: `statement ${label} allows with NotPrincipal` });
      if (s.notAction)
        violations.push({ finding: `NotAction::${label}`, message: `statement ${label} allows with NotAction` });
      if (!s.notPrincipal && isAnyonePrincipal(s.principal) && s.condition) {
        violations.push({
          finding: `Principal::*::${label}`,
          message: `statement ${label} allows Principal "*", narrowed only by its condition`,
        });
      }
    }
    return violations;
  },
};
