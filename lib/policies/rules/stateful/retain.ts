import type { ResourceRule, Violation } from '../../model';

/** Types that hold data or the means to read it; replacing or deleting one loses it. */
export const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Glue::Database',
  'AWS::DynamoDB::Table',
] as const;

/** MESH-STATE-001: DeletionPolicy and UpdateReplacePolicy Retain on stateful resources. */
export const retainStateful: ResourceRule = {
  kind: 'resource',
  id: 'MESH-STATE-001',
  severity: 'error',
  exceptable: false,
  title: 'Stateful resources are retained on delete and replace',
  explanation:
    'Nothing a user does may lose data: removing a product from a stack, renaming a construct or a replacing update must leave buckets, keys and databases in place. Both DeletionPolicy and UpdateReplacePolicy must be Retain.',
  fix: 'set removalPolicy: RemovalPolicy.RETAIN (or applyRemovalPolicy(RemovalPolicy.RETAIN) on L1 resources)',
  resourceTypes: STATEFUL_TYPES,
  check(resource) {
    const violations: Violation[] = [];
    if (resource.deletionPolicy !== 'Retain') {
      violations.push({
        finding: 'DeletionPolicy',
        message: `DeletionPolicy is ${resource.deletionPolicy ?? 'Delete (default)'}`,
      });
    }
    if (resource.updateReplacePolicy !== 'Retain') {
      violations.push({
        finding: 'UpdateReplacePolicy',
        message: `UpdateReplacePolicy is ${resource.updateReplacePolicy ?? 'Delete (default)'}`,
      });
    }
    return violations;
  },
};
