import type { StackRule, StackViolation } from '../../model';
import { iamPolicyChars } from '../../template/deployed-size';
import { formatCount } from './quota-check';

/** IAM's limit on one managed policy, whitespace not counted. */
export const MAX_MANAGED_POLICY_CHARS = 6_144;

/** MESH-QUOTA-004: managed policy size. */
export const managedPolicySize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-004',
  severity: 'error',
  title: 'A managed policy has at most 6,144 characters',
  explanation:
    'IAM rejects a customer managed policy over 6,144 characters (whitespace not counted) at deploy time; deploy-time values are counted at their longest. There is no margin warning: the platform packs input grants into managed policies up to the limit on purpose, and the next grant opens a new policy (MESH-QUOTA-005 watches their number).',
  fix: 'split the grants over more managed policies (the input grants are packed this way)',
  check(template) {
    const violations: StackViolation[] = [];
    for (const policy of template.ofType('AWS::IAM::ManagedPolicy')) {
      const chars = iamPolicyChars(policy.properties.PolicyDocument ?? null, template);
      if (chars > MAX_MANAGED_POLICY_CHARS) {
        violations.push({
          logicalId: policy.logicalId,
          message: `managed policy ${policy.path} has up to ${formatCount(chars)} characters (limit ${formatCount(MAX_MANAGED_POLICY_CHARS)})`,
        });
      }
    }
    return violations;
  },
};
