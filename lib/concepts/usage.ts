/**
 * conceptUsage(): which products use which shared concept, per domain, and how ready each domain is to join
 * on them — a static measure of join success: columns that reference a concept / columns that mean one
 * (referencing, plus named like a concept without referencing it). `mesh concepts` prints it.
 */
import type { Mesh } from '../mesh/model';
import type { ConceptRegistry } from '../policies/concept-registry';
import { CONCEPT_REGISTRY } from '../policies/concepts';
import { conceptColumns } from './columns';

/** One column of one product that means a concept, over every live major it appears in. */
export interface ConceptColumnUse {
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly column: string;
  /** Live majors with the column, current first. */
  readonly majors: readonly number[];
  /** Every one of those majors references the concept; false when one only carries a name that means it. */
  readonly referenced: boolean;
}

/** Columns that reference a concept against all columns that mean one. */
export interface JoinReadiness {
  readonly referencing: number;
  /** Named like a concept without referencing it. */
  readonly notReferencing: number;
  /** referencing / (referencing + notReferencing), 0..1; null when no column means a concept. */
  readonly joinReadiness: number | null;
}

/** One domain's columns of one concept. */
export interface DomainConceptUse extends JoinReadiness {
  readonly domain: string;
  readonly columns: readonly ConceptColumnUse[];
}

/** One concept: what it is and where it is used. */
export interface ConceptUsage extends JoinReadiness {
  readonly name: string;
  readonly owner: string;
  readonly type: string;
  readonly pattern?: string;
  readonly description: string;
  /** Only domains with a column that means the concept, by name. */
  readonly domains: readonly DomainConceptUse[];
}

/** The whole picture: per concept, per domain over every concept, and for the mesh. */
export interface ConceptUsageReport {
  readonly concepts: readonly ConceptUsage[];
  /** Every domain of the mesh, by name. */
  readonly domains: readonly ({ readonly domain: string } & JoinReadiness)[];
  readonly mesh: JoinReadiness;
}

/** Counts the columns of every product of the mesh that mean a concept of the registry. */
export function conceptUsage(mesh: Mesh, registry: ConceptRegistry = CONCEPT_REGISTRY): ConceptUsageReport {
  // concept → domain → uses, in registry, domain and product order.
  const uses = new Map<string, Map<string, ConceptColumnUse[]>>(registry.concepts.map((c) => [c.name, new Map()]));
  for (const domain of mesh.domains) {
    for (const product of domain.products) {
      const merged = new Map<string, { concept: string; column: string; majors: number[]; referenced: boolean }>();
      for (const found of conceptColumns(product, registry)) {
        const key = `${found.concept.name}\u0000${found.column.name}`;
        const use = merged.get(key) ?? {
          concept: found.concept.name,
          column: found.column.name,
          majors: [],
          referenced: true,
        };
        use.majors.push(found.major);
        use.referenced &&= found.referenced;
        merged.set(key, use);
      }
      for (const { concept, ...use } of merged.values()) {
        const byDomain = uses.get(concept)!;
        byDomain.set(domain.name, [...(byDomain.get(domain.name) ?? []), { product: product.id, ...use }]);
      }
    }
  }
  const concepts = registry.concepts.map((concept): ConceptUsage => {
    const domains = [...uses.get(concept.name)!].map(([domain, columns]) => ({
      domain,
      ...readiness(columns),
      columns,
    }));
    return {
      name: concept.name,
      owner: concept.owner,
      type: concept.type,
      ...(concept.pattern ? { pattern: concept.pattern } : {}),
      description: concept.description,
      ...readiness(domains.flatMap((d) => d.columns)),
      domains,
    };
  });
  const all = concepts.flatMap((c) => c.domains);
  return {
    concepts,
    domains: mesh.domains.map((d) => ({
      domain: d.name,
      ...readiness(all.filter((u) => u.domain === d.name).flatMap((u) => u.columns)),
    })),
    mesh: readiness(all.flatMap((u) => u.columns)),
  };
}

function readiness(columns: readonly ConceptColumnUse[]): JoinReadiness {
  const referencing = columns.filter((c) => c.referenced).length;
  const notReferencing = columns.length - referencing;
  return { referencing, notReferencing, joinReadiness: columns.length === 0 ? null : referencing / columns.length };
}
