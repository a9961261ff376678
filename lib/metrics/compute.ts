/**
 * computeMeshMetrics(): the mesh's health in numbers, per domain and for the whole mesh — size, coupling
 * across domains, autonomy of the stacks, compliance with the policies, exceptions, sunsets, quality and SLA
 * adherence, and a maturity level with the gaps that hold it back. Pure: the mesh, the day, and the facts read
 * from an assembly and from quality results (lib/metrics/assembly-facts.ts, quality-results.ts) go in; where a
 * fact is missing the number is null, never guessed.
 */
import type { PolicyException } from '../definition/schema';
import { inboundEdgesOf, type Mesh, type MeshProduct, outboundEdgesOf } from '../mesh/model';
import { domainNames } from '../mesh/naming';
import { PLATFORM_EXCEPTIONS_FILE } from '../policies/platform-exceptions';
import type { AssemblyFacts, StackFacts } from './assembly-facts';
import {
  type DomainEvidence,
  domainExceptions,
  type ExceptionState,
  exceptionState,
  isReport,
  majorSunsets,
} from './evidence';
import { assessMaturity, MATURITY_LEVELS, type Maturity } from './maturity';
import type { QualityResultFacts } from './quality-results';

export const PRODUCT_STATUSES = ['draft', 'active', 'deprecated', 'retired'] as const;
export const ARCHETYPES = ['source-aligned', 'aggregate', 'consumer-aligned'] as const;

export type StatusCounts = { readonly [status in (typeof PRODUCT_STATUSES)[number]]: number };
export type ArchetypeCounts = { readonly [archetype in (typeof ARCHETYPES)[number]]: number };

/**
 * Policy compliance over every rule × subject check of the policy reports. An excepted check (a finding an
 * approved exception covers) counts as compliant by exception: rate = (pass + excepted) / (pass + fail +
 * excepted), with `excepted` reported on its own.
 */
export interface Compliance {
  readonly rate: number;
  readonly pass: number;
  readonly fail: number;
  readonly excepted: number;
  /** Failed findings by severity. */
  readonly errors: number;
  readonly warnings: number;
}

export interface ExceptionCounts {
  /** Declared and not expired on the day: they still excuse findings. */
  readonly open: number;
  /** Open ones whose last day is within 30 days. */
  readonly expiringWithin30Days: number;
  /** Declared and past their last day: errors until removed or renewed. */
  readonly expired: number;
}

export interface DomainMetrics {
  readonly domain: string;
  /** CloudFormation stack of the domain. */
  readonly stack: string;
  /** Definition problems blocking the stack; 0 when it builds. */
  readonly problems: number;
  readonly products: number;
  /** Every live major of every product (the current one and earlier ones until their sunset). */
  readonly liveMajors: number;
  readonly productsByStatus: StatusCounts;
  readonly productsByArchetype: ArchetypeCounts;
  /** Edges where the domain's products read other domains' products. */
  readonly edgesIn: number;
  /** Edges where other domains' products read the domain's products. */
  readonly edgesOut: number;
  /** Whether the stack synthesizes alone; null without an assembly to judge by. */
  readonly autonomous: boolean | null;
  /** Why it does not. */
  readonly autonomyGaps: readonly string[];
  /** From the stack's policy report; null without one. */
  readonly compliance: (Compliance & { readonly checkedOn: string }) | null;
  readonly exceptions: ExceptionCounts;
  /** Live majors whose last day is within the contract sunset warning window (SUNSET_WARNING_DAYS). */
  readonly majorsNearSunset: number;
  /** Live majors still defined after their last day. */
  readonly majorsPastSunset: number;
  /**
   * Mean score of the latest quality result of each live major, as a percentage 0..100 (a result's score is
   * the share of its checks that ran and passed, as `mesh check` prints it); null without results.
   */
  readonly qualityScore: number | null;
  /** Passed SLA freshness checks / SLA freshness checks that ran, 0..1; null when none ran. */
  readonly slaAdherence: number | null;
  /** Quality results the two numbers above are computed from (the latest per product major). */
  readonly qualityResults: number;
  readonly maturity: Maturity;
}

