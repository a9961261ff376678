/**
 * Maturity levels of a domain, as data: each level names the criteria a domain meets on top of the levels
 * below it. A domain is at the highest level whose criteria, and those of every level below, it all meets;
 * its gaps are the unmet criteria of the next level, each a sentence the team can act on, naming the products.
 *
 *   0 Undefined                the domain's definitions do not load, or it defines no product yet.
 *   1 Defined                  every product loads: owned, described, classified (the loader requires them).
 *   2 Contracted               every product has a contract lock in sync and an SLA; every consumer listed in
 *                              a product's access states its purpose.
 *   3 Governed                 no policy error on the stack, no expired exception, no live major past its
 *                              sunset, quality rules on every product.
 *   4 Autonomous and observed  the stack synthesizes alone; quality results exist for the current major of
 *                              every product, with a mean score of at least 95 (of 100) and at least 95 % of SLA
 *                              freshness checks passed; no exception expires within 30 days.
 *
 * Criteria that need the policy report (locks, policy errors) are unmet while there is none: a level is
 * never granted on numbers nobody measured.
 */
import { lockFilePath } from '../contracts/lock';
import type { MeshProduct } from '../mesh/model';
import { type DomainEvidence, EXCEPTION_NOTICE_DAYS, type ExceptionState, isReport } from './evidence';

/** The least mean quality score (0..100) and SLA adherence (0..1) of level 4. */
export const MATURITY_THRESHOLDS = { qualityScore: 95, slaAdherence: 0.95 } as const;

/** The contract rules whose failure means a product's lock is missing or out of step with its definition. */
const LOCK_RULES = ['MESH-CON-001', 'MESH-CON-002', 'MESH-CON-003', 'MESH-CON-006'];

export interface MaturityCriterion {
  /** Stable id, for tools. */
  readonly id: string;
  /** What the criterion asks, for the documentation. */
  readonly requirement: string;
  /** What keeps the domain from meeting it: one actionable sentence each; empty when met. */
  readonly gaps: (evidence: DomainEvidence) => readonly string[];
}

export interface MaturityLevel {
  readonly level: number;
  readonly name: string;
  /** Met on top of the criteria of every level below. */
  readonly criteria: readonly MaturityCriterion[];
}

export interface Maturity {
  readonly level: number;
  readonly name: string;
  /** The unmet criteria of the next level; empty at the top level. */
  readonly gaps: readonly string[];
}

