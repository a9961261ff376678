import type { ResourceRule, Violation } from '../../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../../template/policy-document';

/** MESH-S3-009: Allow statements name their principals and actions. */
export const bucketPolicyStatements: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-009',
  severity: 'error',
  title: 'Bucket policy Allow statements name principals and actions',
  explanation:
    'NotPrincipal and NotAction in an Allow grant everything except a list, which grows silently as AWS adds principals and actions; Principal "*" narrowed only by a condition depends on that condition being right. Deny statements may use them (they fence, not grant).',
  fix: 'list the allowed principals and actions explicitly',
  resourceTypes: ['AWS::S3::BucketPolicy'],
  check(policy) {
    const violations: Violation[] = [];
    for (const s of statementsOf(policy.properties.PolicyDocument)) {
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