export interface MeshTotals {
  readonly domains: number;
  /** One per domain, blocked ones included. */
  readonly domainStacks: number;
  readonly products: number;
  readonly liveMajors: number;
  readonly productsByStatus: StatusCounts;
  readonly productsByArchetype: ArchetypeCounts;
  /** Edges between products of different domains: the mesh's communication overhead. */
  readonly crossDomainEdges: number;
  /** null without an assembly. */
  readonly autonomousStacks: number | null;
  /** Autonomous stacks / domain stacks, 0..1; null without an assembly or without domains. */
  readonly autonomyScore: number | null;
  /** Over every stack that has a policy report; null when none has. */
  readonly compliance: Compliance | null;
  /** The domains' exceptions and the platform's own. */
  readonly exceptions: ExceptionCounts;
  /** The platform's own exceptions (lib/policies/platform-exceptions.ts), counted for the mesh only. */
  readonly platformExceptions: ExceptionCounts;
  readonly majorsNearSunset: number;
  readonly majorsPastSunset: number;
  /** Mean over every latest result of the mesh, 0..100. */
  readonly qualityScore: number | null;
  readonly slaAdherence: number | null;
  readonly qualityResults: number;
  readonly maturity: {
    /** The lowest level of any domain; null without domains. */
    readonly lowest: { readonly level: number; readonly name: string } | null;
    /** Domains at each level, every level listed. */
    readonly domainsByLevel: readonly { readonly level: number; readonly name: string; readonly domains: number }[];
  };
}

/** Where the numbers were read from, as the caller describes it. */
export interface MetricsSources {
  /** The assembly, e.g. `cdk.out`; null when none was read. */
  readonly assembly: string | null;
  /** The assembly was synthesized in-process for these metrics. */
  readonly synthesized: boolean;
  /** Quality result files read. */
  readonly qualityResultFiles: number;
}

export interface MeshMetrics {
  /** Day exceptions and sunsets are judged on (YYYY-MM-DD). */
  readonly today: string;
  readonly domains: readonly DomainMetrics[];
  readonly mesh: MeshTotals;
  /** Inputs left out, and why (a quality result for a product or major the mesh does not serve). */
  readonly notes: readonly string[];
  readonly sources?: MetricsSources;
}

export interface MetricsInput {
  /** The definitions that loaded (a load's `partial` mesh when some domains are blocked). */
  readonly mesh: Mesh;
  /** YYYY-MM-DD. */
  readonly today: string;
  /** Domains whose definitions have problems, as bin/app.ts passes them (folder → problems). @default none */
  readonly blocked?: ReadonlyMap<string, readonly unknown[]>;
  /** Facts of the synthesized assembly; without them autonomy and compliance are null. */
  readonly assembly?: AssemblyFacts;
  /** Quality results (any number, several per product major allowed). @default none */
  readonly quality?: readonly QualityResultFacts[];
  /** @default none: the caller passes PLATFORM_EXCEPTIONS (lib/policies/platform-exceptions.ts) */
  readonly platformExceptions?: readonly PolicyException[];
  readonly sources?: MetricsSources;
}

