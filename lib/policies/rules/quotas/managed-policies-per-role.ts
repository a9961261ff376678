import type { StackRule, StackViolation } from '../../model';
import { quotaSeverity } from './quota-check';
import { managedPolicyCount } from './role-policies';

/** IAM's default quota of managed policies per role (20 on request). */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

/** MESH-QUOTA-005: managed policies per role. */
export const managedPoliciesPerRole: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-005',
  severity: 'error',
  title: 'A role has at most 10 managed policies',
  explanation:
    'IAM attaches at most 10 managed policies to a role by default (20 after a quota increase). The count includes ManagedPolicyArns and every managed policy of the template that names the role.',
  fix: 'merge grants into fewer managed policies, or raise the account quota and record it with an exception',
  check(template) {
    const violations: StackViolation[] = [];
    for (const role of template.ofType('AWS::IAM::Role')) {
      const count = managedPolicyCount(role, template);
      const severity = quotaSeverity(count, MAX_MANAGED_POLICIES_PER_ROLE);
      if (severity) {
        violations.push({
          logicalId: role.logicalId,
          severity,
          message: `${role.path} has ${count} managed policies (limit ${MAX_MANAGED_POLICIES_PER_ROLE})`,
        });
      }
    }
    return violations;
  },
};
