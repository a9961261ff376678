import type { ResourceRule } from '../../model';
import { isAnyonePrincipal, literalActions, statementsOf } from '../../template/policy-document';
import { get, isObject, type Json } from '../../template/resolved-resource';

function deniesInsecureTransport(condition: Json | undefined): boolean {
  const value = get(condition, 'Bool', 'aws:SecureTransport');
  return value === 'false' || value === false;
}

/** MESH-S3-003: a bucket policy denies every request without TLS. */
export const tlsOnly: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-003',
  severity: 'error',
  exceptable: false,
  title: 'Buckets deny requests without TLS',
  explanation:
    'Data must not travel in clear text. The bucket policy must deny s3:* to every principal when aws:SecureTransport is false, on the bucket and on its objects.',
  fix: 'set enforceSSL: true on the bucket',
  resourceTypes: ['AWS::S3::Bucket'],
  check(bucket, { template }) {
    const bucketArn = template.describe({ 'Fn::GetAtt': [bucket.logicalId, 'Arn'] });
    for (const policy of template.policiesOf(bucket.logicalId)) {
      for (const statement of statementsOf(policy.properties.PolicyDocument)) {
        if (statement.effect !== 'Deny' || statement.notAction || statement.notResource) continue;
        if (!isAnyonePrincipal(statement.principal) || statement.notPrincipal) continue;
        if (!deniesInsecureTransport(statement.condition)) continue;
        if (!literalActions(statement).some((a) => a === 's3:*' || a === '*')) continue;
        const resources = new Set(statement.resources.map((r) => template.describe(r)));
        const everything = resources.has('*');
        if ((everything || resources.has(bucketArn)) && (everything || resources.has(`${bucketArn}/*`))) return [];
      }
    }
    const hasPolicy = template.policiesOf(bucket.logicalId).length > 0 || isObject(bucket.properties.PolicyDocument);
    return [
      {
        finding: 'aws:SecureTransport',
        message: hasPolicy
          ? 'its bucket policy does not deny s3:* on the bucket and its objects when aws:SecureTransport is false'
          : 'has no bucket policy denying requests without TLS (aws:SecureTransport = false)',
      },
    ];
  },
};
