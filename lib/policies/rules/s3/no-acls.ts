import type { ResourceRule, Violation } from '../../model';
import { asList, get } from '../../template/resolved-resource';

/** MESH-S3-007: ACLs disabled (bucket owner enforced), no canned ACL. */
export const noAcls: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-007',
  severity: 'error',
  exceptable: false,
  title: 'Buckets disable ACLs',
  explanation:
    'Access is decided by IAM and bucket policies only. ObjectOwnership BucketOwnerEnforced turns ACLs off, so an object written with an ACL cannot grant access around the policies; a canned ACL other than private is an opening.',
  fix: 'set objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED and remove accessControl',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket) {
    const violations: Violation[] = [];
    const acl = bucket.properties.AccessControl;
    if (acl !== undefined && acl !== 'Private') {
      violations.push({ finding: `AccessControl::${String(acl)}`, message: `sets the canned ACL ${String(acl)}` });
    }
    const ownership = asList(get(bucket.properties, 'OwnershipControls', 'Rules')).map((r) =>
      get(r, 'ObjectOwnership'),
    );
    if (!ownership.includes('BucketOwnerEnforced')) {
      violations.push({
        finding: 'ObjectOwnership',
        message: `object ownership is ${ownership.length > 0 ? ownership.join(', ') : 'not set'}, so ACLs stay enabled`,
      });
    }
    return violations;
  },
};
