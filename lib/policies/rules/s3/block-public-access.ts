import type { ResourceRule, Violation } from '../../model';
import { get, isObject } from '../../template/resolved-resource';
import { cannotVerify } from '../expectations';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/** MESH-S3-001: all four block-public-access flags. */
export const blockPublicAccess: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-001',
  severity: 'error',
  exceptable: false,
  title: 'Buckets block all public access',
  explanation:
    'Data products are shared through IAM grants between domains, never publicly. All four flags of PublicAccessBlockConfiguration must be true, so neither an ACL nor a bucket policy can open the bucket.',
  fix: 'set blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL on the bucket',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket, { template }) {
    const config = bucket.properties.PublicAccessBlockConfiguration;
    return FLAGS.flatMap((flag): Violation[] => {
      const value = get(config, flag);
      if (value === true || value === 'true') return [];
      if (isObject(value)) return [cannotVerify(`PublicAccessBlockConfiguration.${flag}`, value, template, flag)];
      return [{ finding: flag, message: `${flag} is ${value === undefined ? 'not set' : String(value)}` }];
    });
  },
};
