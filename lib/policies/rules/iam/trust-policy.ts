import type { ResourceRule, Violation } from '../../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../../template/policy-document';

/** MESH-IAM-005: no `*` principal (or NotPrincipal) in trust policies. */
export const trustPolicyNamesPrincipals: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-005',
  severity: 'error',
  exceptable: false,
  title: 'Role trust policies name who may assume the role',
  explanation:
    'A trust policy with Principal "*" (or an Allow with NotPrincipal) lets any AWS account assume the role and read what it reads; conditions such as an external ID do not make a data role public-safe.',
  fix: 'trust the account (new iam.AccountRootPrincipal()) or named roles or services',
  resourceTypes: ['AWS::IAM::Role'],
  check(role) {
    const violations: Violation[] = [];
    for (const s of statementsOf(role.properties.AssumeRolePolicyDocument)) {
      if (s.effect !== 'Allow') continue;
      const label = statementLabel(s);
      if (s.notPrincipal)
        violations.push({ finding: `NotPrincipal::${label}`, message: `trust statement ${label} uses NotPrincipal` });
      else if (isAnyonePrincipal(s.principal)) {
        violations.push({
          finding: `Principal::*::${label}`,
          message: `trust statement ${label} lets everyone (Principal "*") assume the role`,
        });
      }
    }
    return violations;
  },
};
