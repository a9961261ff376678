/**
 * Whether one exception may excuse anything: its rule exists and can be excepted, a registered approver
 * from outside its domain approved it, and it expires within the guild's maximum lifetime and not before
 * today. A plain function of the exception, so `cdk synth` (the engine) and other checks judge alike.
 */
import type { PolicyException } from '../definition/schema';
import {
  APPROVERS_FILE,
  type ApprovalScope,
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
  const problems: ExceptionProblem[] = [];
  const askInstead = () => {
    const eligible = eligibleApprovers(approvers, place.scope).map((a) => a.id);
    const outside = 'domain' in place.scope ? ` outside domain ${place.scope.domain}` : ' outside the platform team';
    return eligible.length > 0
      ? `ask a member of the ${approvers.guild.name}${outside} to approve ${at} and put their id in approvedBy: ${eligible.join(', ')}`
      : `no approver of ${APPROVERS_FILE} may approve ${at}: ask the ${approvers.guild.name} (${approvers.guild.codeowners.join(', ')})`;
  };
  const approver = findApprover(approvers, exception.approvedBy);
  if (!approver) {
    problems.push({
      rule: EXCEPTION_UNKNOWN_APPROVER,
      finding,
      message: `${at} (${names}) is approved by "${exception.approvedBy}", who is not an approver in ${APPROVERS_FILE}`,
      fix: askInstead(),
    });
  } else {
    const conflict = conflictOf(approvers, approver, place.scope);
    if (conflict) {
      problems.push({
        rule: EXCEPTION_SELF_APPROVED,
        finding,
        message: `${at} (${names}) is approved by ${approver.id}, ${conflict}: nobody approves an exception for their own ${'domain' in place.scope ? 'domain' : 'team'}`,
        fix: askInstead(),
      });
    }
  }
  const daysLeft = dayNumber(exception.expires) - dayNumber(today);
  const maxDays = approvers.guild.maxExceptionDays;
  if (daysLeft < 0) {
    problems.push({
      rule: EXCEPTION_EXPIRED,
      finding,
      message: `${at} (${names}, approved by ${exception.approvedBy}) expired on ${exception.expires}`,
      fix: `fix the finding and remove ${at}, or renew it with a new expires date (at most ${addDays(today, maxDays)}) and approval`,
    });
  } else if (daysLeft > maxDays) {
    problems.push({
      rule: EXCEPTION_TOO_LONG,
      finding,
      message: `${at} (${names}) expires on ${exception.expires}, ${daysLeft} days from today (${today}); the ${approvers.guild.name} allows at most ${maxDays} days (${APPROVERS_FILE})`,
      fix: `set expires in ${at} to ${addDays(today, maxDays)} or earlier, and renew it with a fresh approval when it lapses`,
    });
  }
  return problems;
}
