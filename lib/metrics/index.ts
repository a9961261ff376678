/**
 * Mesh metrics: the mesh's health in numbers per domain and for the mesh (`mesh metrics`, the portal's
 * metrics page). Reading facts (assembly-facts.ts, quality-results.ts, assembly-source.ts) is kept apart from
 * the pure computation (compute.ts) and the maturity table (maturity.ts).
 */
import type { Mesh } from '../mesh/model';
import { PLATFORM_EXCEPTIONS } from '../policies/platform-exceptions';
import { assemblyFacts } from './assembly-source';
import { computeMeshMetrics, type MeshMetrics } from './compute';
import { parseQualityResult } from './quality-results';

export {
  type AssemblyFacts,
  type ReportFacts,
  type ReportFindingFacts,
  readAssemblyFacts,
  type StackFacts,
  type StackReference,
} from './assembly-facts';
export {
  type AssemblySource,
  type AssemblySourceOptions,
  assemblyFacts,
  staleReports,
  synthesizeMeshAssembly,
} from './assembly-source';
export {
  ARCHETYPES,
  type ArchetypeCounts,
  type Compliance,
  computeMeshMetrics,
  type DomainMetrics,
  type ExceptionCounts,
  type MeshMetrics,
  type MeshTotals,
  type MetricsInput,
  type MetricsSources,
  PRODUCT_STATUSES,
  type StatusCounts,
} from './compute';
export { EXCEPTION_NOTICE_DAYS } from './evidence';
export {
  assessMaturity,
  MATURITY_LEVELS,
  MATURITY_THRESHOLDS,
  type Maturity,
  type MaturityCriterion,
  type MaturityLevel,
} from './maturity';
export {
  isSlaCheck,
  parseQualityResult,
  type QualityResultFacts,
  QualityResultsError,
  readQualityResult,
  readQualityResults,
} from './quality-results';

export interface PortalMetricsOptions {
  readonly mesh: Mesh;
  readonly root: string;
  readonly today: string;
  /** An assembly folder; @default cdk.out under the root, read when its reports cover the current stacks */
  readonly assembly?: string;
  /** Quality reports already read (check documents or bare QualityReports), oldest first. */
  readonly reports?: readonly unknown[];
}

/**
 * The metrics as the portal shows them: from an assembly only when one is current (a portal build does not
 * synthesize; without one, autonomy and compliance are null and a note says why).
 */
export function portalMetrics(options: PortalMetricsOptions): MeshMetrics {
  const source = assemblyFacts({
    root: options.root,
    mesh: options.mesh,
    today: options.today,
    assembly: options.assembly,
    synthesize: 'never',
  });
  const quality = (options.reports ?? []).map((report, i) => parseQualityResult(report, `quality report ${i + 1}`, i));
  const metrics = computeMeshMetrics({
    mesh: options.mesh,
    today: options.today,
    assembly: source.facts,
    quality,
    platformExceptions: PLATFORM_EXCEPTIONS,
    sources: { assembly: source.label, synthesized: false, qualityResultFiles: quality.length },
  });
  return source.unused
    ? {
        ...metrics,
        notes: [...metrics.notes, `no assembly read (${source.unused}): autonomy and compliance are unknown`],
      }
    : metrics;
}
