import type { ResourceRule, Violation } from '../../model';
import { asList } from '../../template/resolved-resource';
import { cannotVerify } from '../expectations';

/** AWS managed policies that grant administrator or whole-service access. */
const ADMIN_POLICY =
  /:iam::aws:policy\/(?:.*\/)?(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess)$/;

/** MESH-IAM-006: no AWS managed admin or full-access policies. */
export const noManagedAdminPolicies: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-006',
  severity: 'error',
  exceptable: false,
  title: 'No AWS managed administrator or full-access policies',
  explanation:
    'AdministratorAccess, PowerUserAccess, IAMFullAccess and the *FullAccess policies grant far more than a data product needs and change when AWS updates them. Customer managed policies built from the definitions are fine.',
  fix: 'remove the managed policy; grant what the role needs with the domain and product grants',
  resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  check(principal, { template }) {
    const violations: Violation[] = [];
    for (const arn of asList(principal.properties.ManagedPolicyArns)) {
      const referenced = template.referencedId(arn);
      if (referenced && template.resources.get(referenced)?.type === 'AWS::IAM::ManagedPolicy') continue;
      const text = template.render(arn);
      if (text === undefined) {
        violations.push(cannotVerify('a managed policy ARN', arn, template));
        continue;
      }
      const match = ADMIN_POLICY.exec(text);
      if (match)
        violations.push({ finding: `Policy::${match[1]}`, message: `attaches the AWS managed policy ${match[1]}` });
    }
    return violations;
  },
};
