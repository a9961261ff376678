/**
 * The attack the fences exist for: every role of the mesh grants itself `s3:*` and `kms:*` on `*` in its own
 * stack. Then only the owning domain's bucket and key policies stand between a role and another domain's
 * data, query results and logs, and what gets through must be exactly what the contracts allow — never what
 * an identity policy adds. The Glue catalog has no per-stack resource policy to fence it, so table reads are
 * left out.
 */
import { findDomain, findProduct, type Mesh } from '../../mesh/model';
import type { PolicyDocumentJson } from '../policy-json';
import { readerScope } from '../principals';
import { type SharedGroup, sharedGroups } from '../producer-fences';
import type { AccessCheck } from './checks';
import type { AccessPolicies } from './templates';

/** What the attacker roles grant themselves. */
export const SELF_GRANT: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }],
};

/** The same deployed policies, with every role granting itself SELF_GRANT in an extra inline policy. */
export function withSelfGrantedAccess(policies: AccessPolicies): AccessPolicies {
  return {
    ...policies,
    roles: new Map(
      [...policies.roles].map(([arn, role]) => [
        arn,
        { ...role, inline: [...role.inline, { name: 'GrantedItself', document: SELF_GRANT }] },
      ]),
    ),
  };
}

/**
 * What the fences of the owning domain let a role do whatever its identity policies say; for the S3 log
 * delivery service, what the definitions expect (it grants itself nothing). Undefined for table reads,
 * which no fence covers.
 */
export function fenceAllows(mesh: Mesh, check: AccessCheck): boolean | undefined {
  const { role } = check;
  if (role.kind === 'service') return check.expected;
  const own = role.domain === check.owner;
  const execution = role.kind === 'execution';
  const owner = findDomain(mesh, check.owner);
  // A group lets in its consumer domains' roles and execution roles, from the contract alone.
  const groupAdmits = (g: SharedGroup) => g.scope.kind === 'mesh' || g.scope.domains.includes(role.domain);
  switch (check.kind) {
    case 'read-table':
      return undefined;
    case 'write-object':
      return own && (role.kind === 'producer' || execution);
    case 'read-object':
    case 'list-prefix': {
      if (own) return true;
      const name = check.target.split('/')[1].split('@')[0];
      const product = findProduct(mesh, check.owner, name);
      if (!product || readerScope(product).kind === 'domain' || !owner) return false;
      return sharedGroups(owner).some((g) => g.products.includes(name) && groupAdmits(g));
    }
    case 'decrypt-key':
      return own || (owner ? sharedGroups(owner) : []).some(groupAdmits);
    case 'read-results':
    case 'write-results':
    case 'delete-results':
    case 'decrypt-results':
    case 'encrypt-results':
      return own;
    case 'read-logs':
      // The log bucket's readers are the domain's two roles; execution roles are not among them.
      return own && !execution;
    case 'write-logs':
    case 'delete-logs':
    case 'deliver-logs':
      return false;
    // Staging and quality results are outside every shared prefix: the owning domain's alone.
    case 'read-staging':
    case 'write-staging':
    case 'read-quality':
    case 'write-quality':
      return own;
  }
}

/** The matrix re-expected for the attack: each check's expectation is what the fences allow; table reads dropped. */
export function selfGrantedChecks(mesh: Mesh, checks: readonly AccessCheck[]): AccessCheck[] {
  return checks.flatMap((check) => {
    const expected = fenceAllows(mesh, check);
    return expected === undefined ? [] : [{ ...check, expected }];
  });
}
