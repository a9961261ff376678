/**
 * Who may touch a product, as IAM principals. Every domain has two roles with deterministic names: the
 * producer role (pipelines that write the domain's products — and read their inputs, since aggregates are
 * built from them) and the consumer role (analysts and tools that query). Both roles of a domain get the
 * same reads; only the producer role writes.
 */
import type { MeshConfig } from '../mesh/config';
import { findDomain, type Mesh, type MeshProduct } from '../mesh/model';
import { arns, domainNames } from '../mesh/naming';
import { domainRuntimeNames } from '../runtime/names';
import { domainEnv, PARTITION_PLACEHOLDER } from './env';

export const ROLE_KINDS = ['producer', 'consumer'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

/** Physical role name of a domain's producer or consumer role. */
export function roleName(config: MeshConfig, domain: string, kind: RoleKind): string {
  const names = domainNames(config, domain);
  return kind === 'producer' ? names.producerRole : names.consumerRole;
}

/** ARN of a domain's role, in the domain's pinned account or the addressing stack's own. */
export function roleArn(mesh: Mesh, domain: string, kind: RoleKind): string {
  const meshDomain = findDomain(mesh, domain);
  if (!meshDomain) throw new Error(`unknown domain "${domain}"`);
  return arns.role(PARTITION_PLACEHOLDER, domainEnv(meshDomain).account, roleName(mesh.config, domain, kind));
}

/** Both roles of a domain, producer first. */
export function domainRoleArns(mesh: Mesh, domain: string): string[] {
  return ROLE_KINDS.map((kind) => roleArn(mesh, domain, kind));
}

/**
 * Pattern of every execution role of a domain (the roles its products' state machines run as), in the
 * domain's pinned account or the addressing stack's own. A "." cannot occur in a domain name, so the pattern
 * never matches another domain's roles (MESH-IAM-007 keeps other domains from taking such names).
 */
export function executionRolePattern(mesh: Mesh, domain: string): string {
  const meshDomain = findDomain(mesh, domain);
  if (!meshDomain) throw new Error(`unknown domain "${domain}"`);
  const { executionRolePrefix } = domainRuntimeNames(mesh.config, domain);
  return arns.role(PARTITION_PLACEHOLDER, domainEnv(meshDomain).account, `${executionRolePrefix}*`);
}

/**
 * One pattern matching exactly a domain's producer and consumer roles: both suffixes are eight characters with
 * `u` fifth and `er` last (`producer`, `consumer`), and `?` matches one character. No other platform role
 * fits: another domain's roles carry a longer suffix (`<rest>-producer`), an execution role ends in its major
 * (`-v2`), the scheduler role's suffix has nine characters; MESH-IAM-007 keeps other names out of the prefix.
 * A fence listing many consumer domains names each in one pattern instead of two ARNs.
 */
export function domainRolesPattern(mesh: Mesh, domain: string): string {
  const meshDomain = findDomain(mesh, domain);
  if (!meshDomain) throw new Error(`unknown domain "${domain}"`);
  const consumer = roleName(mesh.config, domain, 'consumer');
  const base = consumer.slice(0, -'consumer'.length);
  return arns.role(PARTITION_PLACEHOLDER, domainEnv(meshDomain).account, `${base}????u?er`);
}

/** Every principal of a domain: its two roles, then the pattern of its execution roles. */
export function domainPrincipals(mesh: Mesh, domain: string): string[] {
  return [...domainRoleArns(mesh, domain), executionRolePattern(mesh, domain)];
}

/**
 * Patterns matching the roles of every domain, present and future, in any account: the readers of a
 * mesh-visible product, which must not need a producer redeploy whenever a domain joins. The last one
 * matches every domain's execution roles.
 */
export function meshRolePatterns(config: MeshConfig): string[] {
  return [
    ...ROLE_KINDS.map((kind) => `arn:${PARTITION_PLACEHOLDER}:iam::*:role/${config.prefix}-*-${kind}`),
    `arn:${PARTITION_PLACEHOLDER}:iam::*:role/${config.prefix}-*.run.*`,
  ];
}

/** Which domains a product's contract lets read it, beyond its own. */
export type ReaderScope =
  | { readonly kind: 'domain' }
  | { readonly kind: 'mesh' }
  | { readonly kind: 'consumers'; readonly domains: readonly string[] };

/**
 * The contract's readers. A retired product accepts no consumers, so it is fenced like a private one; a
 * consumer list without other domains is private too.
 */
export function readerScope(product: MeshProduct): ReaderScope {
  const { visibility, consumers } = product.definition.access;
  if (product.definition.status === 'retired' || visibility === 'domain') return { kind: 'domain' };
  if (visibility === 'mesh') return { kind: 'mesh' };
  const domains = [...new Set(consumers.map((c) => c.domain).filter((d) => d !== product.domain))].sort();
  return domains.length === 0 ? { kind: 'domain' } : { kind: 'consumers', domains };
}
