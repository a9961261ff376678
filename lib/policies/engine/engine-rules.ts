/**
 * Findings the engine itself makes about exceptions: expired, unknown rule, unused, not exceptable, not
 * approved by a registered approver, approved from inside the domain, longer than the guild allows. Listed
 * and documented like every rule; never exceptable.
 */
import type { EngineRule } from '../model';

export const EXCEPTION_EXPIRED: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-001',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions are not expired',
  explanation:
    'An exception holds until its expires date (inclusive). After it, the exception no longer excuses anything and is an error itself, so it is renewed with a fresh approval or removed once the finding is fixed.',
  fix: 'fix the finding and remove the exception, or renew it (new expires date, approvedBy)',
};

export const EXCEPTION_UNKNOWN_RULE: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-002',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions name an existing rule',
  explanation: 'An exception for a rule id that does not exist excuses nothing; usually the id has a typo.',
  fix: 'correct the rule id (npx mesh policies lists them) or remove the exception',
};

export const EXCEPTION_UNUSED: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-003',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions match a finding',
  explanation:
    'An exception that matches no finding is stale (the finding was fixed) or too narrow (a wrong finding id); left in place it would silently excuse a future violation.',
  fix: 'remove the exception, or correct its finding to the one reported',
};

export const EXCEPTION_NOT_EXCEPTABLE: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-004',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions only for exceptable rules',
  explanation:
    "Rules that keep data from being lost or exposed cannot be excepted: encryption at rest and of query results, TLS, public access, ACLs, retention and versioning of stateful resources, administrator and wildcard access, open-ended Allow statements in bucket and key policies, data or results outside the domain's fenced buckets, and personal data reaching unnamed consumers. Such an exception is an error and excuses nothing.",
  fix: 'remove the exception and fix the finding',
};

export const EXCEPTION_UNKNOWN_APPROVER: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-005',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions are approved by a registered approver',
  explanation:
    "An exception's approvedBy must name an approver of the governance guild's registry (lib/policies/approvers.ts), which domain teams cannot change; any other name excuses nothing.",
  fix: 'ask an approver of lib/policies/approvers.ts to approve the exception and put their id in approvedBy',
};

export const EXCEPTION_SELF_APPROVED: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-006',
  severity: 'error',
  exceptable: false,
  title: 'Nobody approves an exception for their own domain',
  explanation:
    "An approver who is a member of the exception's domain (or of the platform team, for platform exceptions) judges their own work; the exception excuses nothing until an approver from outside approves it.",
  fix: 'ask an approver who is not a member of the domain (lib/policies/approvers.ts)',
};

export const EXCEPTION_TOO_LONG: EngineRule = {
  kind: 'engine',
  id: 'MESH-EXC-007',
  severity: 'error',
  exceptable: false,
  title: 'Exceptions expire within the lifetime the guild allows',
  explanation:
    "An exception's expires date may be at most maxExceptionDays (90 by default, set in lib/policies/approvers.ts) after today, so no exception is granted for longer. Definitions record no approval date, so the time checked is the time left: from the day of the check to expires.",
  fix: 'move expires to at most the allowed number of days from today; renew it with a fresh approval when it lapses',
};

export const ENGINE_RULES: readonly EngineRule[] = [
  EXCEPTION_EXPIRED,
  EXCEPTION_UNKNOWN_RULE,
  EXCEPTION_UNUSED,
  EXCEPTION_NOT_EXCEPTABLE,
  EXCEPTION_UNKNOWN_APPROVER,
  EXCEPTION_SELF_APPROVED,
  EXCEPTION_TOO_LONG,
];
