/**
 * Sensitivity along lineage: what personal or restricted data a product version holds, its own and what it
 * carries on from its inputs, and how a product that reads such data is judged. A product that reads a
 * sensitive input is at least as protected as the input (classification, visibility, consumers that may read
 * the input, each with a purpose), unless it declares the input's sensitive columns removed (dropped or
 * pseudonymized, checked against its schema and build SQL) or carries an approved declassification.
 */

import { lineAndColumn } from '../build/sql-position';
import { CLASSIFICATIONS, type Classification, type RemovedPersonalData } from '../definition/schema';
import { findProduct, type Mesh, type MeshProduct } from '../mesh/model';
import { mayConsume } from '../mesh/resolve';
import { columnUses } from './sql-column-use';

/** Why a column is protected. */
export type SensitiveReason = 'pii' | 'restricted';

/** The sensitive data one product version holds. */
export interface Sensitivity {
  /** Sensitive columns by name, with why and where the data comes from (`own` or an input reference). */
  readonly columns: ReadonlyMap<string, { readonly reason: SensitiveReason; readonly from: string }>;
  /**
   * Sensitive data that no column names: a restricted product, or an input's sensitive columns the product
   * neither keeps by name nor declares removed. Only protection or a declassification clears it.
   */
  readonly unnamed: readonly string[];
  /** The strictest classification the data carries. */
  readonly classification: Classification;
}

const RANK = new Map<Classification, number>(CLASSIFICATIONS.map((c, i) => [c, i]));

function stricter(a: Classification, b: Classification): Classification {
  return (RANK.get(a) ?? 0) >= (RANK.get(b) ?? 0) ? a : b;
}

export function isSensitiveData(sensitivity: Sensitivity): boolean {
  return sensitivity.columns.size > 0 || sensitivity.unnamed.length > 0;
}

/** The input reference `<domain>/<product>@<major>` of a version. */
export function referenceOf(product: MeshProduct, major: number): string {
  return `${product.id}@${major}`;
}

/** Computes sensitivities over the mesh once per version; cycles are refused at load, so recursion ends. */
export class LineageSensitivity {
  private readonly known = new Map<string, Sensitivity>();

  constructor(private readonly mesh: Mesh) {}

  /** The producer a reference of `product.definition.inputs` names, when it is loaded. */
  inputOf(reference: string): { product: MeshProduct; major: number } | undefined {
    const match = /^([a-z][a-z0-9_]*)\/([a-z][a-z0-9_]*)@(\d+)$/.exec(reference);
    if (!match) return undefined;
    const product = findProduct(this.mesh, match[1], match[2]);
    return product ? { product, major: Number(match[3]) } : undefined;
  }

  /** What the version `major` of `product` holds. */
  of(product: MeshProduct, major: number): Sensitivity {
    const key = referenceOf(product, major);
    const cached = this.known.get(key);
    if (cached) return cached;
    const version = product.versions.find((v) => v.major === major) ?? product.versions[0];
    const columns = new Map<string, { reason: SensitiveReason; from: string }>();
    const unnamed: string[] = [];
    let classification: Classification = product.classification;
    for (const column of version.schema.columns) {
      if (column.pii || column.classification === 'restricted') {
        columns.set(column.name, { reason: column.pii ? 'pii' : 'restricted', from: 'own' });
        classification = stricter(classification, column.classification ?? 'confidential');
      }
    }
    if (product.classification === 'restricted') unnamed.push(`${product.id} is classified restricted`);
    // Inputs feed the current major only; earlier majors keep what they were published with.
    if (version.current) {
      const own = new Set(version.schema.columns.map((c) => c.name));
      for (const reference of product.definition.inputs) {
        const input = this.inputOf(reference);
        if (!input || declassifies(product, reference)) continue;
        const carried = this.of(input.product, input.major);
        const removed = removedColumns(product, reference);
        for (const [name, info] of carried.columns) {
          if (removed.has(name)) continue;
          if (own.has(name)) {
            if (!columns.has(name)) columns.set(name, { reason: info.reason, from: reference });
          } else {
            unnamed.push(`${reference}'s ${info.reason} column ${name}`);
          }
        }
        unnamed.push(...carried.unnamed.map((what) => `${what} (through ${reference})`));
        if (carried.columns.size > 0 || carried.unnamed.length > 0) {
          classification = stricter(classification, carried.classification);
        }
      }
    }
    const sensitivity: Sensitivity = { columns, unnamed, classification };
    this.known.set(key, sensitivity);
    return sensitivity;
  }
}

