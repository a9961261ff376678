/**
 * What the access matrix is made of: the requests (who, what action, on which resource, with which request
 * context) and the answer the definitions expect. Plain data with concrete ARNs, so any evaluator (offline
 * simulation, IAM's simulator) can answer them.
 */
import type { MeshDomain } from '../../mesh/model';
import { partitionOf } from '../env';
import type { RoleKind } from '../principals';

/** A concrete environment: where an environment-agnostic stack is assumed deployed for verification. */
export interface ConcreteEnv {
  readonly account: string;
  readonly region: string;
}

/** Checks on one product version: reading an object, listing the version's prefix, reading the table, writing. */
export const PRODUCT_ACCESS_KINDS = ['read-object', 'list-prefix', 'read-table', 'write-object'] as const;
/**
 * Checks on one domain's other storage: decrypting what S3 reads from its data bucket (`decrypt-key`), its
 * Athena results (object read, write, delete; the key's decrypt and data-key generation with the results
 * bucket's encryption context), its access logs (object read, write, delete by roles) and the S3 log
 * delivery service writing them (`deliver-logs`).
 */
export const DOMAIN_ACCESS_KINDS = [
  'decrypt-key',
  'read-results',
  'write-results',
  'delete-results',
  'decrypt-results',
  'encrypt-results',
  'read-logs',
  'write-logs',
  'delete-logs',
  'deliver-logs',
] as const;
/**
 * Checks of the runtime plane, asked of execution roles only: reading and writing a run product's staging
 * prefix (`staging/<product>/v<major>/`, a product-version target) and a domain's quality results
 * (`quality/results/`, a domain target).
 */
export const RUNTIME_ACCESS_KINDS = ['read-staging', 'write-staging', 'read-quality', 'write-quality'] as const;
export const ACCESS_KINDS = [...PRODUCT_ACCESS_KINDS, ...DOMAIN_ACCESS_KINDS, ...RUNTIME_ACCESS_KINDS] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];
export type DomainAccessKind = (typeof DOMAIN_ACCESS_KINDS)[number];
export type RuntimeAccessKind = (typeof RUNTIME_ACCESS_KINDS)[number];
/** The kinds the brief's matrix requires; the others add the listing, the key and the domain's other buckets. */
export const CORE_ACCESS_KINDS: readonly AccessKind[] = ['read-object', 'read-table', 'write-object'];

/** Whether a check's target is a product version (`<domain>/<product>@<major>`) or a domain. */
export function isProductKind(kind: AccessKind): boolean {
  return (
    (PRODUCT_ACCESS_KINDS as readonly string[]).includes(kind) || kind === 'read-staging' || kind === 'write-staging'
  );
}

/**
 * Who makes the request: one of the mesh's roles, a product's execution role (`kind: 'execution'`, the role
 * its state machine runs as), or an AWS service principal (`kind: 'service'`: name and arn are the service's
 * name, domain the domain whose resources it acts for).
 */
export interface RoleRef {
  readonly domain: string;
  readonly kind: RoleKind | 'execution' | 'service';
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  /** For an execution role: the product version it runs, `<domain>/<product>@<major>`. */
  readonly product?: string;
  /** For an execution role: whether it builds the product (reads its inputs) or only checks it. */
  readonly run?: 'build' | 'check';
}

export interface AccessCheck {
  readonly role: RoleRef;
  readonly kind: AccessKind;
  /** `<domain>/<product>@<major>`, or `<domain>` for the domain's key, results and log buckets. */
  readonly target: string;
  /** Domain owning the target. */
  readonly owner: string;
  readonly action: string;
  /** ARN of the resource; for the key, the ARN of its alias (the key's own ARN is random). */
  readonly resource: string;
  /** Account owning the resource. */
  readonly resourceAccount: string;
  /** Request context AWS would send (e.g. `s3:prefix`, `kms:ViaService`). */
  readonly context: Readonly<Record<string, string | string[]>>;
  /** What the definitions allow. */
  readonly expected: boolean;
}

/** The domain's pinned environment, or the one verification assumes for environment-agnostic stacks. */
export function concreteEnvOf(domain: MeshDomain, fallback: ConcreteEnv): ConcreteEnv & { partition: string } {
  const env = domain.definition.env ?? fallback;
  return { ...env, partition: partitionOf(env.region).partition };
}
