/**
 * Where another domain's resources live, without asking its stack. A domain that pins `env` in domain.ts is
 * addressed with those literal values; any other domain is assumed to share the account and region of the
 * stack doing the addressing, written as placeholders the stack fills with its own pseudo parameters.
 */
import type { MeshDomain } from '../mesh/model';
import { ACCOUNT_PLACEHOLDER, REGION_PLACEHOLDER } from '../mesh/naming';

/** Placeholder for the partition (`aws`, `aws-cn`, …) of the stack the policy is rendered into. */
export const PARTITION_PLACEHOLDER = '{partition}';
/** Placeholder for the stack's URL suffix (`amazonaws.com`, `amazonaws.com.cn`), part of service names. */
export const URL_SUFFIX_PLACEHOLDER = '{urlSuffix}';

/** Account and region a domain's resources are addressed with: literals, or the placeholders. */
export interface DomainEnv {
  readonly account: string;
  readonly region: string;
}

/** Concrete values for every placeholder, as one stack sees them (literals or deploy-time tokens). */
export interface PlaceholderValues {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly urlSuffix: string;
}

export function domainEnv(domain: MeshDomain): DomainEnv {
  return domain.definition.env ?? { account: ACCOUNT_PLACEHOLDER, region: REGION_PLACEHOLDER };
}

/**
 * Longest values the placeholders can take, so a size measured with them holds wherever an
 * environment-agnostic stack is deployed (GovCloud partition, China URL suffix, a 16-character region).
 */
export const WORST_CASE_VALUES: PlaceholderValues = {
  partition: 'aws-us-gov',
  account: '123456789012',
  region: 'xx-xxxxxxxxxxx-9',
  urlSuffix: 'amazonaws.com.cn',
};

/** Partition and URL suffix of a known region. */
export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

/** Values to size a domain stack's policies with: its pinned environment, else the worst case. */
export function sizingValues(domain: MeshDomain): PlaceholderValues {
  const env = domain.definition.env;
  return env ? { account: env.account, region: env.region, ...partitionOf(env.region) } : WORST_CASE_VALUES;
}

/** Replaces every placeholder in every string of a JSON value. */
export function fillPlaceholders<T>(value: T, values: PlaceholderValues): T {
  const fill = (text: string) =>
    text
      .split(PARTITION_PLACEHOLDER)
      .join(values.partition)
      .split(URL_SUFFIX_PLACEHOLDER)
      .join(values.urlSuffix)
      .split(ACCOUNT_PLACEHOLDER)
      .join(values.account)
      .split(REGION_PLACEHOLDER)
      .join(values.region);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fill(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
