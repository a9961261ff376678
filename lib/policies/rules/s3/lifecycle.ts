import type { ResourceRule, Violation } from '../../model';
import { asList, get } from '../../template/resolved-resource';

/** MESH-S3-005: lifecycle rules that stop paying for abandoned uploads and old versions. */
export const lifecycleRules: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-005',
  severity: 'error',
  title: 'Buckets expire incomplete uploads and noncurrent versions',
  explanation:
    'Incomplete multipart uploads and noncurrent versions are invisible in listings but billed forever. An enabled lifecycle rule must abort incomplete uploads, and on a versioned bucket one must expire noncurrent versions.',
  fix: 'add lifecycleRules with abortIncompleteMultipartUploadAfter and noncurrentVersionExpiration',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket) {
    const rules = asList(get(bucket.properties, 'LifecycleConfiguration', 'Rules')).filter(
      (rule) => get(rule, 'Status') === 'Enabled',
    );
    const violations: Violation[] = [];
    if (!rules.some((rule) => get(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation') !== undefined)) {
      violations.push({
        finding: 'AbortIncompleteMultipartUpload',
        message: 'no enabled lifecycle rule aborts incomplete multipart uploads',
        fix: 'add a lifecycle rule with abortIncompleteMultipartUploadAfter: Duration.days(7)',
      });
    }
    const versioned = get(bucket.properties, 'VersioningConfiguration', 'Status') === 'Enabled';
    const expiresNoncurrent = rules.some(
      (rule) =>
        get(rule, 'NoncurrentVersionExpiration', 'NoncurrentDays') !== undefined ||
        get(rule, 'NoncurrentVersionExpirationInDays') !== undefined,
    );
    if (versioned && !expiresNoncurrent) {
      violations.push({
        finding: 'NoncurrentVersionExpiration',
        message: 'is versioned but no enabled lifecycle rule expires noncurrent versions',
        fix: 'add a lifecycle rule with noncurrentVersionExpiration: Duration.days(90)',
      });
    }
    return violations;
  },
};
