/**
 * Synth's verdict on the definitions, without synthesizing: the same evaluation the policy engine runs for
 * each domain stack (mesh rules per product and domain, the contract checks, exceptions and their
 * approvals), minus the rules that read templates. `mesh validate` prints it, so what validate accepts,
 * synth accepts, with the same rule ids and messages.
 */
import type { Mesh } from '../mesh/model';
import { domainNames } from '../mesh/naming';
import { currentDate, DEFAULT_SOURCES, defaultRuleRegistry } from './apply';
import { APPROVER_REGISTRY } from './approvers';
import { EXCEPTION_UNUSED } from './engine/engine-rules';
import { evaluateStack } from './engine/evaluate';
import { domainSubject, productSubject } from './engine/governed-stack';
import { PlatformExceptionSet } from './exceptions';
import type { AttachedFinding } from './findings';
import { definitionPaths } from './gate/definition-paths';
import type { MeshFindingSource } from './sources/mesh-finding-source';

export interface DefinitionVerdictOptions {
  /** Project root (contract lock files). */
  readonly root: string;
  /** Calendar day (YYYY-MM-DD, UTC). @default today's date */
  readonly today?: string;
  /** Domains to judge. @default every domain of the mesh */
  readonly domains?: readonly string[];
  /** @default the contract checks, as synth runs them */
  readonly sources?: readonly MeshFindingSource[];
}

/** Findings of every definition rule, by domain, as synth would report them. */
export function definitionVerdict(
  mesh: Mesh,
  options: DefinitionVerdictOptions,
): Map<string, AttachedFinding<string>[]> {
  const today = options.today ?? currentDate();
  const registry = defaultRuleRegistry();
  const judgement = { today, approvers: APPROVER_REGISTRY };
  // Platform exceptions excuse template findings only; none of them can apply without templates.
  const platform = new PlatformExceptionSet([], (id) => registry.get(id), judgement);
  const sources = options.sources ?? DEFAULT_SOURCES;
  const external = sources.flatMap((source) => source.check(mesh, options.root, today));
  const wanted = options.domains ? new Set(options.domains) : undefined;

  const verdict = new Map<string, AttachedFinding<string>[]>();
  for (const domain of mesh.domains) {
    if (wanted && !wanted.has(domain.name)) continue;
    const { stackName } = domainNames(mesh.config, domain.name);
    const paths = definitionPaths(stackName, domain);
    const evaluation = evaluateStack<string>({
      stack: {
        stackName,
        path: stackName,
        mesh,
        domain,
        domainSubject: { subject: domainSubject(domain), anchor: paths.domain },
        products: new Map(
          domain.products.map((p) => [p.name, { subject: productSubject(p), anchor: paths.products.get(p.name)! }]),
        ),
      },
      templates: [],
      pathOf: (anchor) => anchor,
      registry,
      today,
      judgement,
      external,
      platform,
    });
    // Without templates an exception for a resource rule matches nothing yet: synth judges whether it is used.
    verdict.set(
      domain.name,
      evaluation.findings.filter((f) => f.ruleId !== EXCEPTION_UNUSED.id),
    );
  }
  return verdict;
}
