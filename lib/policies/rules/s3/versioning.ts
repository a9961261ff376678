import type { ResourceRule } from '../../model';
import { get } from '../../template/resolved-resource';

/** MESH-S3-004: versioning on. */
export const versioning: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-004',
  severity: 'error',
  exceptable: false,
  title: 'Buckets keep object versions',
  explanation:
    'An overwrite or delete by a faulty pipeline must be recoverable: versioning keeps the previous object, and a lifecycle rule (MESH-S3-005) expires it after a while.',
  fix: 'set versioned: true on the bucket',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket) {
    const status = get(bucket.properties, 'VersioningConfiguration', 'Status');
    return status === 'Enabled'
      ? []
      : [{ message: `versioning is ${typeof status === 'string' ? status.toLowerCase() : 'not enabled'}` }];
  },
};
