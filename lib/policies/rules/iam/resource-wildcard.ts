import type { ResourceRule, Violation } from '../../model';
import { actionCovers, IDENTITY_POLICY_TYPES, literalActions } from '../../template/policy-document';
import { allowStatements, distinctByFinding } from './statement-findings';

/**
 * Actions that have no resource-level permissions, so `Resource: *` is the only way to grant them. Extend
 * the list when a service needs it (the IAM service authorization reference lists each action's resources).
 */
export const RESOURCE_WILDCARD_ACTIONS: readonly string[] = [
  's3:listallmybuckets',
  's3:getaccountpublicaccessblock',
  'athena:listworkgroups',
  'athena:listdatacatalogs',
  'athena:listengineversions',
  'glue:getdatabases',
  'kms:listkeys',
  'kms:listaliases',
  'kms:createkey',
  'kms:generaterandom',
  'sts:getcalleridentity',
  'cloudwatch:putmetricdata',
  'cloudwatch:getmetricdata',
  'cloudwatch:listmetrics',
  'logs:describeloggroups',
  // Log delivery of Step Functions state machines (vended logs): no resource-level permissions.
  'logs:createlogdelivery',
  'logs:getlogdelivery',
  'logs:updatelogdelivery',
  'logs:deletelogdelivery',
  'logs:listlogdeliveries',
  'logs:putresourcepolicy',
  'logs:describeresourcepolicies',
  'xray:puttracesegments',
  'xray:puttelemetryrecords',
  'lakeformation:getdataaccess',
  'iam:listroles',
  'iam:listpolicies',
  'tag:getresources',
  'ec2:describe*',
];

/** MESH-IAM-003: `Resource: *` only for actions without resource-level permissions. */
export const resourceWildcardOnlyWhereNeeded: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-003',
  severity: 'error',
  exceptable: false,
  title: 'Resource "*" only for actions that cannot name a resource',
  explanation:
    'Least privilege means naming the buckets, prefixes, tables and keys a role works on. Resource "*" is allowed only for actions that have no resource-level permissions (listing buckets, publishing metrics, ...); the platform keeps that list.',
  fix: 'name the resources (ARNs from lib/mesh/naming.ts arns.*) instead of "*"',
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(resource) {
    const violations: Violation[] = [];
    for (const { statement, label } of allowStatements(resource)) {
      if (statement.notResource || !statement.resources.includes('*')) continue;
      const actions = statement.notAction ? ['*'] : literalActions(statement);
      for (const action of actions) {
        if (RESOURCE_WILDCARD_ACTIONS.some((allowed) => actionCovers(allowed, action))) continue;
        violations.push({
          finding: `Action::${action}`,
          message: `statement ${label} allows ${action} on Resource "*"`,
        });
      }
    }
    return distinctByFinding(violations);
  },
};
