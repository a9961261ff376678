/**
 * Exceptions declared in product and domain files. Each subject's list is read once per synthesis into an
 * index by rule id (re-reading suppressions for every rule is what made cdk-nag slow); findings are then
 * matched by lookup, and the exceptions themselves are judged: expired, unknown rule, not exceptable, unused.
 */
import type { PolicyException } from '../definition/schema';
import type { MeshProduct } from '../mesh/model';
import {
  EXCEPTION_EXPIRED,
  EXCEPTION_NOT_EXCEPTABLE,
  EXCEPTION_UNKNOWN_RULE,
  EXCEPTION_UNUSED,
} from './engine/engine-rules';
import { type EngineRule, isExceptable, type RuleMeta } from './model';
import { PLATFORM_EXCEPTIONS_FILE, type PlatformException, pathPattern } from './platform-exceptions';

/** What a finding belongs to: a product (its file, its exceptions) or a domain. */
export interface Subject {
  readonly kind: 'product' | 'domain';
  /** `<domain>/<product>` for products, the domain name for domains. */
  readonly name: string;
  /** Definition file to change, relative to the project root. */
  readonly file: string;
  readonly exceptions: readonly PolicyException[];
  readonly product?: MeshProduct;
}

/** An exception that excused a finding, with its position in the file. */
export interface AppliedException extends PolicyException {
  /** Index in the subject's `exceptions` list (or in the platform's list). */
  readonly index: number;
  /** Where it is declared when not in the finding's definition file, e.g. the platform's exceptions. */
  readonly declaredIn?: string;
}

/** A finding about an exception itself. */
export interface ExceptionProblem {
  readonly rule: EngineRule;
  readonly finding: string;
  readonly message: string;
  readonly fix: string;
}

type State = 'valid' | 'expired' | 'unknown' | 'not-exceptable';

interface Entry {
  readonly exception: PolicyException;
  readonly index: number;
  readonly state: State;
  matched: boolean;
}

export class ExceptionSet {
  private readonly byRule = new Map<string, Entry[]>();
  private readonly entries: Entry[];

  constructor(
    readonly subject: Subject,
    lookup: (ruleId: string) => RuleMeta | undefined,
    today: string,
  ) {
    this.entries = subject.exceptions.map((exception, index) => {
      const rule = lookup(exception.rule);
      const state: State = !rule
        ? 'unknown'
        : !isExceptable(rule)
          ? 'not-exceptable'
          : exception.expires < today
            ? 'expired'
            : 'valid';
      return { exception, index, state, matched: false };
    });
    for (const entry of this.entries) {
      const list = this.byRule.get(entry.exception.rule);
      if (list) list.push(entry);
      else this.byRule.set(entry.exception.rule, [entry]);
    }
  }

  /** The valid exception that excuses a finding of a rule, if any. */
  cover(ruleId: string, finding: string | undefined): AppliedException | undefined {
    const candidates = this.byRule.get(ruleId);
    if (!candidates) return undefined;
    let covering: Entry | undefined;
    for (const entry of candidates) {
      if (entry.exception.finding !== undefined && entry.exception.finding !== finding) continue;
      entry.matched = true;
      if (entry.state === 'valid' && !covering) covering = entry;
    }
    return covering ? { ...covering.exception, index: covering.index } : undefined;
  }

  /** Findings about the exceptions, once every rule has been matched against them. */
  problems(): ExceptionProblem[] {
    return this.entries.map((entry) => this.problemOf(entry)).filter((p): p is ExceptionProblem => p !== undefined);
  }

  private problemOf(entry: Entry): ExceptionProblem | undefined {
    const { exception, index } = entry;
    const at = `exceptions[${index}]`;
    const names = `${exception.rule}${exception.finding ? `[${exception.finding}]` : ''}`;
    switch (entry.state) {
      case 'unknown':
        return {
          rule: EXCEPTION_UNKNOWN_RULE,
          finding: at,
          message: `${at} names rule ${exception.rule}, which does not exist`,
          fix: `correct the rule id in ${at} (npx mesh policies lists them) or remove it`,
        };
      case 'not-exceptable':
        return {
          rule: EXCEPTION_NOT_EXCEPTABLE,
          finding: at,
          message: `${at} excepts ${exception.rule}, which cannot be excepted`,
          fix: `remove ${at} and fix the finding`,
        };
      case 'expired':
        return {
          rule: EXCEPTION_EXPIRED,
          finding: at,
          message: `${at} (${names}, approved by ${exception.approvedBy}) expired on ${exception.expires}`,
          fix: `fix the finding and remove ${at}, or renew it with a new expires date and approval`,
        };
      case 'valid':
        if (entry.matched) return undefined;
        return {
          rule: EXCEPTION_UNUSED,
          finding: at,
          message: `${at} (${names}) matches no finding`,
          fix: `remove ${at}${exception.finding ? ', or correct its finding to one reported' : ''}`,
        };
    }
  }
}

/**
 * The platform's exceptions (lib/policies/platform-exceptions.ts), matched by rule, finding and construct
 * path. Read once per engine; judged per stack.
 */
export class PlatformExceptionSet {
  private readonly entries: { exception: PlatformException; index: number; patterns: RegExp[]; valid: boolean }[];

  constructor(
    exceptions: readonly PlatformException[],
    lookup: (ruleId: string) => RuleMeta | undefined,
    today: string,
  ) {
    this.entries = exceptions.map((exception, index) => {
      const rule = lookup(exception.rule);
      return {
        exception,
        index,
        patterns: exception.constructs.map(pathPattern),
        valid: rule !== undefined && isExceptable(rule) && exception.expires >= today,
      };
    });
  }

  /** The platform exception covering a finding at a stack-relative construct path, if any. */
  cover(ruleId: string, finding: string | undefined, relativePath: string): AppliedException | undefined {
    for (const entry of this.entries) {
      const { exception } = entry;
      if (!entry.valid || exception.rule !== ruleId) continue;
      if (exception.finding !== undefined && exception.finding !== finding) continue;
      if (!entry.patterns.some((p) => p.test(relativePath))) continue;
      const { constructs: _constructs, ...rest } = exception;
      return { ...rest, index: entry.index, declaredIn: PLATFORM_EXCEPTIONS_FILE };
    }
    return undefined;
  }

  /** Expired (or otherwise invalid) platform exceptions: errors wherever the platform is deployed. */
  problems(): ExceptionProblem[] {
    return this.entries
      .filter((e) => !e.valid)
      .map(({ exception, index }) => ({
        rule: EXCEPTION_EXPIRED,
        finding: `platform[${index}]`,
        message: `platform exception ${index} (${exception.rule}, approved by ${exception.approvedBy}) in ${PLATFORM_EXCEPTIONS_FILE} expired on ${exception.expires} or names a rule that cannot be excepted`,
        fix: `fix the platform defect and remove the exception from ${PLATFORM_EXCEPTIONS_FILE}, or renew it`,
      }));
  }
}
