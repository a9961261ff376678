import type { StackRule, StackViolation } from '../../model';
import { iamPolicyChars } from '../../template/deployed-size';
import { formatCount, quotaSeverity } from './quota-check';
import { inlineDocumentsOf } from './role-policies';

/** IAM's limit on the inline policies of one role, whitespace not counted. */
export const MAX_ROLE_INLINE_CHARS = 10_240;

/** MESH-QUOTA-003: total inline policy size per role. */
export const roleInlinePolicySize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-003',
  severity: 'error',
  title: "A role's inline policies total at most 10,240 characters",
  explanation:
    'IAM rejects a role whose inline policies add up to more than 10,240 characters (whitespace not counted), at deploy time. Deploy-time values are counted at their longest (GovCloud partition, 16-character region). Data platforms hit this after some dozens of grants; grants belong in managed policies.',
  fix: 'move grants into customer managed policies (as the input grants are), or grant by prefix',
  check(template) {
    const violations: StackViolation[] = [];
    for (const role of template.ofType('AWS::IAM::Role')) {
      const chars = inlineDocumentsOf(role, template).reduce((sum, p) => sum + iamPolicyChars(p.document, template), 0);
      const severity = quotaSeverity(chars, MAX_ROLE_INLINE_CHARS);
      if (severity) {
        violations.push({
          logicalId: role.logicalId,
          severity,
          message: `inline policies of ${role.path} total up to ${formatCount(chars)} characters (limit ${formatCount(MAX_ROLE_INLINE_CHARS)})`,
        });
      }
    }
    return violations;
  },
};
