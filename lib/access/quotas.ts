/**
 * The AWS quotas the access design must stay within, and a plan of every access policy of a domain sized
 * against them before anything is synthesized. Constructs build exactly the planned documents, so a plan
 * that fits is a deployment that fits; a plan that does not becomes a definition problem naming the file.
 */
import type { Mesh, MeshDomain } from '../mesh/model';
import type { DefinitionProblem } from '../mesh/problems';
import { executionPolicyStatements } from '../runtime/execution-policy';
import { productRun } from '../runtime/plan';
import { catalogPolicySize } from './catalog-policy';
import { fillPlaceholders, sizingValues } from './env';
import { inputGrantStatements, inputReadsOf } from './input-grants';
import {
  type PolicyDocumentJson,
  type PolicyStatementJson,
  policyBytes,
  policyChars,
  policyDocument,
} from './policy-json';
import { packStatements } from './policy-packing';
import {
  bucketFenceStatements,
  keyFenceStatements,
  logsBucketFenceStatements,
  resultsBucketFenceStatements,
  sharedGroups,
} from './producer-fences';

/** Quotas from the IAM, S3 and KMS documentation (REFERENCE.md). */
export const ACCESS_LIMITS = {
  /** Characters of one customer managed policy, whitespace not counted. */
  managedPolicyChars: 6_144,
  /** Managed policies attached to one role (default quota; can be raised to 20). */
  managedPoliciesPerRole: 10,
  /** Characters of all inline policies of one role together. */
  roleInlineChars: 10_240,
  /** Bytes of a bucket policy. */
  bucketPolicyBytes: 20_480,
  /** Bytes of a key policy. */
  keyPolicyBytes: 32_768,
} as const;

/**
 * Room kept for statements other constructs put in the same policies: the TLS-only and minimum-TLS denies
 * CDK adds to the bucket policy (~500 bytes), and CDK's default key policy statement (~130 bytes).
 */
export const BUCKET_POLICY_RESERVED_BYTES = 1_024;
export const KEY_POLICY_RESERVED_BYTES = 512;

/** Every access policy of one domain stack, with placeholders, and its size against the quotas. */
export interface DomainAccessPlan {
  readonly domain: MeshDomain;
  /** Number of product versions of other domains the domain reads. */
  readonly inputCount: number;
  /** Producer domains those inputs come from. */
  readonly producerCount: number;
  /** Customer managed policies holding the input grants, attached to both roles of the domain. */
  readonly inputPolicies: readonly PolicyDocumentJson[];
  /** Statements added to the data bucket's policy. */
  readonly bucketFence: readonly PolicyStatementJson[];
  /** Statements added to the Athena results bucket's policy (constant size). */
  readonly resultsBucketFence: readonly PolicyStatementJson[];
  /** Statements added to the access-log bucket's policy (constant size). */
  readonly logsBucketFence: readonly PolicyStatementJson[];
  /** Statements added to the domain key's policy. */
  readonly keyFence: readonly PolicyStatementJson[];
  readonly sizes: {
    /** Characters of the largest input policy (worst-case rendering). */
    readonly largestInputPolicyChars: number;
    /** Bytes of the fence statements plus the reserve for CDK's statements. */
    readonly bucketPolicyBytes: number;
    readonly keyPolicyBytes: number;
    /** Characters of the largest execution role policy of the domain's run products (inline, worst-case rendering). */
    readonly largestExecutionPolicyChars: number;
    /** Bytes of the domain's statements in its account's Glue catalog policy, with the reserve; 0 without readers in other accounts. */
    readonly catalogPolicyBytes: number;
  };
  /** Quotas the plan exceeds, as definition problems; empty when it fits. */
  readonly problems: readonly DefinitionProblem[];
}

