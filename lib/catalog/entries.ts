/**
 * The product catalog as plain data, built from the definitions: what `mesh list` and `mesh show` print and
 * what `--json` hands to other tools.
 */
import type { Mesh, MeshProduct } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';

export interface CatalogVersion {
  readonly major: number;
  readonly version: string;
  readonly table: string;
  readonly prefix: string;
  readonly sunset?: string;
}

export interface CatalogEntry {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  readonly title: string;
  readonly purpose: string;
  readonly archetype: string;
  readonly status: string;
  readonly classification: string;
  readonly visibility: string;
  readonly owner: string;
  readonly tags: readonly string[];
  readonly database: string;
  readonly workgroup: string;
  readonly stack: string;
  readonly versions: readonly CatalogVersion[];
  /** Products this one reads, as `<domain>/<product>@<major>`. */
  readonly inputs: readonly string[];
  /** Products reading this one, as `<domain>/<product>` → major read. */
  readonly consumers: readonly string[];
  readonly file: string;
}

export function catalogEntry(mesh: Mesh, product: MeshProduct): CatalogEntry {
  const names = domainNames(mesh.config, product.domain);
  const { definition } = product;
  return {
    id: product.id,
    domain: product.domain,
    name: product.name,
    title: definition.title ?? product.name,
    purpose: definition.description.purpose,
    archetype: definition.archetype,
    status: definition.status,
    classification: product.classification,
    visibility: definition.access.visibility,
    owner: `${product.owner.team} <${product.owner.email}>`,
    tags: definition.tags,
    database: names.database,
    workgroup: names.workgroup,
    stack: names.stackName,
    versions: product.versions.map((v) => ({
      major: v.major,
      version: v.version,
      ...productVersionNames(product.name, v.major),
      sunset: v.sunset,
    })),
    inputs: definition.inputs,
    consumers: mesh.edges.filter((e) => e.producer === product).map((e) => `${e.consumer.id}@${e.major}`),
    file: product.file,
  };
}

export interface CatalogFilter {
  readonly domain?: string;
  readonly tag?: string;
  /** Words that must all appear in the name, title, purpose, tags or column names (case-insensitive). */
  readonly search?: string;
}

export function searchCatalog(mesh: Mesh, filter: CatalogFilter = {}): CatalogEntry[] {
  const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return mesh.domains
    .flatMap((d) => d.products)
    .filter((p) => !filter.domain || p.domain === filter.domain)
    .filter((p) => !filter.tag || p.definition.tags.includes(filter.tag))
    .filter((p) => {
      if (words.length === 0) return true;
      const text = [
        p.id,
        p.definition.title ?? '',
        p.definition.description.purpose,
        ...p.definition.tags,
        ...p.definition.schema.columns.flatMap((c) => [c.name, c.description ?? '']),
      ]
        .join(' ')
        .toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .map((p) => catalogEntry(mesh, p));
}

/** Lineage as a Mermaid flowchart: producers point at the products built from them. */
export function lineageMermaid(mesh: Mesh): string {
  const id = (p: MeshProduct) => p.id.replace(/[^a-z0-9_]/g, '_');
  const lines = ['flowchart LR'];
  for (const domain of mesh.domains) {
    lines.push(`  subgraph ${domain.name}`);
    for (const product of domain.products) lines.push(`    ${id(product)}["${product.name}"]`);
    lines.push('  end');
  }
  for (const edge of mesh.edges) lines.push(`  ${id(edge.producer)} -->|v${edge.major}| ${id(edge.consumer)}`);
  return `${lines.join('\n')}\n`;
}

/** Lineage in Graphviz dot. */
export function lineageDot(mesh: Mesh): string {
  const lines = ['digraph mesh {', '  rankdir=LR;'];
  for (const domain of mesh.domains) {
    lines.push(`  subgraph "cluster_${domain.name}" {`, `    label="${domain.name}";`);
    for (const product of domain.products) lines.push(`    "${product.id}";`);
    lines.push('  }');
  }
  for (const edge of mesh.edges)
    lines.push(`  "${edge.producer.id}" -> "${edge.consumer.id}" [label="v${edge.major}"];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
