/**
 * What is known about one domain when its metrics and maturity are worked out: its products, whether its
 * stack is blocked or autonomous, its policy report, its exceptions and sunsets judged on a day, and its
 * latest quality results. Plain data built by lib/metrics/compute.ts and read by the maturity criteria.
 */
import { daysBetween, SUNSET_WARNING_DAYS } from '../contracts/sunset';
import type { PolicyException } from '../definition/schema';
import type { MeshDomain, MeshProduct } from '../mesh/model';
import type { ReportFacts } from './assembly-facts';
import type { QualityResultFacts } from './quality-results';

/** An exception is "expiring" this many days ahead of its last day (a team's notice to renew or resolve it). */
export const EXCEPTION_NOTICE_DAYS = 30;

/** One declared exception, judged on a day. */
export interface ExceptionState {
  /** `<domain>/<product>`, the domain name for a domain's exception, or `platform`. */
  readonly subject: string;
  /** File it is declared in, relative to the project root. */
  readonly file: string;
  /** Position in the file's `exceptions`. */
  readonly index: number;
  readonly rule: string;
  readonly expires: string;
  /** Days from the day of the metrics to its last day (negative once expired). */
  readonly daysLeft: number;
  /** `open`: holds, more than the notice ahead; `expiring`: holds, its last day within the notice; `expired`. */
  readonly state: 'open' | 'expiring' | 'expired';
}

/** A live major whose last day is near or past. */
export interface MajorSunset {
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly major: number;
  /** Its last day: the major's sunset, or the product's when earlier. */
  readonly sunset: string;
  readonly daysLeft: number;
  /** `near`: within SUNSET_WARNING_DAYS (the day itself included); `past`: served after its last day. */
  readonly state: 'near' | 'past';
}

export interface DomainEvidence {
  readonly domain: string;
  /** CloudFormation stack of the domain. */
  readonly stack: string;
  /** Products that loaded (for a blocked domain, those without problems). */
  readonly products: readonly MeshProduct[];
  /** Definition problems blocking the domain's stack; 0 when it builds. */
  readonly problems: number;
  /** null without an assembly to judge by; otherwise whether the stack synthesizes alone, and why not. */
  readonly autonomy: { readonly autonomous: boolean | null; readonly reasons: readonly string[] };
  /** The stack's policy report, or why there is none to read. */
  readonly report: ReportFacts | { readonly problem: string };
  readonly exceptions: readonly ExceptionState[];
  readonly sunsets: readonly MajorSunset[];
  /** The newest quality result of each live major that has one. */
  readonly quality: readonly QualityResultFacts[];
  /** Mean score of `quality` as a percentage, 0..100; null without results. */
  readonly qualityScore: number | null;
  /** Passed SLA freshness checks / SLA freshness checks that ran, 0..1; null when none ran. */
  readonly slaAdherence: number | null;
}

export function isReport(report: DomainEvidence['report']): report is ReportFacts {
  return !('problem' in report);
}

/** A declared exception judged on `today`: it holds through its `expires` day. */
export function exceptionState(
  exception: PolicyException,
  where: { readonly subject: string; readonly file: string; readonly index: number },
  today: string,
): ExceptionState {
  const daysLeft = daysBetween(today, exception.expires);
  return {
    ...where,
    rule: exception.rule,
    expires: exception.expires,
    daysLeft,
    state: daysLeft < 0 ? 'expired' : daysLeft <= EXCEPTION_NOTICE_DAYS ? 'expiring' : 'open',
  };
}

/** The exceptions of a domain's file and of its products' files. */
export function domainExceptions(domain: MeshDomain | undefined, today: string): ExceptionState[] {
  if (!domain) return [];
  const own = domain.definition.exceptions.map((e, index) =>
    exceptionState(e, { subject: domain.name, file: domain.file, index }, today),
  );
  const products = domain.products.flatMap((product) =>
    product.definition.exceptions.map((e, index) =>
      exceptionState(e, { subject: product.id, file: product.file, index }, today),
    ),
  );
  return [...own, ...products];
}

/**
 * Live majors within the sunset warning window or past their last day, as the contract checks judge them
 * (lib/contracts/sunset.ts): a product's own sunset ends every one of its majors.
 */
export function majorSunsets(products: readonly MeshProduct[], today: string): MajorSunset[] {
  return products.flatMap((product) =>
    product.versions.flatMap((version): MajorSunset[] => {
      const ends = [version.sunset, product.definition.sunset].filter((d): d is string => d !== undefined).sort();
      if (ends.length === 0) return [];
      const sunset = ends[0];
      const daysLeft = daysBetween(today, sunset);
      if (daysLeft > SUNSET_WARNING_DAYS) return [];
      return [{ product: product.id, major: version.major, sunset, daysLeft, state: daysLeft < 0 ? 'past' : 'near' }];
    }),
  );
}
