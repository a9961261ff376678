/**
 * impactOf() and upstreamOf(): what a change to a product reaches downstream, with who owns each product
 * reached, and what a product reads upstream. Plain functions over the resolved mesh's edges, shared by
 * `mesh impact`, `mesh contract diff`, the portal and the metrics.
 */
import type { Mesh, MeshEdge, MeshProduct } from '../mesh/model';

export interface ImpactedConsumer {
  /** `<domain>/<product>` */
  readonly product: string;
  readonly domain: string;
  /** Distance from the changed product: 1 = reads it directly. */
  readonly depth: number;
  /** The edge this consumer is reached through: `<producer id>@<major>` (for depth 1, the changed product). */
  readonly reads: string;
  /**
   * Every major of the producer in `reads` that this consumer reads, ascending: more than one while it
   * migrates from one major to the next (`reads` names the lowest).
   */
  readonly majors: readonly number[];
  /** Product ids from the changed product to this consumer, both included (shortest path). */
  readonly path: readonly string[];
  /** `team <email>` after inheritance (MeshProduct.owner). */
  readonly owner: string;
  /** Support channels as text, e.g. `slack #sales-data`, from MeshProduct.support. */
  readonly support: readonly string[];
  /** True when the consumer's domain differs from the changed product's domain. */
  readonly crossDomain: boolean;
}

export interface ImpactReport {
  readonly product: string;
  /** The major asked about; undefined = every live major. */
  readonly major?: number;
  readonly consumers: readonly ImpactedConsumer[]; // sorted by depth, then id
  /** Domains (other than the product's own) with at least one impacted consumer, sorted. */
  readonly domains: readonly string[];
}

/** A product reference as the command takes it: `<domain>/<product>`, optionally `@<major>`. */
export interface ProductReference {
  readonly product: string;
  readonly major?: number;
}

const REFERENCE = /^([^/@\s]+\/[^/@\s]+)(?:@(\d+))?$/;

/** Parses `<domain>/<product>[@major]`; throws naming the expected form. */
export function parseProductReference(text: string): ProductReference {
  const match = REFERENCE.exec(text);
  if (!match) throw new Error(`"${text}" is not a product reference (expected <domain>/<product>[@major])`);
  return match[2] === undefined ? { product: match[1] } : { product: match[1], major: Number(match[2]) };
}

/**
 * Everything downstream of `product`: its readers (of `major` when given, of any major otherwise) and, level by
 * level, the readers of those at any major, since a consumer's output changes when its input breaks. Throws on
 * an unknown product or a major that is not live, naming what is known.
 */
export function impactOf(mesh: Mesh, product: string, major?: number): ImpactReport {
  const changed = productOrThrow(mesh, product);
  if (major !== undefined && !changed.versions.some((v) => v.major === major)) {
    throw new Error(
      `${product} has no live major ${major} (live: ${changed.versions.map((v) => `@${v.major}`).join(', ')})`,
    );
  }
  const consumers = consumersOf(mesh, changed, major);
  const domains = [...new Set(consumers.filter((c) => c.crossDomain).map((c) => c.domain))].sort();
  return { product, ...(major === undefined ? {} : { major }), consumers, domains };
}

/**
 * The consumers of impactOf() without checking the major: also answers for a major that left the definition
 * (nothing can read it then, so the answer is empty), as `mesh contract diff` needs for a removed major.
 */
