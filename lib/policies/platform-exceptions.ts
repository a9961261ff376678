/**
 * Exceptions for the platform's own constructs, owned by the governance guild. A platform defect whose fix
 * is under way is excepted here, with a reason, an approver and an expiry like any exception, instead of
 * weakening the rule or failing every domain's synth meanwhile. Each one names the constructs it covers by
 * path pattern within the stack (`*` within one path segment, `**` across segments). Each is judged like a
 * definition's exception (lib/policies/exception-checks.ts): a registered approver outside the platform team,
 * at most the guild's maximum lifetime, an exceptable rule; otherwise, or once expired, it excuses nothing and
 * is an error. A test fails when one no longer matches a finding, so it is removed with the fix.
 */
import type { PolicyException } from '../definition/schema';

/** Where platform exceptions live, for messages. */
export const PLATFORM_EXCEPTIONS_FILE = 'lib/policies/platform-exceptions.ts';

export interface PlatformException extends PolicyException {
  /** Construct path patterns, relative to the domain stack, of the platform resources it covers. */
  readonly constructs: readonly string[];
}

/**
 * None today. An entry looks like:
 *   {
 *     rule: 'MESH-DEP-001',
 *     constructs: ['<two stars>/TableV*'],
 *     reason: 'Product tables name the domain database without depending on it; the fix in constructs/ is under way.',
 *     approvedBy: 'security-architect@example.com',
 *     expires: '2026-12-31',
 *   }
 */
export const PLATFORM_EXCEPTIONS: readonly PlatformException[] = [];

/** A path pattern as a regular expression over stack-relative construct paths. */
export function pathPattern(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
