/** The two-step verdict every quota rule gives: an error above the limit, a warning in the margin below it. */
import type { Severity } from '../../model';

/** Share of a quota above which a warning tells the domain to plan (split the stack, the policy, ...). */
export const QUOTA_MARGIN = 0.9;

export function quotaSeverity(used: number, limit: number): Severity | undefined {
  if (used > limit) return 'error';
  if (used > limit * QUOTA_MARGIN) return 'warning';
  return undefined;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