export const MATURITY_LEVELS: readonly MaturityLevel[] = [
  { level: 0, name: 'Undefined', criteria: [] },
  {
    level: 1,
    name: 'Defined',
    criteria: [
      {
        id: 'definitions-load',
        requirement:
          "the domain's definition files load without problems: every product is owned, described and classified",
        gaps: (e) =>
          e.problems === 0
            ? []
            : [
                `Fix the ${plural(e.problems, 'definition problem')} of ${e.domain} (npx mesh validate lists ${e.problems === 1 ? 'it' : 'them'}): until then ${e.stack} cannot be built.`,
              ],
      },
      {
        id: 'has-products',
        requirement: 'the domain defines at least one product',
        gaps: (e) =>
          e.products.length > 0 || e.problems > 0
            ? []
            : [`Define a first product of ${e.domain} (npx mesh new product ${e.domain}/<name>).`],
      },
    ],
  },
  {
    level: 2,
    name: 'Contracted',
    criteria: [
      {
        id: 'contract-locks',
        requirement: 'every product has a contract lock file in sync with its definition (no MESH-CON-001/002/003/006)',
        gaps: (e) => {
          if (!isReport(e.report)) return [noReport(e, 'whether the contract locks are in sync')];
          const report = e.report;
          const unlocked = e.products.filter((p) =>
            report.findings.some(
              (f) =>
                f.status === 'fail' &&
                LOCK_RULES.includes(f.ruleId) &&
                (f.file === p.file || f.file === lockFilePath(p)),
            ),
          );
          return unlocked.length === 0
            ? []
            : [
                `Bring the contract locks of ${ids(unlocked)} in sync with their definitions (npx mesh contract lock <domain>/<product>, then commit the lock files; a breaking change needs a new major first).`,
              ];
        },
      },
      {
        id: 'sla',
        requirement: 'every product declares an SLA',
        gaps: (e) => {
          const missing = e.products.filter((p) => p.definition.sla === undefined);
          return missing.length === 0
            ? []
            : [`Declare an SLA (sla: updateFrequency, retention, freshness) for ${ids(missing)}.`];
        },
      },
      {
        id: 'consumer-purpose',
        requirement: "every consumer listed in a product's access states its purpose",
        gaps: (e) =>
          e.products.flatMap((p) => {
            const silent = p.definition.access.consumers.filter((c) => c.purpose === undefined).map((c) => c.domain);
            return silent.length === 0
              ? []
              : [
                  `State the purpose of ${silent.join(', ')} in the access.consumers of ${p.id} (${p.file}): why ${silent.length === 1 ? 'it reads' : 'they read'} the product.`,
                ];
          }),
      },
    ],
  },
  {
    level: 3,
    name: 'Governed',
    criteria: [
      {
        id: 'no-policy-errors',
        requirement: 'the policy report of the stack has no error',
        gaps: (e) => {
          if (!isReport(e.report)) return [noReport(e, 'whether it has policy errors')];
          const errors = e.report.findings.filter((f) => f.status === 'fail' && f.severity === 'error');
          if (errors.length === 0) return [];
          const about = [...new Set(errors.map((f) => subjectOf(e, f.file)))];
          const rules = [...new Set(errors.map((f) => f.ruleId))];
          return [
            `Fix the ${plural(errors.length, 'policy error')} of ${e.stack} (${rules.join(', ')}) on ${about.join(', ')}: npx cdk synth lists each with its fix.`,
          ];
        },
      },
      {
        id: 'no-expired-exceptions',
        requirement: 'no exception has expired',
        gaps: (e) => {
          const expired = e.exceptions.filter((x) => x.state === 'expired');
          return expired.length === 0
            ? []
            : [
                `Fix the findings of the expired ${expired.length === 1 ? 'exception' : 'exceptions'} ${exceptionList(expired)} and remove ${expired.length === 1 ? 'it' : 'them'}, or renew ${expired.length === 1 ? 'it' : 'them'} with a fresh approval.`,
              ];
        },
      },
      {
        id: 'no-major-past-sunset',
        requirement: 'no live major is served after its sunset',
        gaps: (e) =>
          e.sunsets
            .filter((s) => s.state === 'past')
            .map(
              (s) =>
                `Retire ${s.product} v${s.major}: its sunset ${s.sunset} has passed; remove it from the definition (previousVersions, or the product itself) once its consumers have moved.`,
            ),
      },
      {
        id: 'quality-rules',
        requirement: 'every product has quality rules',
        gaps: (e) => {
          const bare = e.products.filter((p) => p.definition.quality.length === 0);
          return bare.length === 0 ? [] : [`Add quality rules (quality: [...]) to ${ids(bare)}.`];
        },
      },
    ],
  },
  {
    level: 4,
    name: 'Autonomous and observed',
    criteria: [
      {
        id: 'autonomous-stack',
        requirement:
          'the stack synthesizes alone: no Fn::ImportValue or other reference to another stack, no dependency on another domain stack in the manifest',
        gaps: (e) => {
          if (e.autonomy.autonomous === true) return [];
          if (e.autonomy.autonomous === null) {
            return [`Synthesize the mesh so the autonomy of ${e.stack} can be judged (npx cdk synth).`];
          }
          return [`Make ${e.stack} synthesize alone: ${e.autonomy.reasons.join('; ')}.`];
        },
      },
      {
        id: 'quality-results',
        requirement: 'quality results exist for the current major of every product',
        gaps: (e) => {
          const unchecked = e.products.filter(
            (p) => !e.quality.some((q) => q.product === p.id && q.major === p.versions[0].major),
          );
          return unchecked.length === 0
            ? []
            : [
                `Check ${unchecked.map((p) => `${p.id} v${p.versions[0].major}`).join(', ')} (npx mesh check <domain>/<product> --json <file>) and pass the results with --results.`,
              ];
        },
      },
      {
        id: 'quality-score',
        requirement: `the mean quality score of the latest results is at least ${MATURITY_THRESHOLDS.qualityScore}`,
        gaps: (e) => {
          const least = MATURITY_THRESHOLDS.qualityScore;
          if (e.qualityScore === null || e.qualityScore >= least) return [];
          const low = e.quality.filter((q) => 100 * q.score < least);
          return [
            `Raise the quality score of ${e.domain} from ${score(e.qualityScore)} to ${least} or more: ${low.map((q) => `${q.product} v${q.major} scores ${score(100 * q.score)}`).join(', ')} (npx mesh check shows the failing rules).`,
          ];
        },
      },
      {
        id: 'sla-adherence',
        requirement: `at least ${percent(MATURITY_THRESHOLDS.slaAdherence)} of the SLA freshness checks in the latest results pass`,
        gaps: (e) => {
          if (e.slaAdherence === null) {
            const unmeasured = e.products.filter((p) => p.definition.sla?.freshness === undefined);
            if (e.quality.length === 0) return [];
            return [
              unmeasured.length > 0
                ? `Measure freshness: declare sla.freshness for ${ids(unmeasured)}, so its checks show whether the SLA holds.`
                : `No SLA freshness check ran in the results of ${e.domain}: check on data that has the freshness columns.`,
            ];
          }
          if (e.slaAdherence >= MATURITY_THRESHOLDS.slaAdherence) return [];
          const missed = e.quality.filter((q) => q.sla.passed < q.sla.checks);
          return [
            `Meet the freshness SLAs of ${e.domain} (${percent(e.slaAdherence)} of checks pass): ${missed.map((q) => `${q.product} v${q.major}`).join(', ')} failed ${missed.length === 1 ? 'its' : 'their'} freshness check in the latest results.`,
          ];
        },
      },
      {
        id: 'no-exception-expiring',
        requirement: `no exception expires within ${EXCEPTION_NOTICE_DAYS} days`,
        gaps: (e) => {
          const expiring = e.exceptions.filter((x) => x.state === 'expiring');
          return expiring.length === 0
            ? []
            : [
                `Resolve the findings behind ${exceptionList(expiring)}, or renew ${expiring.length === 1 ? 'it' : 'them'} with a fresh approval, before ${expiring.length === 1 ? 'it expires' : 'they expire'}.`,
              ];
        },
      },
    ],
  },
];

