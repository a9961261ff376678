import type { StackRule, StackViolation } from '../../model';
import { resourcePolicyBytes } from '../../template/deployed-size';
import { formatCount, quotaSeverity } from './quota-check';

/** S3's limit on a bucket policy. */
export const MAX_BUCKET_POLICY_BYTES = 20_480;

/** MESH-QUOTA-006: bucket policy size. */
export const bucketPolicySize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-006',
  severity: 'error',
  title: 'A bucket policy stays under 20 KB',
  explanation:
    "S3 rejects bucket policies over 20 KB. Data platforms that grant each consumer in the bucket policy reach it after some dozens of shares; grants belong in the consumers' identity policies, the bucket policy only fences.",
  fix: 'grant in identity policies (managed policies of the consumer) and keep the bucket policy to fences',
  check(template) {
    const violations: StackViolation[] = [];
    for (const policy of template.ofType('AWS::S3::BucketPolicy')) {
      const bytes = resourcePolicyBytes(policy.properties.PolicyDocument ?? null, template);
      const severity = quotaSeverity(bytes, MAX_BUCKET_POLICY_BYTES);
      if (severity) {
        violations.push({
          logicalId: policy.logicalId,
          severity,
          message: `bucket policy ${policy.path} has up to ${formatCount(bytes)} bytes (limit ${formatCount(MAX_BUCKET_POLICY_BYTES)})`,
        });
      }
    }
    return violations;
  },
};
