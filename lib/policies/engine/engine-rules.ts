/**
 * Findings the engine itself makes about exceptions: expired, unknown rule, unused, not exceptable. Listed
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
    'Encryption at rest, public access, TLS, administrator access and personal data reaching unnamed consumers cannot be excepted; such an exception is an error and excuses nothing.',
  fix: 'remove the exception and fix the finding',
};

export const ENGINE_RULES: readonly EngineRule[] = [
  EXCEPTION_EXPIRED,
  EXCEPTION_UNKNOWN_RULE,
  EXCEPTION_UNUSED,
  EXCEPTION_NOT_EXCEPTABLE,
];