export function computeMeshMetrics(input: MetricsInput): MeshMetrics {
  const { mesh, today } = input;
  const blocked = input.blocked ?? new Map<string, readonly unknown[]>();
  const notes: string[] = [];
  const latest = latestResults(mesh, input.quality ?? [], notes);
  const names = [...new Set([...mesh.domains.map((d) => d.name), ...[...blocked.keys()].filter((k) => k !== '*')])];
  const evidence = names.sort().map((name) => domainEvidence(input, name, blocked.get(name)?.length ?? 0, latest));
  const domains = evidence.map((e) => domainMetrics(mesh, e));
  const platform = (input.platformExceptions ?? []).map((exception, index) =>
    exceptionState(exception, { subject: 'platform', file: PLATFORM_EXCEPTIONS_FILE, index }, today),
  );
  const platformCounts = exceptionCounts(platform);
  const domainCounts = exceptionCounts(evidence.flatMap((e) => e.exceptions));
  const allResults = evidence.flatMap((e) => e.quality);
  const judged = domains.filter((d) => d.autonomous !== null);
  const reported = domains.flatMap((d) => (d.compliance ? [d.compliance] : []));
  const sum = (pick: (d: DomainMetrics) => number) => domains.reduce((n, d) => n + pick(d), 0);
  return {
    today,
    domains,
    mesh: {
      domains: domains.length,
      domainStacks: domains.length,
      products: sum((d) => d.products),
      liveMajors: sum((d) => d.liveMajors),
      productsByStatus: countBy(
        PRODUCT_STATUSES,
        evidence.flatMap((e) => e.products),
        (p) => p.definition.status,
      ),
      productsByArchetype: countBy(
        ARCHETYPES,
        evidence.flatMap((e) => e.products),
        (p) => p.definition.archetype,
      ),
      crossDomainEdges: mesh.edges.filter((e) => e.consumer.domain !== e.producer.domain).length,
      autonomousStacks: input.assembly ? judged.filter((d) => d.autonomous).length : null,
      autonomyScore:
        input.assembly && domains.length > 0 ? judged.filter((d) => d.autonomous).length / domains.length : null,
      compliance: compliance({
        pass: reported.reduce((n, c) => n + c.pass, 0),
        fail: reported.reduce((n, c) => n + c.fail, 0),
        excepted: reported.reduce((n, c) => n + c.excepted, 0),
        errors: reported.reduce((n, c) => n + c.errors, 0),
        warnings: reported.reduce((n, c) => n + c.warnings, 0),
      }),
      exceptions: {
        open: domainCounts.open + platformCounts.open,
        expiringWithin30Days: domainCounts.expiringWithin30Days + platformCounts.expiringWithin30Days,
        expired: domainCounts.expired + platformCounts.expired,
      },
      platformExceptions: platformCounts,
      majorsNearSunset: sum((d) => d.majorsNearSunset),
      majorsPastSunset: sum((d) => d.majorsPastSunset),
      qualityScore: meanScore(allResults),
      slaAdherence: slaAdherence(allResults),
      qualityResults: allResults.length,
      maturity: {
        lowest:
          domains.length === 0
            ? null
            : domains.reduce((low, d) => (d.maturity.level < low.level ? d.maturity : low), domains[0].maturity),
        domainsByLevel: MATURITY_LEVELS.map(({ level, name }) => ({
          level,
          name,
          domains: domains.filter((d) => d.maturity.level === level).length,
        })),
      },
    },
    notes,
    ...(input.sources ? { sources: input.sources } : {}),
  };
}

function domainEvidence(
  input: MetricsInput,
  name: string,
  problems: number,
  latest: ReadonlyMap<string, QualityResultFacts>,
): DomainEvidence {
  const { mesh, today } = input;
  const domain = mesh.domains.find((d) => d.name === name);
  const products = domain?.products ?? [];
  const stack = domainNames(mesh.config, name).stackName;
  const stackFacts = input.assembly?.stacks.find((s) => s.id === stack);
  const quality = products.flatMap((p) =>
    p.versions.flatMap((v) => {
      const result = latest.get(resultKey(p.id, v.major));
      return result ? [result] : [];
    }),
  );
  return {
    domain: name,
    stack,
    products,
    problems,
    autonomy: autonomy(input, stack, stackFacts, problems),
    report: stackFacts
      ? stackFacts.report
      : { problem: input.assembly ? `${stack} is not in the assembly` : 'no assembly was read' },
    exceptions: domainExceptions(domain, today),
    sunsets: majorSunsets(products, today),
    quality,
    qualityScore: meanScore(quality),
    slaAdherence: slaAdherence(quality),
  };
}

function domainMetrics(mesh: Mesh, e: DomainEvidence): DomainMetrics {
  const report = isReport(e.report) ? e.report : undefined;
  const stackCompliance = report ? compliance(report) : null;
  return {
    domain: e.domain,
    stack: e.stack,
    problems: e.problems,
    products: e.products.length,
    liveMajors: e.products.reduce((n, p) => n + p.versions.length, 0),
    productsByStatus: countBy(PRODUCT_STATUSES, e.products, (p) => p.definition.status),
    productsByArchetype: countBy(ARCHETYPES, e.products, (p) => p.definition.archetype),
    edgesIn: inboundEdgesOf(mesh, e.domain).length,
    edgesOut: outboundEdgesOf(mesh, e.domain).length,
    autonomous: e.autonomy.autonomous,
    autonomyGaps: e.autonomy.reasons,
    compliance: report && stackCompliance ? { ...stackCompliance, checkedOn: report.today } : null,
    exceptions: exceptionCounts(e.exceptions),
    majorsNearSunset: e.sunsets.filter((s) => s.state === 'near').length,
    majorsPastSunset: e.sunsets.filter((s) => s.state === 'past').length,
    qualityScore: e.qualityScore,
    slaAdherence: e.slaAdherence,
    qualityResults: e.quality.length,
    maturity: assessMaturity(e),
  };
}

