/**
 * The plan of an erasure: every product version in every domain that holds the subject, every version derived
 * from one without the key (to be rebuilt), and the order to work in. Plain functions over the resolved mesh,
 * no I/O: `mesh erase` prints, runs or writes what this returns.
 *
 * A version holds the subject when a column references the subject concept, is named like it, or is declared
 * in privacy.subjectKeys. From every holder the plan walks lineage downstream (a consumer reads
 * `producer@major`): a descendant with a column of the key is erased by key too; one without it is listed to be
 * rebuilt, never skipped. Producers come before consumers, so a scheduled build between two steps cannot copy
 * the subject back from a table not yet erased; rebuilds come last, once every input is clean.
 */
import { createHash } from 'node:crypto';
import type { Owner, ProductSchemaDefinition } from '../definition/schema';
import type { Mesh, MeshProduct, ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';
import type { ConceptRegistry } from '../policies/concept-registry';
import { checkSubjectKeys, type KeyColumn, keyColumnsOf, type SubjectKeyValue } from './erasure-subject';

/** Where a product version lives and who owns it. */
export interface ErasureTarget {
  /** `<domain>/<product>@<major>`, as inputs reference it. */
  readonly ref: string;
  /** `<domain>/<product>`. */
  readonly id: string;
  readonly domain: string;
  readonly product: string;
  readonly major: number;
  /** Full semantic version of the major. */
  readonly version: string;
  readonly current: boolean;
  readonly owner: Owner;
  readonly format: ProductSchemaDefinition['format'];
  /** Glue database, e.g. `acme_sales`. */
  readonly database: string;
  /** Glue table, e.g. `orders_v2`. */
  readonly table: string;
  /** The owning domain's Athena workgroup. */
  readonly workgroup: string;
  /** The domain's data bucket, with `{account}` and `{region}` placeholders. */
  readonly bucket: string;
  /** Key prefix of the version's data, e.g. `products/orders/v2/`. */
  readonly prefix: string;
  /** Column names as the Glue table orders them: Hive tables put partition columns last. */
  readonly columns: readonly string[];
  readonly partitionColumns: readonly string[];
  /** Refs of the versions in the plan it reads from; empty for a version that holds the subject itself. */
  readonly derivedFrom: readonly string[];
}

/** A version whose rows of the subject are deleted. */
export interface EraseStep extends ErasureTarget {
  readonly kind: 'erase';
  /** Position in the order to run, from 1. */
  readonly order: number;
  /** The columns the subject's rows are matched on. */
  readonly keyColumns: readonly KeyColumn[];
}

/** How a derived version without the key is rebuilt from erased inputs. */
export interface Rebuild {
  /** `owner`: the platform does not build this version; its owner rebuilds it. */
  readonly how: 'full-refresh' | 'partition-overwrite' | 'append' | 'owner';
  /** The command that rebuilds it, when the platform can. */
  readonly command?: string;
  /** What to do and why, one sentence. */
  readonly text: string;
}

/** A version derived from a holder that does not carry the key: its aggregates still count the subject. */
export interface RebuildStep extends ErasureTarget {
  readonly kind: 'rebuild';
  readonly order: number;
  readonly rebuild: Rebuild;
}

export type ErasureStep = EraseStep | RebuildStep;

/** What to erase, in order, and what to know. */
export interface ErasurePlan {
  readonly subjects: readonly SubjectKeyValue[];
  /**
   * Short id of the request, from a hash of its keys and values: names staging tables and prefixes without
   * writing the subject's key into object names.
   */
  readonly requestId: string;
  /** Erase steps in dependency order, then rebuild steps in dependency order. */
  readonly steps: readonly ErasureStep[];
  /** Things the owners must know: matches by name only, sources outside the mesh. */
  readonly notes: readonly string[];
}

/** Plans the erasure of the subject; throws ErasureInputError for keys no product holds. */
export function planErasure(mesh: Mesh, subjects: readonly SubjectKeyValue[], registry: ConceptRegistry): ErasurePlan {
  checkSubjectKeys(subjects, mesh, registry);
  const products = mesh.domains.flatMap((d) => d.products);
  const nodes = new Map<string, { product: MeshProduct; version: ProductVersion; derivedFrom: Set<string> }>();
  const keyColumns = new Map<string, KeyColumn[]>();

  for (const product of products) {
    for (const version of product.versions) {
      const columns = subjects.flatMap((s) => keyColumnsOf(product, version, s.key, registry));
      if (columns.length === 0) continue;
      const ref = refOf(product, version.major);
      nodes.set(ref, { product, version, derivedFrom: new Set() });
      keyColumns.set(ref, columns);
    }
  }

  // Every version downstream of a holder. A consumer's earlier majors count too: they were built from the
  // same lineage and are still served, and the definition names only the current major's inputs.
  const queue = [...nodes.keys()];
  while (queue.length > 0) {
    const ref = queue.shift()!;
    const { product, version } = nodes.get(ref)!;
    for (const edge of mesh.edges) {
      if (edge.producer.id !== product.id || edge.major !== version.major) continue;
      for (const consumed of edge.consumer.versions) {
        const consumerRef = refOf(edge.consumer, consumed.major);
        const node = nodes.get(consumerRef);
        if (node) {
          node.derivedFrom.add(ref);
          continue;
        }
        nodes.set(consumerRef, { product: edge.consumer, version: consumed, derivedFrom: new Set([ref]) });
        queue.push(consumerRef);
      }
    }
  }

  const rank = lineageRanks(mesh);
  const sorted = [...nodes.entries()].sort(([, a], [, b]) => {
    const byRank = rank.get(a.product.id)! - rank.get(b.product.id)!;
    return byRank !== 0 ? byRank : a.product.versions.indexOf(a.version) - b.product.versions.indexOf(b.version);
  });

  const erase: Omit<EraseStep, 'order'>[] = [];
  const rebuild: Omit<RebuildStep, 'order'>[] = [];
  const notes: string[] = [];
  for (const [ref, { product, version, derivedFrom }] of sorted) {
    const target = targetOf(mesh, product, version, [...derivedFrom].sort());
    const own = keyColumns.get(ref);
    const columns =
      own ?? subjects.flatMap((s) => keyColumnsOf(product, version, s.key, registry, { inherited: true }));
    if (columns.length > 0) {
      erase.push({ ...target, kind: 'erase', keyColumns: columns });
      notes.push(...matchNotes(ref, columns, target.derivedFrom));
    } else {
      rebuild.push({ ...target, kind: 'rebuild', rebuild: rebuildOf(product, version) });
    }
  }
  const outside = erase.filter((s) => !products.find((p) => p.id === s.id)?.definition.build && s.current);
  if (outside.length > 0) {
    notes.push(
      `${outside.map((s) => s.ref).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not built by the platform but loaded from outside the mesh: erase the subject in the source system too, or the next load brings it back`,
    );
  }
  return {
    subjects,
    requestId: requestIdOf(subjects),
    steps: [...erase, ...rebuild].map((step, i) => ({ ...step, order: i + 1 }) as ErasureStep),
    notes,
  };
}

/** `<domain>/<product>@<major>`. */
export function refOf(product: MeshProduct, major: number): string {
  return `${product.id}@${major}`;
}

/** Eight hex digits of a hash of the request's keys and values, the same for the same request. */
export function requestIdOf(subjects: readonly SubjectKeyValue[]): string {
  const text = JSON.stringify([...subjects].sort((a, b) => (a.key < b.key ? -1 : 1)).map((s) => [s.key, s.value]));
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * Position of every product in an order where each comes after the products it reads (Kahn's algorithm over
 * the edges, ties by id so the order is stable). Input cycles are refused when the mesh loads.
 */
export function lineageRanks(mesh: Mesh): Map<string, number> {
  const ids = mesh.domains.flatMap((d) => d.products.map((p) => p.id)).sort();
  const readsFrom = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const edge of mesh.edges) {
    if (edge.producer.id !== edge.consumer.id) readsFrom.get(edge.consumer.id)?.add(edge.producer.id);
  }
  const rank = new Map<string, number>();
  while (rank.size < ids.length) {
    const ready = ids.filter((id) => !rank.has(id) && [...readsFrom.get(id)!].every((p) => rank.has(p)));
    // A cycle cannot load; should one get here, the rest keeps its id order rather than looping.
    const next = ready.length > 0 ? ready : ids.filter((id) => !rank.has(id));
    for (const id of next) rank.set(id, rank.size);
  }
  return rank;
}

function targetOf(
  mesh: Mesh,
  product: MeshProduct,
  version: ProductVersion,
  derivedFrom: readonly string[],
): ErasureTarget {
  const domain = domainNames(mesh.config, product.domain);
  const names = productVersionNames(product.name, version.major);
  const { columns, format } = version.schema;
  const partitions = columns.filter((c) => c.partition).map((c) => c.name);
  const iceberg = format === 'iceberg';
  return {
    ref: refOf(product, version.major),
    id: product.id,
    domain: product.domain,
    product: product.name,
    major: version.major,
    version: version.version,
    current: version.current,
    owner: product.owner,
    format,
    database: domain.database,
    table: names.table,
    workgroup: domain.workgroup,
    bucket: domain.dataBucket,
    prefix: names.prefix,
    columns: iceberg
      ? columns.map((c) => c.name)
      : [...columns.filter((c) => !c.partition).map((c) => c.name), ...partitions],
    partitionColumns: partitions,
    derivedFrom,
  };
}

function rebuildOf(product: MeshProduct, version: ProductVersion): Rebuild {
  const build = product.definition.build;
  if (!build) {
    return { how: 'owner', text: 'the platform does not build it: its owner rebuilds it from the erased inputs' };
  }
  if (!version.current) {
    return {
      how: 'owner',
      text: 'its build writes the current major only: its owner rebuilds this earlier major from the erased inputs, or retires it early',
    };
  }
  switch (build.mode) {
    case 'full-refresh':
      return {
        how: 'full-refresh',
        command: `npx mesh run ${product.id} --wait`,
        text: 'one run rebuilds every row from the erased inputs',
      };
    case 'partition-overwrite':
      return {
        how: 'partition-overwrite',
        command: `npx mesh run ${product.id} --date <yyyy-mm-dd> --wait`,
        text: "run it for every day the subject's erased rows fed: a run restates the days its SQL reads up to --date",
      };
    case 'append':
      return {
        how: 'append',
        text: "an append build only adds rows with new keys, so no run takes the subject's share out: its owner rebuilds the table from the erased inputs",
      };
  }
}

function matchNotes(ref: string, columns: readonly KeyColumn[], derivedFrom: readonly string[]): string[] {
  return columns.flatMap((column) => {
    if (column.match === 'lookalike') {
      return [
        `${ref}: column ${column.name} is named like concept ${column.key} but does not reference it; it is erased by name: reference the concept (concept: '${column.key}') so it is declared`,
      ];
    }
    if (column.match === 'inherited') {
      return [
        `${ref}: column ${column.name} is erased by name, as the version derives from ${derivedFrom.join(', ')}; declare it in privacy.subjectKeys`,
      ];
    }
    return [];
  });
}
