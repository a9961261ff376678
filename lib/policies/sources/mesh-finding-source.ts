/**
 * Mesh-level findings other modules compute on their own (e.g. contract rules over lock files), handed to
 * the engine in one flat shape: it attaches them to the product's (or domain's) construct, applies the
 * definitions' exceptions, and lists and documents their rules with the platform's.
 */
import type { Mesh } from '../../mesh/model';
import type { ExternalRule, RuleMeta, Severity } from '../model';

/** One finding of an external check. */
export interface MeshFinding {
  /** Id of one of the source's rules. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** Domain the finding belongs to (its stack reports it). */
  readonly domain: string;
  /** `<domain>/<product>` when the finding is about a product of the mesh; the domain's otherwise. */
  readonly productId?: string;
  /** File to change, relative to the project root. */
  readonly file: string;
  readonly message: string;
  readonly fix: string;
  /** Narrows the finding for exceptions, e.g. `v1`. */
  readonly finding?: string;
}

/** A module's checks over the whole mesh, run once per synthesis. */
export interface MeshFindingSource {
  /** Name for messages, e.g. `contracts`. */
  readonly name: string;
  /** The rules the source reports, with their metadata. */
  readonly rules: readonly RuleMeta[];
  check(mesh: Mesh, root: string, today: string): readonly MeshFinding[];
}

/** The source's rules as registry entries. */
export function externalRules(source: MeshFindingSource): ExternalRule[] {
  return source.rules.map((rule) => ({ ...rule, kind: 'external' as const }));
}
