import type { ResourceRule } from '../../model';
import { get } from '../../template/resolved-resource';
import { cannotVerify, expectedNames } from '../expectations';

/** MESH-S3-006: server access logs go to the domain's access-log bucket. */
export const accessLogging: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-006',
  severity: 'error',
  title: "Buckets log access to the domain's access-log bucket",
  explanation:
    "Server access logs answer who read which object, which IAM alone cannot. Every bucket delivers them to the domain's access-log bucket; that bucket itself (the target of other buckets' logs) is exempt, as logging into itself would loop.",
  fix: "set serverAccessLogsBucket: the domain's access-log bucket (domain.logsBucket) with a serverAccessLogsPrefix",
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket, context) {
    const { template } = context;
    if (template.isAccessLogTarget(bucket.logicalId)) return [];
    const destination = get(bucket.properties, 'LoggingConfiguration', 'DestinationBucketName');
    if (destination === undefined) return [{ message: 'has no server access logging' }];
    const referenced = template.referencedId(destination);
    const name = referenced ? template.bucketName(referenced) : template.render(destination);
    if (name === undefined) return [cannotVerify('LoggingConfiguration.DestinationBucketName', destination, template)];
    const expected = expectedNames(context).logsBucket;
    return name === expected
      ? []
      : [{ message: `delivers access logs to ${name}, not the domain's access-log bucket ${expected}` }];
  },
};