/** The domain's level and what holds it back from the next one. */
export function assessMaturity(evidence: DomainEvidence, levels: readonly MaturityLevel[] = MATURITY_LEVELS): Maturity {
  let reached = levels[0];
  for (const level of levels.slice(1)) {
    const gaps = [...new Set(level.criteria.flatMap((c) => c.gaps(evidence)))];
    if (gaps.length > 0) return { level: reached.level, name: reached.name, gaps };
    reached = level;
  }
  return { level: reached.level, name: reached.name, gaps: [] };
}

function noReport(e: DomainEvidence, what: string): string {
  const why = isReport(e.report) ? '' : ` (${e.report.problem})`;
  return `Synthesize the mesh so ${e.stack} has a policy report${why}: without it, nothing tells ${what}.`;
}

/** The product a finding's file belongs to, else the domain. */
function subjectOf(e: DomainEvidence, file: string): string {
  return e.products.find((p) => p.file === file || lockFilePath(p) === file)?.id ?? e.domain;
}

function exceptionList(exceptions: readonly ExceptionState[]): string {
  return exceptions
    .map((x) => {
      const when = x.state === 'expired' ? `expired ${x.expires}` : `expires ${x.expires}`;
      return `${x.rule} on ${x.subject} (exceptions[${x.index}] in ${x.file}, ${when})`;
    })
    .join(', ');
}

function ids(products: readonly MeshProduct[]): string {
  return products.map((p) => p.id).join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A quality score 0..100, to one decimal. */
function score(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}
