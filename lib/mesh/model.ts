/**
 * The resolved mesh: plain, frozen data built once from the definition files and passed inward.
 */
import type {
  Classification,
  DomainDefinition,
  Owner,
  ProductDefinition,
  ProductSchemaDefinition,
  SupportChannel,
} from '../definition/schema';
import type { MeshConfig } from './config';

/** One major version of a product that is deployed: the current one, or an earlier one until its sunset. */
export interface ProductVersion {
  readonly major: number;
  /** Full semantic version published for this major. */
  readonly version: string;
  readonly schema: ProductSchemaDefinition;
  /** Last day an earlier major is served; undefined for the current major. */
  readonly sunset?: string;
  readonly current: boolean;
}

export interface MeshProduct {
  /** `<domain>/<product>`. */
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  /** Definition file, relative to the project root. */
  readonly file: string;
  readonly definition: ProductDefinition;
  /** Owner after inheriting the domain's. */
  readonly owner: Owner;
  /** Support channels after inheriting the domain's. */
  readonly support: readonly SupportChannel[];
  /** Classification after inheriting the domain default. */
  readonly classification: Classification;
  /** Current major first, then earlier majors still served. */
  readonly versions: readonly ProductVersion[];
}

export interface MeshDomain {
  readonly name: string;
  /** Domain file, relative to the project root. */
  readonly file: string;
  readonly definition: DomainDefinition;
  /** Sorted by name, so nothing downstream depends on file system order. */
  readonly products: readonly MeshProduct[];
}

/** A consumer product reading one major of a producer product. */
export interface MeshEdge {
  readonly consumer: MeshProduct;
  readonly producer: MeshProduct;
  readonly major: number;
}

export interface Mesh {
  readonly config: MeshConfig;
  /** Sorted by name. */
  readonly domains: readonly MeshDomain[];
  readonly edges: readonly MeshEdge[];
}

export function currentVersion(product: MeshProduct): ProductVersion {
  return product.versions[0];
}

export function findDomain(mesh: Mesh, name: string): MeshDomain | undefined {
  return mesh.domains.find((d) => d.name === name);
}

export function findProduct(mesh: Mesh, domain: string, name: string): MeshProduct | undefined {
  return findDomain(mesh, domain)?.products.find((p) => p.name === name);
}

export function allProducts(mesh: Mesh): MeshProduct[] {
  return mesh.domains.flatMap((d) => d.products);
}

/** Edges where the given domain's products consume other domains' products. */
export function inboundEdgesOf(mesh: Mesh, domain: string): MeshEdge[] {
  return mesh.edges.filter((e) => e.consumer.domain === domain && e.producer.domain !== domain);
}

/** Edges where other domains consume the given domain's products. */
export function outboundEdgesOf(mesh: Mesh, domain: string): MeshEdge[] {
  return mesh.edges.filter((e) => e.producer.domain === domain && e.consumer.domain !== domain);
}
