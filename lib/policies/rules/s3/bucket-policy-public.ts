import type { ResourceRule } from '../../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../../template/policy-document';

/** MESH-S3-008: no unconditional Allow to everyone in a bucket policy. */
export const bucketPolicyNotPublic: ResourceRule = {
  kind: 'resource',
  id: 'MESH-S3-008',
  severity: 'error',
  exceptable: false,
  title: 'Bucket policies grant nothing to everyone',
  explanation:
    'An Allow statement with Principal "*" and no condition makes the bucket public (block public access would reject it at deploy, or worse, a later change would lift it). Grant to role ARNs instead.',
  fix: 'grant to the consuming roles (product.grantRead) instead of Principal "*"',
  resourceTypes: ['AWS::S3::BucketPolicy'],
  check(policy) {
    return statementsOf(policy.properties.PolicyDocument)
      .filter((s) => s.effect === 'Allow' && !s.notPrincipal && isAnyonePrincipal(s.principal) && !s.condition)
      .map((s) => ({
        finding: `Statement::${statementLabel(s)}`,
        message: `statement ${statementLabel(s)} allows everyone (Principal "*") without a condition`,
      }));
  },
};