export function consumersOf(mesh: Mesh, changed: MeshProduct, major?: number): ImpactedConsumer[] {
  const readers = readersByProducer(mesh.edges);
  const reached = new Map<string, ImpactedConsumer>();
  // The changed product counts as visited, so a cycle back to it (the loader rejects those) cannot list it.
  const visited = new Set<string>([changed.id]);
  let frontier: { product: MeshProduct; path: readonly string[] }[] = [{ product: changed, path: [changed.id] }];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    // Frontier and readers in id order: of two shortest paths, the one through the smaller id is kept.
    for (const { product: producer, path } of frontier) {
      const edges = (readers.get(producer.id) ?? []).filter(
        (e) => depth > 1 || major === undefined || e.major === major,
      );
      for (const [consumerId, reads] of groupByConsumer(edges)) {
        if (visited.has(consumerId)) continue;
        visited.add(consumerId);
        const consumer = reads[0].consumer;
        const majors = [...new Set(reads.map((e) => e.major))];
        const consumerPath = [...path, consumerId];
        reached.set(consumerId, {
          product: consumerId,
          domain: consumer.domain,
          depth,
          reads: `${producer.id}@${majors[0]}`,
          majors,
          path: consumerPath,
          owner: ownerText(consumer),
          support: supportText(consumer),
          crossDomain: consumer.domain !== changed.domain,
        });
        next.push({ product: consumer, path: consumerPath });
      }
    }
    frontier = next.sort((a, b) => compareIds(a.product.id, b.product.id));
  }
  return [...reached.values()].sort((a, b) => a.depth - b.depth || compareIds(a.product, b.product));
}

/**
 * Every product the given one reads, transitively, with depth (1 = direct input), sorted by depth then id.
 * `major` is the major read on the shortest path (the lowest when one product reads several); `majors` every
 * major of it read anywhere upstream.
 */
export function upstreamOf(
  mesh: Mesh,
  product: string,
): { readonly product: string; readonly depth: number; readonly major: number; readonly majors: readonly number[] }[] {
  const start = productOrThrow(mesh, product);
  const inputs = new Map<string, MeshEdge[]>();
  for (const edge of mesh.edges) inputs.set(edge.consumer.id, [...(inputs.get(edge.consumer.id) ?? []), edge]);
  const reached = new Map<string, { product: string; depth: number; major: number; majors: Set<number> }>();
  const visited = new Set<string>([start.id]);
  let frontier = [start.id];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const consumer of frontier) {
      const edges = [...(inputs.get(consumer) ?? [])].sort(
        (a, b) => compareIds(a.producer.id, b.producer.id) || a.major - b.major,
      );
      for (const edge of edges) {
        const id = edge.producer.id;
        reached.get(id)?.majors.add(edge.major);
        if (visited.has(id)) continue;
        visited.add(id);
        reached.set(id, { product: id, depth, major: edge.major, majors: new Set([edge.major]) });
        next.push(id);
      }
    }
    frontier = next.sort(compareIds);
  }
  return [...reached.values()]
    .sort((a, b) => a.depth - b.depth || compareIds(a.product, b.product))
    .map((r) => ({ ...r, majors: [...r.majors].sort((a, b) => a - b) }));
}

/** `team <email>`, as the catalog shows an owner. */
export function ownerText(product: MeshProduct): string {
  return `${product.owner.team} <${product.owner.email}>`;
}

/** Each support channel as `<channel> <url>`. */
export function supportText(product: MeshProduct): string[] {
  return product.support.map((s) => `${s.channel} ${s.url}`);
}

function productOrThrow(mesh: Mesh, id: string): MeshProduct {
  const products = mesh.domains.flatMap((d) => d.products);
  const found = products.find((p) => p.id === id);
  if (!found) {
    throw new Error(
      `unknown product "${id}" (expected <domain>/<product>; products: ${products.map((p) => p.id).join(', ')})`,
    );
  }
  return found;
}

/** Edges by producer id, each list in consumer id then major order. */
function readersByProducer(edges: readonly MeshEdge[]): Map<string, MeshEdge[]> {
  const readers = new Map<string, MeshEdge[]>();
  for (const edge of edges) readers.set(edge.producer.id, [...(readers.get(edge.producer.id) ?? []), edge]);
  for (const list of readers.values()) {
    list.sort((a, b) => compareIds(a.consumer.id, b.consumer.id) || a.major - b.major);
  }
  return readers;
}

/** Sorted edges grouped by consumer, keeping the order. */
function groupByConsumer(edges: readonly MeshEdge[]): Map<string, MeshEdge[]> {
  const groups = new Map<string, MeshEdge[]>();
  for (const edge of edges) groups.set(edge.consumer.id, [...(groups.get(edge.consumer.id) ?? []), edge]);
  return groups;
}

/** Code-unit order, as the rest of the platform sorts ids (not locale order). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
