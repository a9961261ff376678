import type { StackRule, StackViolation } from '../../model';
import { iamPolicyChars } from '../../template/deployed-size';
import { formatCount, quotaSeverity } from './quota-check';

/** IAM's default limit on a role trust policy (4,096 on request). */
export const MAX_TRUST_POLICY_CHARS = 2_048;

/** MESH-QUOTA-007: trust policy size. */
export const trustPolicySize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-007',
  severity: 'error',
  title: 'A trust policy has at most 2,048 characters',
  explanation:
    'IAM rejects a trust policy over 2,048 characters by default (4,096 after a quota increase); listing many principals in it fails at deploy.',
  fix: 'trust the account and let identity policies decide, instead of listing principals',
  check(template) {
    const violations: StackViolation[] = [];
    for (const role of template.ofType('AWS::IAM::Role')) {
      const chars = iamPolicyChars(role.properties.AssumeRolePolicyDocument ?? null, template);
      const severity = quotaSeverity(chars, MAX_TRUST_POLICY_CHARS);
      if (severity) {
        violations.push({
          logicalId: role.logicalId,
          severity,
          message: `trust policy of ${role.path} has up to ${formatCount(chars)} characters (limit ${formatCount(MAX_TRUST_POLICY_CHARS)})`,
        });
      }
    }
    return violations;
  },
};
