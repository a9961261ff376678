/**
 * Domain-side enforcement: the policies of a domain's data, Athena results and access-log buckets and of its
 * key deny what its contracts do not allow, so a consumer that edits its own stack cannot grant itself
 * another domain's data, query results or logs. The fences only deny; the grants live in identity policies
 * (input-grants.ts, the domain's own grants in constructs/data-domain.ts), and an access needs both. Readers
 * in other accounts also need the resource side to allow: one Allow per policy opens the data bucket and key
 * to the readers' accounts (cross-account.ts), and the fences keep deciding who reads what.
 *
 * Sized for scale: mesh-visible products cost nothing beyond one constant statement naming the mesh's role
 * pattern; products shared with the same consumer domains share one statement; private products are one
 * statement (see bucketFenceStatements for its two forms).
 */
import type { Mesh, MeshDomain } from '../mesh/model';
import { arns, domainNames, renderName } from '../mesh/naming';
import { fenceBucket, type PrivateFence, principalNotIn } from './bucket-fence';
import { bucketCrossAccountStatements, keyCrossAccountStatements } from './cross-account';
import { domainEnv, PARTITION_PLACEHOLDER, URL_SUFFIX_PLACEHOLDER } from './env';
import type { PolicyStatementJson } from './policy-json';
import {
  domainPrincipals,
  domainRoleArns,
  domainRolesPattern,
  executionRolePattern,
  meshRolePatterns,
  type ReaderScope,
  readerScope,
  roleArn,
} from './principals';

const ANYONE = { AWS: '*' };

/** Products of the domain grouped by who may read them beyond the domain; private products are left out. */
export interface SharedGroup {
  readonly scope: Exclude<ReaderScope, { kind: 'domain' }>;
  /** Product names, sorted. */
  readonly products: readonly string[];
}

export function sharedGroups(domain: MeshDomain): SharedGroup[] {
  const groups = new Map<string, { scope: SharedGroup['scope']; products: string[] }>();
  for (const product of domain.products) {
    const scope = readerScope(product);
    if (scope.kind === 'domain') continue;
    const key = scope.kind === 'mesh' ? 'mesh' : `consumers:${scope.domains.join(',')}`;
    const group = groups.get(key) ?? { scope, products: [] };
    group.products.push(product.name);
    groups.set(key, group);
  }
  // Mesh first, then consumer groups in a stable order, so statement order only changes when groups do.
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'mesh' ? -1 : b === 'mesh' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => group);
}

/**
 * Principals (ARNs or patterns) that may read a group's products: the owner's, plus each contract domain's roles
 * and execution roles, as two patterns. Taken from the contract alone, never from the consumers' files: a
 * consumer adding a build needs no producer redeploy, and `-c domain=<producer>` synthesizes the fence a full
 * synth does. A consumer's execution roles still read only what their own policies grant, their declared inputs.
 */
function groupReaders(mesh: Mesh, domain: MeshDomain, group: SharedGroup): string[] {
  const { scope } = group;
  const own = domainPrincipals(mesh, domain.name);
  if (scope.kind === 'mesh') return [...own, ...meshRolePatterns(mesh.config)];
  return [...own, ...scope.domains.flatMap((d) => [domainRolesPattern(mesh, d), executionRolePattern(mesh, d)])];
}

export type { PrivateFence } from './bucket-fence';

/**
 * Data bucket policy statements of a producer domain (see fenceBucket for each statement): only the domain's
 * producer role and its execution roles (products, staging, quality results) write; the domain's roles and
 * execution roles are its owners; the mesh's roles are the outer fence of anything shared, other domains list only
 * inside a product version prefix, each group of products shared with the same consumer domains is read by
 * those domains' roles and the owner's, and private products by the owner's roles only.
 */
export function bucketFenceStatements(
  mesh: Mesh,
  domain: MeshDomain,
  privateFence: PrivateFence = 'all-but-shared',
): PolicyStatementJson[] {
  const own = domainPrincipals(mesh, domain.name);
  const groups = sharedGroups(domain);
  const productPrefix = (product: string) => `products/${product}/`;
  const shared = groups.flatMap((g) => g.products).sort();
  const bucketArn = domainBucketArn(mesh, domain, 'dataBucket');
  const fences = fenceBucket({
    bucketArn,
    owners: own,
    writers: {
      roles: [roleArn(mesh, domain.name, 'producer'), executionRolePattern(mesh, domain.name)],
      name: 'Producer',
    },
    shared:
      shared.length === 0
        ? undefined
        : {
            outer: [...own, ...meshRolePatterns(mesh.config)],
            listable: 'products/*/v*/*',
            // Mesh-visible products need nothing beyond the outer fence.
            restricted: groups.flatMap((g) =>
              g.scope.kind === 'consumers'
                ? [{ prefixes: g.products.map(productPrefix), readers: groupReaders(mesh, domain, g) }]
                : [],
            ),
            sharedPrefixes: shared.map(productPrefix),
            privatePrefixes: domain.products
              .map((p) => p.name)
              .filter((name) => !shared.includes(name))
              .map(productPrefix),
            privateFence,
          },
  });
  return [...fences, ...bucketCrossAccountStatements(mesh, domain, groups, bucketArn)];
}

