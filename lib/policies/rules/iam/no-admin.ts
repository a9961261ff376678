import type { ResourceRule } from '../../model';
import { IDENTITY_POLICY_TYPES, literalActions } from '../../template/policy-document';
import { allowStatements } from './statement-findings';

/** MESH-IAM-001: no `*` action (or NotAction) on `*`. */
export const noAdminStatements: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-001',
  severity: 'error',
  exceptable: false,
  title: 'No policy allows every action on every resource',
  explanation:
    'Action "*" (or an Allow with NotAction) on Resource "*" is administrator access. No producer, consumer or pipeline of a data product needs it, and it would void every other rule.',
  fix: 'grant the actions the role needs on the resources it needs (product.grantRead, the domain grants)',
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(resource) {
    return allowStatements(resource)
      .filter(({ statement }) => {
        const anyResource = !statement.notResource && statement.resources.includes('*');
        const anyAction = statement.notAction || literalActions(statement).some((a) => a === '*' || a === '*:*');
        return anyResource && anyAction;
      })
      .map(({ statement, label }) => ({
        finding: `Statement::${label}`,
        message: `statement ${label} allows ${statement.notAction ? 'everything but a NotAction list' : 'every action'} on every resource`,
      }));
  },
};
