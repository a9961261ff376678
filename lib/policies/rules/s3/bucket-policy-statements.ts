import type { ResourceRule } from '../../model';
import { openEndedAllows } from '../open-ended-allows';

/** MESH-S3-009: Allow statements name their principals and actions. */
export const bucketPolicyStatements: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-009',
  severity: 'error',
  exceptable: false,
  title: 'Bucket policy Allow statements name principals and actions',
  explanation:
    'NotPrincipal and NotAction in an Allow grant everything except a list, which grows silently as AWS adds principals and actions; Principal "*" narrowed only by a condition depends on that condition being right. Deny statements may use them (they fence, not grant).',
  fix: 'list the allowed principals and actions explicitly',
  resourceTypes: ['AWS::S3::BucketPolicy'],
  check(policy) {
    return openEndedAllows(policy.properties.PolicyDocument);
  },
};