/**
 * Athena results bucket policy statements: query results hold whatever the queries read (PII included), so
 * only the domain's own roles and execution roles read or write them. Athena writes results as the calling
 * role, so there is no service to let in.
 */
export function resultsBucketFenceStatements(mesh: Mesh, domain: MeshDomain): PolicyStatementJson[] {
  const own = domainPrincipals(mesh, domain.name);
  return fenceBucket({
    bucketArn: domainBucketArn(mesh, domain, 'resultsBucket'),
    owners: own,
    writers: { roles: own, name: 'Domain' },
  });
}

/**
 * Access-log bucket policy statements: the domain's roles read the logs; nobody but S3 server access logging
 * writes, and only for the domain's own data and results buckets in the domain's account, so logs cannot be
 * overwritten, deleted or forged.
 */
export function logsBucketFenceStatements(mesh: Mesh, domain: MeshDomain): PolicyStatementJson[] {
  return fenceBucket({
    bucketArn: domainBucketArn(mesh, domain, 'logsBucket'),
    owners: domainRoleArns(mesh, domain.name),
    writers: {
      service: S3_LOG_DELIVERY,
      sourceArns: [domainBucketArn(mesh, domain, 'dataBucket'), domainBucketArn(mesh, domain, 'resultsBucket')],
      sourceAccount: domainEnv(domain).account,
    },
  });
}

/** Service principal S3 server access logs are delivered by. */
export const S3_LOG_DELIVERY = 'logging.s3.amazonaws.com';

/** ARN of one of the domain's buckets, with placeholders for what only its stack knows. */
export function domainBucketArn(
  mesh: Mesh,
  domain: MeshDomain,
  bucket: 'dataBucket' | 'resultsBucket' | 'logsBucket',
): string {
  return arns.bucket(
    PARTITION_PLACEHOLDER,
    renderName(domainNames(mesh.config, domain.name)[bucket], domainEnv(domain)),
  );
}

/**
 * Key policy statements of a domain. S3 encrypts with a bucket key, so the key cannot tell one product from
 * another: decryption is fenced to the union of every shared product's readers (the bucket policy narrows it
 * per product), and encryption to the domain's own roles and execution roles (writes, Athena results). Other domains decrypt only
 * what S3 reads from the data bucket — its ARN is the encryption context S3 sends — so Athena results (same
 * key, other bucket) and anything else under the key stay with the domain.
 * Key administration is never denied, so the account can always repair the policy.
 */
export function keyFenceStatements(mesh: Mesh, domain: MeshDomain): PolicyStatementJson[] {
  const own = domainPrincipals(mesh, domain.name);
  const dataBucket = domainBucketArn(mesh, domain, 'dataBucket');
  const groups = sharedGroups(domain);
  const readers = groups.some((g) => g.scope.kind === 'mesh')
    ? [...own, ...meshRolePatterns(mesh.config)]
    : [...new Set(groups.flatMap((g) => groupReaders(mesh, domain, g)))];
  return [
    {
      Sid: 'DenyDecryptOutsideReaders',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': readers.length > 0 ? readers : own } },
    },
    {
      Sid: 'DenyEncryptOutsideDomain',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncryptTo'],
      Resource: '*',
      Condition: principalNotIn(own),
    },
    {
      Sid: 'DenyDecryptOutsideDataBucket',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: {
        ...principalNotIn(own),
        // The bucket's ARN with a bucket key, the object's without; a missing context is denied too.
        StringNotLike: { [S3_ENCRYPTION_CONTEXT]: [dataBucket, `${dataBucket}/*`] },
      },
    },
    ...keyCrossAccountStatements(
      mesh,
      domain,
      groups,
      dataBucket,
      `s3.${domainEnv(domain).region}.${URL_SUFFIX_PLACEHOLDER}`,
    ),
  ];
}

/** Condition key of the encryption context S3 sends KMS: the bucket (or object) the data belongs to. */
export const S3_ENCRYPTION_CONTEXT = 'kms:EncryptionContext:aws:s3:arn';
