/**
 * Producer-side enforcement: the producer's bucket policy and key policy deny what its contracts do not
 * allow, so a consumer that edits its own stack cannot grant itself another domain's data. The fences only
 * deny; the grants live in identity policies (input-grants.ts), and a read needs both.
 *
 * Sized for scale: mesh-visible products cost nothing beyond one constant statement naming the mesh's role
 * pattern; products shared with the same consumer domains share one statement; private products are one
 * statement (see bucketFenceStatements for its two forms).
 */
import type { Mesh, MeshDomain } from '../mesh/model';
import { arns, domainNames, renderName } from '../mesh/naming';
import { domainEnv, PARTITION_PLACEHOLDER } from './env';
import type { PolicyStatementJson } from './policy-json';
import { domainRoleArns, meshRolePatterns, type ReaderScope, readerScope, roleArn } from './principals';

/** Object reads the fences deny (every GetObject variant: versions, ACLs, tags, attributes). */
export const FENCED_READS = ['s3:GetObject*', 's3:ListBucket*'];
/** Object writes only the owning domain's producer role may make. */
export const FENCED_WRITES = ['s3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:AbortMultipartUpload'];

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

/** Principals (ARNs or patterns) that may read a group's products: the owner's roles plus the contract's. */
function groupReaders(mesh: Mesh, domain: MeshDomain, scope: SharedGroup['scope']): string[] {
  const own = domainRoleArns(mesh, domain.name);
  if (scope.kind === 'mesh') return [...own, ...meshRolePatterns(mesh.config)];
  return [...own, ...scope.domains.flatMap((d) => domainRoleArns(mesh, d))];
}

/** How the domain's private products are fenced; see bucketFenceStatements. */
export type PrivateFence = 'all-but-shared' | 'listed';

/**
 * Bucket policy statements of a producer domain, each a Deny to principals outside a reader set:
 * - `DenyWritesOutsideProducer`: only the domain's producer role writes objects;
 * - `DenyReadsOutsideMesh`: nobody but the mesh's roles reads or lists anything (constant size);
 * - `DenyShallowListings`: other domains list only inside a product version prefix, so a listing never
 *   shows the keys of products they cannot read (constant size);
 * - `DenyReadsOutsideConsumers<n>`: each group of products shared with the same consumer domains is read
 *   by those domains' roles and the owner's only;
 * - `DenyReadsOutsideDomain`: private products are read by the owner's roles only. In the `all-but-shared`
 *   form it covers every object except the shared products' — so data of a product deleted from the
 *   definitions stays private — and its size grows with the shared products; the `listed` form names the
 *   private products instead, for domains with so many shared products that the first would not fit.
 * `s3:prefix` conditions use `…IfExists` so one statement covers object reads (no prefix) and listings.
 */
export function bucketFenceStatements(
  mesh: Mesh,
  domain: MeshDomain,
  privateFence: PrivateFence = 'all-but-shared',
): PolicyStatementJson[] {
  const env = domainEnv(domain);
  const bucket = renderName(domainNames(mesh.config, domain.name).dataBucket, env);
  const bucketArn = arns.bucket(PARTITION_PLACEHOLDER, bucket);
  const productObjects = (product: string) => arns.objects(PARTITION_PLACEHOLDER, bucket, `products/${product}/`);
  const productPrefix = (product: string) => `products/${product}/*`;
  const own = domainRoleArns(mesh, domain.name);
  const groups = sharedGroups(domain);
  const shared = groups.flatMap((g) => g.products).sort();
  const isPrivate = (name: string) => !shared.includes(name);
  const privateProducts = domain.products.map((p) => p.name).filter(isPrivate);
  const reads = (
    sid: string,
    rest: Omit<PolicyStatementJson, 'Effect' | 'Action' | 'Principal'>,
  ): PolicyStatementJson => ({
    Sid: sid,
    Effect: 'Deny',
    Principal: ANYONE,
    Action: FENCED_READS,
    ...rest,
  });

  const statements: PolicyStatementJson[] = [
    {
      Sid: 'DenyWritesOutsideProducer',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: FENCED_WRITES,
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn(mesh, domain.name, 'producer') } },
    },
  ];
  if (shared.length === 0) {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': own } },
      }),
    );
    return statements;
  }

  statements.push(
    reads('DenyReadsOutsideMesh', {
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...own, ...meshRolePatterns(mesh.config)] } },
    }),
    {
      Sid: 'DenyShallowListings',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: 's3:ListBucket*',
      Resource: bucketArn,
      Condition: {
        ArnNotEquals: { 'aws:PrincipalArn': own },
        StringNotLikeIfExists: { 's3:prefix': 'products/*/v*/*' },
      },
    },
  );
  let consumerGroup = 0;
  for (const group of groups) {
    if (group.scope.kind !== 'consumers') continue; // mesh-visible products need nothing beyond the mesh fence
    statements.push(
      reads(`DenyReadsOutsideConsumers${++consumerGroup}`, {
        Resource: [bucketArn, ...group.products.map(productObjects)],
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': groupReaders(mesh, domain, group.scope) },
          StringLikeIfExists: { 's3:prefix': group.products.map(productPrefix) },
        },
      }),
    );
  }
  if (privateFence === 'all-but-shared') {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        // Everything but the shared products' objects: the bucket itself (listings) and all other objects.
        NotResource: shared.map(productObjects),
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': own },
          StringNotLikeIfExists: { 's3:prefix': shared.map(productPrefix) },
        },
      }),
    );
  } else if (privateProducts.length > 0) {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        Resource: [bucketArn, ...privateProducts.map(productObjects)],
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': own },
          StringLikeIfExists: { 's3:prefix': privateProducts.map(productPrefix) },
        },
      }),
    );
  }
  return statements;
}

/**
 * Key policy statements of a producer domain. S3 encrypts with a bucket key, so the key cannot tell one
 * product from another: decryption is fenced to the union of every shared product's readers (the bucket
 * policy narrows it per product), and encryption to the domain's own roles (writes, Athena results).
 * Key administration is never denied, so the account can always repair the policy.
 */
export function keyFenceStatements(mesh: Mesh, domain: MeshDomain): PolicyStatementJson[] {
  const own = domainRoleArns(mesh, domain.name);
  const groups = sharedGroups(domain);
  const readers = groups.some((g) => g.scope.kind === 'mesh')
    ? [...own, ...meshRolePatterns(mesh.config)]
    : [...new Set(groups.flatMap((g) => groupReaders(mesh, domain, g.scope)))];
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
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': own } },
    },
  ];
}
