/**
 * The fence of one bucket: deny-only bucket policy statements that refuse object reads and writes to every
 * principal outside the bucket's reader and writer sets, whatever that principal's own identity policies
 * grant. Every bucket of a domain is fenced by this one function: the data bucket (with areas shared by
 * contract), the Athena results bucket and the access-log bucket (their domain's roles only).
 */
import type { PolicyStatementJson } from './policy-json';

/** Object reads the fences deny (every GetObject variant: versions, ACLs, tags, attributes; every listing). */
export const FENCED_READS = ['s3:GetObject*', 's3:ListBucket*'];
/** Object writes the fences deny: puts (ACLs, tags, retention included), deletes, restores, aborted uploads. */
export const FENCED_WRITES = ['s3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:AbortMultipartUpload'];

const ANYONE = { AWS: '*' };

/**
 * Condition matching a principal outside `principals` (ARNs, or patterns such as a domain's execution roles):
 * `ArnNotEquals` when every entry is an exact ARN, `ArnNotLike` when one is a pattern.
 */
export function principalNotIn(
  principals: string | readonly string[],
): Record<string, Record<string, string | string[]>> {
  const value = typeof principals === 'string' ? principals : [...principals];
  return [value].flat().some((p) => /[*?]/.test(p))
    ? { ArnNotLike: { 'aws:PrincipalArn': value } }
    : { ArnNotEquals: { 'aws:PrincipalArn': value } };
}

/** Roles that write objects; `name` completes the statement id `DenyWritesOutside<name>`. */
export interface RoleWriters {
  readonly roles: readonly string[];
  readonly name: string;
}

/**
 * An AWS service that writes objects on behalf of given sources (S3 server access logging for the domain's
 * buckets); no role writes at all.
 */
export interface ServiceWriter {
  /** Service principal, e.g. `logging.s3.amazonaws.com`. */
  readonly service: string;
  /** ARNs the service may write for (`aws:SourceArn`). */
  readonly sourceArns: readonly string[];
  /** Account the sources belong to (`aws:SourceAccount`). */
  readonly sourceAccount: string;
}

/** Areas of a bucket other domains read; see fenceBucket. */
export interface SharedReads {
  /** Patterns of every principal that may read some shared area, owners included (the outer fence). */
  readonly outer: readonly string[];
  /** `s3:prefix` pattern inside which non-owners may list, so a listing never shows other areas' keys. */
  readonly listable: string;
  /** Areas read by named principals only, one statement each: key prefixes (`products/orders/`) and readers, owners included. */
  readonly restricted: readonly { readonly prefixes: readonly string[]; readonly readers: readonly string[] }[];
  /** Key prefixes of every shared area, restricted or not. */
  readonly sharedPrefixes: readonly string[];
  /** Key prefixes of the areas only the owners read; named by the `listed` private fence. */
  readonly privatePrefixes: readonly string[];
  /**
   * How the rest is kept to the owners. `all-but-shared` covers everything outside the shared prefixes, so an
   * area missing from the lists (a deleted product's data) stays private, and grows with the shared prefixes;
   * `listed` names the private prefixes instead, for buckets with so many shared areas that the first would not fit.
   */
  readonly privateFence: PrivateFence;
}

/** How a bucket's unshared objects are fenced; see SharedReads. */
export type PrivateFence = 'all-but-shared' | 'listed';

/** Who may read and write one bucket; everyone else is denied. */
export interface BucketFenceSpec {
  /** ARN of the bucket (placeholders allowed). */
  readonly bucketArn: string;
  /** Roles that read and list everything in the bucket: the owning domain's. */
  readonly owners: readonly string[];
  /** Who writes objects. */
  readonly writers: RoleWriters | ServiceWriter;
  /** Areas other principals read. @default none: only the owners read */
  readonly shared?: SharedReads;
}