/** Whether the product's declassification covers the input (all sensitive inputs when it lists none). */
export function declassifies(product: MeshProduct, reference: string): boolean {
  const declassification = product.definition.privacy?.declassification;
  return declassification !== undefined && (declassification.inputs?.includes(reference) ?? true);
}

function removedColumns(product: MeshProduct, reference: string): Set<string> {
  return new Set(
    (product.definition.privacy?.removes ?? []).filter((r) => r.input === reference).flatMap((r) => r.columns),
  );
}

/** One way a product falls short; `path` is the field of the product file to change. */
export interface LineageProblem {
  readonly finding: string;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Every way `product` falls short of the protection its sensitive inputs need, and every declared removal
 * that its schema or build contradicts. The declassification's approval is judged by the caller.
 */
export function judgeLineage(product: MeshProduct, sensitivity: LineageSensitivity): LineageProblem[] {
  const problems: LineageProblem[] = [...checkRemovals(product, sensitivity)];
  for (const reference of product.definition.inputs) {
    const input = sensitivity.inputOf(reference);
    if (!input || declassifies(product, reference)) continue;
    const carried = sensitivity.of(input.product, input.major);
    if (!isSensitiveData(carried)) continue;
    const removed = removedColumns(product, reference);
    const kept = [...carried.columns.keys()].filter((name) => !removed.has(name));
    if (kept.length === 0 && carried.unnamed.length === 0) continue;
    const shortfalls = protectionShortfalls(product, input.product, carried.classification);
    if (shortfalls.length === 0) continue;
    const what = [
      ...(kept.length > 0 ? [`${kept.join(', ')} (${describeReasons(carried, kept)})`] : []),
      ...carried.unnamed,
    ].join('; ');
    const removable = carried.unnamed.length === 0;
    problems.push({
      finding: `Input::${reference}`,
      path: 'inputs',
      message: `reads sensitive data of ${reference} — ${what} — but ${shortfalls.join(', ')}`,
      fix: [
        `protect it like its input (${protectionFix(product, input.product, carried.classification)})`,
        ...(removable
          ? [
              `or declare what it removes: privacy: { removes: [{ input: '${reference}', columns: [${kept.map((c) => `'${c}'`).join(', ')}], how: 'dropped' }] }`,
            ]
          : []),
        `or carry a privacy.declassification approved by the governance guild`,
      ].join(', '),
    });
  }
  return problems;
}

function describeReasons(carried: Sensitivity, names: readonly string[]): string {
  const reasons = new Set(names.map((n) => carried.columns.get(n)?.reason));
  return [...reasons].filter(Boolean).join(' and ');
}

/** What makes `product` less protected than its sensitive input `producer`. */
function protectionShortfalls(product: MeshProduct, producer: MeshProduct, needed: Classification): string[] {
  const shortfalls: string[] = [];
  const floor = stricter(needed, 'confidential');
  if ((RANK.get(product.classification) ?? 0) < (RANK.get(floor) ?? 0)) {
    shortfalls.push(`it is classified ${product.classification} (needs ${floor} or stricter)`);
  }
  const { visibility, consumers } = product.definition.access;
  if (visibility === 'mesh') shortfalls.push('it is visible to the whole mesh');
  const outsiders = consumers.filter((c) => visibility === 'consumers' && !mayConsume(producer, c.domain));
  if (outsiders.length > 0) {
    shortfalls.push(
      `it is read by ${outsiders.map((c) => c.domain).join(', ')}, which may not read ${producer.id} itself`,
    );
  }
  const purposeless = consumers.filter((c) => visibility === 'consumers' && !c.purpose?.trim());
  if (purposeless.length > 0) {
    shortfalls.push(`consumer ${purposeless.map((c) => c.domain).join(', ')} has no purpose`);
  }
  return shortfalls;
}

function protectionFix(product: MeshProduct, producer: MeshProduct, needed: Classification): string {
  const allowed = [
    producer.domain,
    ...(producer.definition.access.visibility === 'consumers'
      ? producer.definition.access.consumers.map((c) => c.domain)
      : []),
  ].filter((d) => d !== product.domain);
  const level = stricter(needed, 'confidential');
  if (allowed.length === 0) return `classification: '${level}', access: { visibility: 'domain' }`;
  return `classification: '${level}', access: { visibility: 'consumers', consumers: [{ domain, purpose }] } naming only domains that may read ${producer.id} (${[...new Set(allowed)].join(', ')})`;
}

/** Declared removals that do not hold: unknown input or column, a dropped column still in the schema or SQL. */
function checkRemovals(product: MeshProduct, sensitivity: LineageSensitivity): LineageProblem[] {
  const problems: LineageProblem[] = [];
  const own = new Set(product.definition.schema.columns.map((c) => c.name));
  const sql = product.definition.build?.sql;
  (product.definition.privacy?.removes ?? []).forEach((removal: RemovedPersonalData, i) => {
    const path = `privacy.removes[${i}]`;
    // An input the product does not read is a definition problem (check-product.ts): never seen here.
    const input = sensitivity.inputOf(removal.input);
    if (!input) return;
    const version = input.product.versions.find((v) => v.major === input.major);
    const inputColumns = new Set(version?.schema.columns.map((c) => c.name) ?? []);
    removal.columns.forEach((column, c) => {
      const at = `${path}.columns[${c}]`;
      if (!inputColumns.has(column)) {
        problems.push({
          finding: `Removal::${removal.input}.${column}`,
          path: at,
          message: `declares column "${column}" of ${removal.input} removed, but ${removal.input} has no such column`,
          fix: `name a column of ${removal.input} (${[...inputColumns].join(', ')}) in ${at}`,
        });
        return;
      }
      if (removal.how === 'dropped' && own.has(column)) {
        problems.push({
          finding: `Removal::${removal.input}.${column}`,
          path: at,
          message: `declares column "${column}" of ${removal.input} dropped, but its own schema has a column "${column}"`,
          fix: `remove column "${column}" from the schema, rename it if it holds something else, or declare how: 'pseudonymized' if it holds a one-way hash`,
        });
      }
      if (sql === undefined) return;
      const uses = columnUses(sql, removal.input, column).filter(
        (use) => removal.how === 'dropped' || !use.hashed || use.kind === 'star',
      );
      for (const use of uses) {
        const { line, column: col } = lineAndColumn(sql, use.offset);
        const how = removal.how === 'dropped' ? 'dropped' : 'pseudonymized';
        problems.push({
          finding: `Removal::${removal.input}.${column}`,
          path,
          message: `declares column "${column}" of ${removal.input} ${how}, but build.sql line ${line}, column ${col} ${
            use.kind === 'star'
              ? `selects ${use.text}, which passes it through`
              : removal.how === 'dropped'
                ? `uses ${use.text}`
                : `uses ${use.text} outside a one-way hash`
          }`,
          fix:
            use.kind === 'star'
              ? 'list the columns the build needs instead of *'
              : removal.how === 'dropped'
                ? `stop selecting ${use.text} (qualify another input's column of the same name with its alias), or declare how: 'pseudonymized' and hash it`
                : `wrap ${use.text} in a one-way hash such as to_hex(sha256(to_utf8(${use.text}))), or stop selecting it`,
        });
      }
    });
  });
  return problems;
}
