import type { ResourceRule, Violation } from '../../model';
import { cannotVerify, expectedNames, worstCaseLength } from '../expectations';

const S3_NAME = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/** MESH-S3-010: explicit bucket names under the domain's prefix, within S3's rules. */
export const bucketName: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-010',
  severity: 'error',
  title: "Buckets have explicit names under the domain's prefix",
  explanation:
    "Other domains address a bucket by its derived name, never by a cross-stack reference, so the name must be explicit and start with <prefix>-<domain>-. S3 allows 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit; the length is checked with the longest account and region.",
  fix: 'set bucketName from the naming helpers (lib/mesh/naming.ts)',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket, context) {
    const value = bucket.properties.BucketName;
    if (value === undefined) return [{ message: 'has no explicit BucketName (CloudFormation would generate one)' }];
    const name = context.template.render(value);
    if (name === undefined) return [cannotVerify('BucketName', value, context.template)];
    const violations: Violation[] = [];
    const prefix = expectedNames(context).kebabPrefix;
    if (!name.startsWith(prefix)) {
      violations.push({ finding: 'Prefix', message: `name ${name} does not start with ${prefix}` });
    }
    const length = worstCaseLength(name);
    if (length < 3 || length > 63) {
      violations.push({
        finding: 'Length',
        message: `name ${name} can reach ${length} characters (S3 allows 3 to 63)`,
      });
    }
    const sample = name.replace(/\{[a-zA-Z]+\}/g, '0');
    if (!S3_NAME.test(sample) || sample.includes('..')) {
      violations.push({
        finding: 'Characters',
        message: `name ${name} uses characters S3 does not allow (lowercase letters, digits, '.', '-')`,
      });
    }
    return violations;
  },
};