export function planDomainAccess(mesh: Mesh, domain: MeshDomain): DomainAccessPlan {
  const values = sizingValues(domain);
  const render = <T>(value: T): T => fillPlaceholders(value, values);
  const reads = inputReadsOf(mesh, domain);
  const problems: DefinitionProblem[] = [];

  let inputPolicies: PolicyDocumentJson[] = [];
  try {
    inputPolicies = packStatements(inputGrantStatements(mesh, domain), {
      maxChars: ACCESS_LIMITS.managedPolicyChars,
      render,
    });
  } catch (err) {
    problems.push({ file: domain.file, path: '', message: `input grants: ${(err as Error).message}` });
  }
  const producerCount = new Set(reads.map((r) => r.producer.name)).size;
  if (inputPolicies.length > ACCESS_LIMITS.managedPoliciesPerRole) {
    problems.push({
      file: domain.file,
      path: '',
      message:
        `the ${reads.length} inputs of domain "${domain.name}" (product versions of ${producerCount} other domains) need ` +
        `${inputPolicies.length} managed policies of at most ${ACCESS_LIMITS.managedPolicyChars} characters on each of its roles; ` +
        `IAM attaches at most ${ACCESS_LIMITS.managedPoliciesPerRole} to a role. Read fewer product versions ` +
        `(drop inputs or move products to another domain)`,
    });
  }

  // The private fence that keeps unknown prefixes private when it fits, the one naming private products when not.
  const bucketSize = (statements: PolicyStatementJson[]) =>
    policyBytes(render(policyDocument(statements))) + BUCKET_POLICY_RESERVED_BYTES;
  let bucketFence = bucketFenceStatements(mesh, domain, 'all-but-shared');
  if (bucketSize(bucketFence) > ACCESS_LIMITS.bucketPolicyBytes) {
    const listed = bucketFenceStatements(mesh, domain, 'listed');
    if (bucketSize(listed) < bucketSize(bucketFence)) bucketFence = listed;
  }
  const bucketPolicyBytes = bucketSize(bucketFence);
  if (bucketPolicyBytes > ACCESS_LIMITS.bucketPolicyBytes) {
    const lists = sharedGroups(domain).flatMap((g) =>
      g.scope.kind === 'consumers' ? [`${g.products.join(', ')}: ${g.scope.domains.length} consumer domains`] : [],
    );
    problems.push({
      file: domain.file,
      path: '',
      message:
        `the data bucket policy of domain "${domain.name}" would reach ${bucketPolicyBytes} bytes; S3 allows ` +
        `${ACCESS_LIMITS.bucketPolicyBytes}. Each distinct access.consumers list costs a statement naming two roles ` +
        `per consumer domain, and the execution-role pattern of each one whose builds read it (${lists.join('; ')}); give products the same consumer list, or visibility "mesh" ` +
        `where the data allows it`,
    });
  }

  const keyFence = keyFenceStatements(mesh, domain);
  const keyPolicyBytes = policyBytes(render(policyDocument(keyFence))) + KEY_POLICY_RESERVED_BYTES;
  if (keyPolicyBytes > ACCESS_LIMITS.keyPolicyBytes) {
    problems.push({
      file: domain.file,
      path: '',
      message:
        `the key policy of domain "${domain.name}" would reach ${keyPolicyBytes} bytes; KMS allows ` +
        `${ACCESS_LIMITS.keyPolicyBytes}. It names the roles (and execution roles, where their builds read) of every consumer domain of every product; ` +
        `share fewer products by consumer list`,
    });
  }

  const catalogPolicy = catalogPolicySize(mesh, domain);
  if (catalogPolicy.problem) problems.push(catalogPolicy.problem);

  // An execution role's policy is inline: its product's inputs share the role's 10,240 characters.
  let largestExecutionPolicyChars = 0;
  for (const product of domain.products) {
    const run = productRun(product);
    if (!run) continue;
    const chars = policyChars(render(policyDocument(executionPolicyStatements(mesh, product, run))));
    largestExecutionPolicyChars = Math.max(largestExecutionPolicyChars, chars);
    if (chars > ACCESS_LIMITS.roleInlineChars) {
      problems.push({
        file: product.file,
        path: 'inputs',
        message:
          `the execution role of ${product.id} would carry ${chars} characters of inline policy for its ` +
          `${product.definition.inputs.length} inputs and its own prefixes; IAM allows ${ACCESS_LIMITS.roleInlineChars} ` +
          `per role. Read fewer product versions (build from an aggregate of them), or inputs from fewer domains`,
      });
    }
  }

  return {
    domain,
    inputCount: reads.length,
    producerCount,
    inputPolicies,
    bucketFence,
    resultsBucketFence: resultsBucketFenceStatements(mesh, domain),
    logsBucketFence: logsBucketFenceStatements(mesh, domain),
    keyFence,
    sizes: {
      largestInputPolicyChars: Math.max(0, ...inputPolicies.map((d) => policyChars(render(d)))),
      bucketPolicyBytes,
      keyPolicyBytes,
      largestExecutionPolicyChars,
      catalogPolicyBytes: catalogPolicy.bytes,
    },
    problems,
  };
}

/** Quota problems of every domain of the mesh; for `mesh validate`-style checks and the governance engine. */
export function checkAccessQuotas(mesh: Mesh): DefinitionProblem[] {
  return mesh.domains.flatMap((domain) => planDomainAccess(mesh, domain).problems);
}