/**
 * A stack is autonomous when it synthesizes alone: it is in the assembly, its domain is not blocked, none of
 * its templates takes a value from another stack, and the manifest gives it no dependency on another domain
 * stack (asset manifests do not count).
 */
function autonomy(
  input: MetricsInput,
  stack: string,
  facts: StackFacts | undefined,
  problems: number,
): DomainEvidence['autonomy'] {
  if (!input.assembly) return { autonomous: null, reasons: [] };
  const reasons: string[] = [];
  if (problems > 0) reasons.push(`its domain is blocked by ${problems} definition problem${problems === 1 ? '' : 's'}`);
  if (!facts) {
    if (problems === 0) reasons.push(`${stack} is not in the assembly`);
    return { autonomous: false, reasons };
  }
  const byFile = new Map<string, string[]>();
  for (const reference of facts.references) {
    byFile.set(reference.file, [...(byFile.get(reference.file) ?? []), `${reference.kind} ${reference.target}`]);
  }
  for (const [file, references] of byFile) {
    reasons.push(`${file} takes values from other stacks (${references.join(', ')})`);
  }
  const domainStacks = new Set(
    [...input.mesh.domains.map((d) => d.name), ...(input.blocked?.keys() ?? [])].map(
      (name) => domainNames(input.mesh.config, name).stackName,
    ),
  );
  const dependencies = facts.dependsOn.filter((d) => domainStacks.has(d));
  if (dependencies.length > 0) reasons.push(`manifest.json makes ${stack} depend on ${dependencies.join(', ')}`);
  return { autonomous: reasons.length === 0, reasons };
}

/** null when nothing was checked: a rate of no checks would be invented. */
function compliance(counts: Omit<Compliance, 'rate'>): Compliance | null {
  const { pass, fail, excepted, errors, warnings } = counts;
  const checks = pass + fail + excepted;
  if (checks === 0) return null;
  return { rate: (pass + excepted) / checks, pass, fail, excepted, errors, warnings };
}

function exceptionCounts(exceptions: readonly ExceptionState[]): ExceptionCounts {
  return {
    open: exceptions.filter((x) => x.state !== 'expired').length,
    expiringWithin30Days: exceptions.filter((x) => x.state === 'expiring').length,
    expired: exceptions.filter((x) => x.state === 'expired').length,
  };
}

function countBy<K extends string>(
  keys: readonly K[],
  products: readonly MeshProduct[],
  key: (p: MeshProduct) => K,
): { readonly [k in K]: number } {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const product of products) counts[key(product)]++;
  return counts;
}

function resultKey(product: string, major: number): string {
  return `${product}@${major}`;
}

/**
 * The newest result of each live major (by file time; of equal times, the one given last). Results for a
 * product or major the mesh does not serve are left out with a note.
 */
function latestResults(
  mesh: Mesh,
  results: readonly QualityResultFacts[],
  notes: string[],
): Map<string, QualityResultFacts> {
  const live = new Set(
    mesh.domains.flatMap((d) => d.products.flatMap((p) => p.versions.map((v) => resultKey(p.id, v.major)))),
  );
  const latest = new Map<string, QualityResultFacts>();
  for (const result of results) {
    const key = resultKey(result.product, result.major);
    if (!live.has(key)) {
      notes.push(`${result.file}: ${result.product} v${result.major} is not a live major of the mesh; left out`);
      continue;
    }
    const seen = latest.get(key);
    if (!seen || result.modifiedMs >= seen.modifiedMs) latest.set(key, result);
  }
  return latest;
}

/** Mean of the results' scores, as a percentage. */
function meanScore(results: readonly QualityResultFacts[]): number | null {
  if (results.length === 0) return null;
  return (100 * results.reduce((n, r) => n + r.score, 0)) / results.length;
}

function slaAdherence(results: readonly QualityResultFacts[]): number | null {
  const checks = results.reduce((n, r) => n + r.sla.checks, 0);
  if (checks === 0) return null;
  return results.reduce((n, r) => n + r.sla.passed, 0) / checks;
}
