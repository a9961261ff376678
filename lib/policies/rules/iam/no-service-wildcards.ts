import type { ResourceRule, Violation } from '../../model';
import { IDENTITY_POLICY_TYPES, literalActions } from '../../template/policy-document';
import { allowStatements, distinctByFinding } from './statement-findings';

const SERVICE_WILDCARD = /^([a-z0-9-]+:)?\*$/;

/** MESH-IAM-002: no `service:*` or `*` actions. */
export const noServiceWildcards: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-002',
  severity: 'error',
  exceptable: false,
  title: 'No policy allows every action of a service',
  explanation:
    'A service wildcard such as s3:* includes deleting buckets and rewriting their policies, and grows as AWS adds actions. Name the actions; prefixes such as s3:Get* are fine.',
  fix: 'replace the wildcard with the actions the role performs',
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(resource) {
    const violations: Violation[] = [];
    for (const { statement, label } of allowStatements(resource)) {
      for (const action of literalActions(statement)) {
        if (!SERVICE_WILDCARD.test(action)) continue;
        violations.push({ finding: `Action::${action}`, message: `statement ${label} allows ${action}` });
      }
    }
    return distinctByFinding(violations);
  },
};
