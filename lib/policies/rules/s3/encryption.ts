import type { ResourceRule, Violation } from '../../model';
import { asList, get } from '../../template/resolved-resource';
import { cannotVerify, isDomainKey } from '../expectations';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

/** MESH-S3-002: SSE-KMS with the domain key; the access-log bucket is the one SSE-S3 case. */
export const bucketEncryption: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-002',
  severity: 'error',
  exceptable: false,
  title: "Buckets are encrypted with the domain's KMS key",
  explanation:
    "Default encryption must be SSE-KMS with the domain's customer managed key, so access to data also needs access to the key and every decrypt is logged. The one exception is the access-log bucket (a bucket other buckets deliver server access logs to): S3 cannot deliver access logs to an SSE-KMS bucket, so it must use SSE-S3 (AES256).",
  fix: 'set encryption: s3.BucketEncryption.KMS with encryptionKey: the domain key (domain.key)',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket, context): Violation[] {
    const { template } = context;
    const defaults = asList(get(bucket.properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration')).map(
      (rule) => get(rule, 'ServerSideEncryptionByDefault'),
    );
    const logTarget = template.isAccessLogTarget(bucket.logicalId);
    if (defaults.length === 0) {
      return [
        {
          finding: 'SSEAlgorithm',
          message: 'has no default encryption configuration',
          fix: logTarget ? 'set encryption: s3.BucketEncryption.S3_MANAGED (access-log bucket)' : undefined,
        },
      ];
    }
    const violations: Violation[] = [];
    for (const rule of defaults) {
      const algorithm = template.render(get(rule, 'SSEAlgorithm'));
      if (algorithm === undefined) {
        violations.push(cannotVerify('SSEAlgorithm', get(rule, 'SSEAlgorithm'), template, 'SSEAlgorithm'));
        continue;
      }
      if (logTarget) {
        if (algorithm !== 'AES256') {
          violations.push({
            finding: 'SSEAlgorithm',
            message: `receives server access logs but is encrypted with ${algorithm}; S3 delivers access logs only to SSE-S3 buckets`,
            fix: 'set encryption: s3.BucketEncryption.S3_MANAGED on the access-log bucket',
          });
        }
        continue;
      }
      if (!KMS_ALGORITHMS.has(algorithm)) {
        violations.push({ finding: 'SSEAlgorithm', message: `is encrypted with ${algorithm}, not SSE-KMS` });
        continue;
      }
      const keyValue = get(rule, 'KMSMasterKeyID');
      if (keyValue === undefined) {
        violations.push({
          finding: 'KMSMasterKeyID',
          message: 'uses the AWS managed key aws/s3, not the domain key',
        });
        continue;
      }
      const key = template.render(keyValue);
      if (key === undefined) violations.push(cannotVerify('KMSMasterKeyID', keyValue, template, 'KMSMasterKeyID'));
      else if (!isDomainKey(key, context)) {
        violations.push({
          finding: 'KMSMasterKeyID',
          message: `is encrypted with ${template.describe(keyValue)}, not the domain key (${context.names.keyAlias})`,
        });
      }
    }
    return violations;
  },
};
