import type { ResourceRule } from '../../model';
import { actionCovers, IDENTITY_POLICY_TYPES, literalActions } from '../../template/policy-document';
import { allowStatements } from './statement-findings';

/** MESH-IAM-004: no iam:PassRole on `*`. */
export const noPassRoleOnAnyRole: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-004',
  severity: 'error',
  exceptable: false,
  title: 'iam:PassRole names the roles it passes',
  explanation:
    'iam:PassRole on "*" lets a principal hand any role, including an administrator role, to a service it controls: a privilege escalation. Name the role ARNs (and add an iam:PassedToService condition).',
  fix: 'limit iam:PassRole to the ARNs of the roles the service needs',
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(resource) {
    return allowStatements(resource)
      .filter(
        ({ statement }) =>
          !statement.notResource &&
          statement.resources.includes('*') &&
          (statement.notAction || literalActions(statement).some((a) => actionCovers(a, 'iam:passrole'))),
      )
      .map(({ label }) => ({
        finding: `Statement::${label}`,
        message: `statement ${label} allows iam:PassRole on every role`,
      }));
  },
};