/**
 * Bucket policy statements fencing one bucket, each a Deny to principals outside a set:
 * - writes: `DenyWritesOutside<name>` (role writers), or for a service writer `DenyWritesOutsideServices`
 *   (no role writes, services excepted with AWS's `aws:PrincipalIsAWSService` pattern) plus
 *   `DenyServiceWritesForOtherSources` and `DenyServiceWritesForOtherAccounts` (the service writes only for
 *   the named sources of the named account);
 * - reads of a bucket without shared areas: `DenyReadsOutsideDomain`, the owners only;
 * - reads of a bucket with shared areas: `DenyReadsOutsideMesh` (the outer fence, constant size),
 *   `DenyShallowListings`, `DenyReadsOutsideConsumers<n>` per restricted area, and `DenyReadsOutsideDomain`
 *   for the rest in the chosen private form.
 * `s3:prefix` conditions use `…IfExists` so one statement covers object reads (no prefix) and listings.
 */
export function fenceBucket(spec: BucketFenceSpec): PolicyStatementJson[] {
  const { bucketArn, owners, shared } = spec;
  const objects = (prefix: string) => `${bucketArn}/${prefix}*`;
  const prefixPattern = (prefix: string) => `${prefix}*`;
  const reads = (
    sid: string,
    rest: Omit<PolicyStatementJson, 'Effect' | 'Action' | 'Principal'>,
  ): PolicyStatementJson => ({ Sid: sid, Effect: 'Deny', Principal: ANYONE, Action: FENCED_READS, ...rest });

  const statements = writeFence(spec);
  if (!shared) {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: principalNotIn(owners),
      }),
    );
    return statements;
  }

  statements.push(
    reads('DenyReadsOutsideMesh', {
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...shared.outer] } },
    }),
    {
      Sid: 'DenyShallowListings',
      Effect: 'Deny',
      Principal: ANYONE,
      Action: 's3:ListBucket*',
      Resource: bucketArn,
      Condition: {
        ...principalNotIn(owners),
        StringNotLikeIfExists: { 's3:prefix': shared.listable },
      },
    },
  );
  shared.restricted.forEach((area, i) => {
    statements.push(
      reads(`DenyReadsOutsideConsumers${i + 1}`, {
        Resource: [bucketArn, ...area.prefixes.map(objects)],
        Condition: {
          ...principalNotIn(area.readers),
          StringLikeIfExists: { 's3:prefix': area.prefixes.map(prefixPattern) },
        },
      }),
    );
  });
  if (shared.privateFence === 'all-but-shared') {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        // Everything but the shared areas' objects: the bucket itself (listings) and all other objects.
        NotResource: shared.sharedPrefixes.map(objects),
        Condition: {
          ...principalNotIn(owners),
          StringNotLikeIfExists: { 's3:prefix': shared.sharedPrefixes.map(prefixPattern) },
        },
      }),
    );
  } else if (shared.privatePrefixes.length > 0) {
    statements.push(
      reads('DenyReadsOutsideDomain', {
        Resource: [bucketArn, ...shared.privatePrefixes.map(objects)],
        Condition: {
          ...principalNotIn(owners),
          StringLikeIfExists: { 's3:prefix': shared.privatePrefixes.map(prefixPattern) },
        },
      }),
    );
  }
  return statements;
}

function writeFence({ bucketArn, writers }: BucketFenceSpec): PolicyStatementJson[] {
  const deny = (
    sid: string,
    principal: PolicyStatementJson['Principal'],
    condition: PolicyStatementJson['Condition'],
  ) =>
    ({
      Sid: sid,
      Effect: 'Deny',
      Principal: principal,
      Action: FENCED_WRITES,
      Resource: `${bucketArn}/*`,
      Condition: condition,
    }) satisfies PolicyStatementJson;

  if ('roles' in writers) {
    // One writer stays a plain string, as IAM shows it.
    const roles = writers.roles.length === 1 ? writers.roles[0] : [...writers.roles];
    return [deny(`DenyWritesOutside${writers.name}`, ANYONE, principalNotIn(roles))];
  }
  const service = { Service: writers.service };
  return [
    // AWS's own pattern for "no principal but AWS services": the key is present on every request.
    deny('DenyWritesOutsideServices', ANYONE, { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } }),
    deny('DenyServiceWritesForOtherSources', service, {
      ArnNotEquals: { 'aws:SourceArn': [...writers.sourceArns] },
    }),
    deny('DenyServiceWritesForOtherAccounts', service, {
      StringNotEquals: { 'aws:SourceAccount': writers.sourceAccount },
    }),
  ];
}
