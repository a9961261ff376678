/**
 * Whether one exception may excuse anything: its rule exists and can be excepted, a registered approver
 * from outside its domain approved it, and it expires within the guild's maximum lifetime and not before
 * today. A plain function of the exception, so `cdk synth` (the engine) and other checks judge alike.
 */
import type { PolicyException } from '../definition/schema';
import {
  APPROVERS_FILE,
  type ApprovalScope,
  type Approver,
  type ApproverRegistry,
  conflictOf,
  eligibleApprovers,
  findApprover,
} from './approver-registry';
import {
  EXCEPTION_EXPIRED,
  EXCEPTION_NOT_EXCEPTABLE,
  EXCEPTION_SELF_APPROVED,
  EXCEPTION_TOO_LONG,
  EXCEPTION_UNKNOWN_APPROVER,
  EXCEPTION_UNKNOWN_RULE,
} from './engine/engine-rules';
import { type EngineRule, isExceptable, type RuleMeta } from './model';

/** A finding about an exception itself. */
export interface ExceptionProblem {
  readonly rule: EngineRule;
  /** The exception's position, e.g. `exceptions[0]` or `platform[0]`. */
  readonly finding: string;
  readonly message: string;
  readonly fix: string;
}

/** What an exception is judged against. */
export interface ExceptionJudgement {
  /** Calendar day (YYYY-MM-DD, UTC) of the check. */
  readonly today: string;
  readonly approvers: ApproverRegistry;
}

/** Where an exception is declared and whom it is for. */
export interface ExceptionPlace {
  /** Finding id of the exception, e.g. `exceptions[0]`. */
  readonly finding: string;
  /** How messages name it, e.g. `exceptions[0]` or `platform exception 0`. */
  readonly label: string;
  readonly scope: ApprovalScope;
}

const DAY_MS = 86_400_000;

function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Every reason the exception excuses nothing; empty when it holds. */
export function judgeException(
  exception: PolicyException,
  rule: RuleMeta | undefined,
  place: ExceptionPlace,
  judgement: ExceptionJudgement,
): ExceptionProblem[] {
  const { finding, label: at } = place;
  const names = `${exception.rule}${exception.finding ? `[${exception.finding}]` : ''}`;
  // An exception for a rule that is missing or cannot be excepted goes whoever approved it: say only that.
  if (!rule) {
    return [
      {
        rule: EXCEPTION_UNKNOWN_RULE,
        finding,
        message: `${at} names rule ${exception.rule}, which does not exist`,
        fix: `correct the rule id in ${at} (npx mesh policies lists them) or remove it`,
      },
    ];
  }
  if (!isExceptable(rule)) {
    return [
      {
        rule: EXCEPTION_NOT_EXCEPTABLE,
        finding,
        message: `${at} excepts ${exception.rule} (${rule.title}), which cannot be excepted: it keeps data from being lost or exposed`,
        fix: `remove ${at} and fix the finding: ${rule.fix}`,
      },
    ];
  }
  const { approvers, today } = judgement;
  const maxDays = approvers.guild.maxExceptionDays;
  const askInstead = () => askApproverInstead(approvers, place.scope, at);
  return judgeApproval(exception, place.scope, judgement).map((problem): ExceptionProblem => {
    switch (problem.kind) {
      case 'unknown-approver':
        return {
          rule: EXCEPTION_UNKNOWN_APPROVER,
          finding,
          message: `${at} (${names}) is approved by "${exception.approvedBy}", who is not an approver in ${APPROVERS_FILE}`,
          fix: askInstead(),
        };
      case 'self-approved':
        return {
          rule: EXCEPTION_SELF_APPROVED,
          finding,
          message: `${at} (${names}) is approved by ${problem.approver.id}, ${problem.conflict}: nobody approves an exception for their own ${'domain' in place.scope ? 'domain' : 'team'}`,
          fix: askInstead(),
        };
      case 'expired':
        return {
          rule: EXCEPTION_EXPIRED,
          finding,
          message: `${at} (${names}, approved by ${exception.approvedBy}) expired on ${exception.expires}`,
          fix: `fix the finding and remove ${at}, or renew it with a new expires date (at most ${latestExpiry(judgement)}) and approval`,
        };
      default:
        return {
          rule: EXCEPTION_TOO_LONG,
          finding,
          message: `${at} (${names}) expires on ${exception.expires}, ${problem.daysLeft} days from today (${today}); the ${approvers.guild.name} allows at most ${maxDays} days (${APPROVERS_FILE})`,
          fix: `set expires in ${at} to ${latestExpiry(judgement)} or earlier, and renew it with a fresh approval when it lapses`,
        };
    }
  });
}

/** What is wrong with an approval: who gave it, and how long it holds. */
export type ApprovalProblem =
  | { readonly kind: 'unknown-approver' }
  | { readonly kind: 'self-approved'; readonly approver: Approver; readonly conflict: string }
  | { readonly kind: 'expired' }
  | { readonly kind: 'too-long'; readonly daysLeft: number };

/**
 * Whether an approval holds: a registered approver outside the scope gave it, and it expires neither before
 * today nor later than the guild's maximum. Exceptions and declassifications are approved alike.
 */
export function judgeApproval(
  approval: { readonly approvedBy: string; readonly expires: string },
  scope: ApprovalScope,
  judgement: ExceptionJudgement,
): ApprovalProblem[] {
  const { approvers, today } = judgement;
  const problems: ApprovalProblem[] = [];
  const approver = findApprover(approvers, approval.approvedBy);
  if (!approver) problems.push({ kind: 'unknown-approver' });
  else {
    const conflict = conflictOf(approvers, approver, scope);
    if (conflict) problems.push({ kind: 'self-approved', approver, conflict });
  }
  const daysLeft = dayNumber(approval.expires) - dayNumber(today);
  if (daysLeft < 0) problems.push({ kind: 'expired' });
  else if (daysLeft > approvers.guild.maxExceptionDays) problems.push({ kind: 'too-long', daysLeft });
  return problems;
}

/** The last day an approval given today may run to. */
export function latestExpiry(judgement: ExceptionJudgement): string {
  return addDays(judgement.today, judgement.approvers.guild.maxExceptionDays);
}

/** Whom to ask for an approval of `at` in the scope, for a fix. */
export function askApproverInstead(approvers: ApproverRegistry, scope: ApprovalScope, at: string): string {
  const eligible = eligibleApprovers(approvers, scope).map((a) => a.id);
  const outside = 'domain' in scope ? ` outside domain ${scope.domain}` : ' outside the platform team';
  return eligible.length > 0
    ? `ask a member of the ${approvers.guild.name}${outside} to approve ${at} and put their id in approvedBy: ${eligible.join(', ')}`
    : `no approver of ${APPROVERS_FILE} may approve ${at}: ask the ${approvers.guild.name} (${approvers.guild.codeowners.join(', ')})`;
}
