/**
 * Exceptions declared in product and domain files. Each subject's list is read once per synthesis into an
 * index by rule id (re-reading suppressions for every rule is what made cdk-nag slow); findings are then
 * matched by lookup, and the exceptions themselves are judged (lib/policies/exception-checks.ts): unknown
 * rule, not exceptable, approver not registered or from the domain itself, too long, expired, unused.
 */
import type { PolicyException } from '../definition/schema';
import type { MeshProduct } from '../mesh/model';
import { EXCEPTION_UNUSED } from './engine/engine-rules';
import { type ExceptionJudgement, type ExceptionProblem, judgeException } from './exception-checks';
import type { RuleMeta } from './model';
import { PLATFORM_EXCEPTIONS_FILE, type PlatformException, pathPattern } from './platform-exceptions';

export type { ExceptionJudgement, ExceptionProblem } from './exception-checks';

/** What a finding belongs to: a product (its file, its exceptions) or a domain. */
export interface Subject {
  readonly kind: 'product' | 'domain';
  /** `<domain>/<product>` for products, the domain name for domains. */
  readonly name: string;
  /** The domain the subject belongs to; its members cannot approve the subject's exceptions. */
  readonly domain: string;
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

interface Entry {
  readonly exception: PolicyException;
  readonly index: number;
  /** Why it excuses nothing; empty when valid. */
  readonly problems: readonly ExceptionProblem[];
  matched: boolean;
}

export class ExceptionSet {
  private readonly byRule = new Map<string, Entry[]>();
  private readonly entries: Entry[];

  constructor(
    readonly subject: Subject,
    lookup: (ruleId: string) => RuleMeta | undefined,
    judgement: ExceptionJudgement,
  ) {
    const scope = { domain: subject.domain };
    this.entries = subject.exceptions.map((exception, index) => {
      const at = `exceptions[${index}]`;
      const problems = judgeException(exception, lookup(exception.rule), { finding: at, label: at, scope }, judgement);
      return { exception, index, problems, matched: false };
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
      if (entry.problems.length === 0 && !covering) covering = entry;
    }
    return covering ? { ...covering.exception, index: covering.index } : undefined;
  }

  /** Findings about the exceptions, once every rule has been matched against them. */
  problems(): ExceptionProblem[] {
    return this.entries.flatMap((entry) => {
      if (entry.problems.length > 0) return entry.problems;
      if (entry.matched) return [];
      const { exception, index } = entry;
      const at = `exceptions[${index}]`;
      const names = `${exception.rule}${exception.finding ? `[${exception.finding}]` : ''}`;
      return [
        {
          rule: EXCEPTION_UNUSED,
          finding: at,
          message: `${at} (${names}) matches no finding`,
          fix: `remove ${at}${exception.finding ? ', or correct its finding to one reported' : ''}`,
        },
      ];
    });
  }
}

/**
 * The platform's exceptions (lib/policies/platform-exceptions.ts), matched by rule, finding and construct
 * path. Read once per engine; judged per stack.
 */
export class PlatformExceptionSet {
  private readonly entries: {
    exception: PlatformException;
    index: number;
    patterns: RegExp[];
    problems: readonly ExceptionProblem[];
  }[];

  constructor(
    exceptions: readonly PlatformException[],
    lookup: (ruleId: string) => RuleMeta | undefined,
    judgement: ExceptionJudgement,
  ) {
    this.entries = exceptions.map((exception, index) => ({
      exception,
      index,
      patterns: exception.constructs.map(pathPattern),
      problems: judgeException(
        exception,
        lookup(exception.rule),
        { finding: `platform[${index}]`, label: `platform exception ${index}`, scope: { platform: true } },
        judgement,
      ),
    }));
  }

  /** The platform exception covering a finding at a stack-relative construct path, if any. */
  cover(ruleId: string, finding: string | undefined, relativePath: string): AppliedException | undefined {
    for (const entry of this.entries) {
      const { exception } = entry;
      if (entry.problems.length > 0 || exception.rule !== ruleId) continue;
      if (exception.finding !== undefined && exception.finding !== finding) continue;
      if (!entry.patterns.some((p) => p.test(relativePath))) continue;
      const { constructs: _constructs, ...rest } = exception;
      return { ...rest, index: entry.index, declaredIn: PLATFORM_EXCEPTIONS_FILE };
    }
    return undefined;
  }

  /** Why platform exceptions excuse nothing: errors wherever the platform is deployed (file: PLATFORM_EXCEPTIONS_FILE). */
  problems(): ExceptionProblem[] {
    return this.entries.flatMap((entry) => entry.problems);
  }
}
