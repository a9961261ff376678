/**
 * Values for sample data: what the rules ask of each column, and DuckDB expressions of the row index that
 * satisfy it — accepted values, ranges, pattern pools, lengths, uniqueness, recent times, nested types.
 * Columns of a shared concept draw from the concept's pool, so samples of different products join on it.
 */
import { conceptValues, SHARED_POOL_SIZE } from '../concepts/value-pool';
import { type ColumnType, isNumericType, isTextType, parseColumnType } from '../definition/column-type';
import type { Column } from '../definition/schema';
import type { ProductVersion } from '../mesh/model';
import { findConcept } from '../policies/concept-registry';
import { CONCEPT_REGISTRY } from '../policies/concepts';
import type { QualityCheck } from './checks';
import { duckDbType } from './local-source';
import { sampleMatching } from './regex-sampler';
import { numberLiteral, quoteIdentifier, quoteString, valueLiteral } from './sql-text';

const NULL_SHARE = 20; // one optional value in 20 is NULL
const NON_UNIQUE_POOL = 500;

/** Everything the rules ask of one column. */
export interface ColumnNeeds {
  readonly column: Column;
  readonly type: ColumnType;
  notNull: boolean;
  unique: boolean;
  accepted?: readonly (string | number)[];
  min?: number;
  max?: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  patterns: string[];
  lengthMin?: number;
  lengthMax?: number;
}

/** What the rules that apply to the version ask of each of its columns. */
export function collectNeeds(
  version: ProductVersion,
  checks: readonly QualityCheck[],
  notes: string[],
): Map<string, ColumnNeeds> {
  const needs = new Map<string, ColumnNeeds>();
  for (const column of version.schema.columns) {
    needs.set(column.name, {
      column,
      type: parseColumnType(column.type),
      notNull: column.required || column.primaryKey || column.unique || column.partition !== undefined,
      unique: column.unique || column.primaryKey,
      minExclusive: false,
      maxExclusive: false,
      patterns: [],
    });
  }
  for (const check of checks) {
    if (check.skipped) continue;
    const rule = check.rule;
    const n = check.columns.length === 1 ? needs.get(check.columns[0])! : undefined;
    switch (rule.rule) {
      case 'notNull':
      case 'nullValues':
      case 'freshness':
        n!.notNull = true;
        break;
      case 'unique': {
        const members = check.columns.map((c) => needs.get(c)!);
        // Complete keys only: a key with a NULL part is never a duplicate, so violations would not show.
        for (const member of members) member.notNull = true;
        pickUniqueMember(members).unique = true;
        break;
      }
      case 'acceptedValues':
        n!.accepted = rule.values;
        break;
      case 'range':
        if (rule.min !== undefined && (n!.min === undefined || rule.min >= n!.min)) {
          n!.min = rule.min;
          n!.minExclusive = rule.exclusive;
        }
        if (rule.max !== undefined && (n!.max === undefined || rule.max <= n!.max)) {
          n!.max = rule.max;
          n!.maxExclusive = rule.exclusive;
        }
        break;
      case 'pattern':
        n!.patterns.push(rule.pattern);
        break;
      case 'length':
        if (rule.min !== undefined) n!.lengthMin = Math.max(n!.lengthMin ?? 0, rule.min);
        if (rule.max !== undefined) n!.lengthMax = Math.min(n!.lengthMax ?? Number.MAX_SAFE_INTEGER, rule.max);
        break;
      default:
        break;
    }
  }
  for (const n of needs.values()) {
    if (n.unique && n.accepted)
      notes.push(`${n.column.name} is unique but limited to ${n.accepted.length} accepted values`);
  }
  return needs;
}

/** The key member that can carry uniqueness alone: already unique, else free text or a number, else a time. */
function pickUniqueMember(members: ColumnNeeds[]): ColumnNeeds {
  const free = (n: ColumnNeeds) => !n.accepted && n.patterns.length === 0 && !n.column.partition;
  return (
    members.find((n) => n.unique) ??
    members.find((n) => free(n) && (isTextType(n.type) || isNumericType(n.type))) ??
    members.find((n) => free(n)) ??
    members[0]
  );
}

/** Builds value expressions of row index `idx` (`i`, or `(i - 1)` to copy the previous row). */
export class ValueGenerator {
  readonly pools: { table: string; values: string[] }[] = [];
  readonly joins: { table: string; alias: string; on: string }[] = [];
  private readonly poolOf = new Map<string, { table: string; size: number }>();

  constructor(
    private readonly rows: number,
    private readonly seed: number,
    private readonly notes: string[],
  ) {}

  value(n: ColumnNeeds, idx: string): string {
    const expr = this.present(n, idx);
    if (n.notNull) return expr;
    return `CASE WHEN ${this.hash(idx, `${n.column.name}#null`, NULL_SHARE)} = 0 THEN NULL ELSE ${expr} END`;
  }

  /** `hash(idx, salt) % modulo` as a BIGINT in 0..modulo-1. */
  hash(idx: string, salt: string, modulo: number): string {
    return `CAST(hash(${idx}, ${quoteString(`${this.seed}:${salt}`)}) % ${Math.max(1, Math.floor(modulo))} AS BIGINT)`;
  }

  private present(n: ColumnNeeds, idx: string): string {
    const name = n.column.name;
    // Identity (iceberg) partitions carry no projection settings to draw values from.
    const projection = n.column.partition === true ? undefined : n.column.partition;
    if (projection?.projection === 'enum') return this.pick(projection.values, idx, name, n.type);
    if (projection?.projection === 'integer') {
      return cast(
        `${projection.range[0]} + ${this.hash(idx, name, projection.range[1] - projection.range[0] + 1)}`,
        n.type,
      );
    }
    if (projection?.projection === 'date' && isTextType(n.type)) {
      return `strftime(${TODAY} - CAST(${this.hash(idx, name, 30)} AS INTEGER), ${quoteString(strftimeFormat(projection.format))})`;
    }
    if (n.accepted) return this.pick(n.accepted, idx, name, n.type);
    if (isTextType(n.type)) return this.text(n, idx);
    if (isNumericType(n.type)) return this.number(n, idx);
    return this.other(n.type, idx, name, n.unique);
  }

  private pick(values: readonly (string | number)[], idx: string, salt: string, type: ColumnType): string {
    return cast(`[${values.map(valueLiteral).join(', ')}][1 + ${this.hash(idx, salt, values.length)}]`, type);
  }

  private text(n: ColumnNeeds, idx: string): string {
    const name = n.column.name;
    const fits = (v: string) => v.length >= (n.lengthMin ?? 0) && v.length <= (n.lengthMax ?? Number.MAX_SAFE_INTEGER);
    if (n.patterns.length > 0) {
      const shared = this.conceptPool(n, fits);
      if (shared) {
        const picked = n.unique ? `${idx} % ${shared.size}` : this.hash(idx, name, shared.size);
        return `${this.join(shared.table, picked)}.v`;
      }
      const [first, ...others] = n.patterns;
      const extra = others.map((p) => new RegExp(p));
      const size = n.unique ? this.rows : Math.min(this.rows, NON_UNIQUE_POOL);
      const key = name;
      if (!this.poolOf.has(key)) {
        const table = quoteIdentifier(`pool_${this.pools.length}`);
        const values = sampleMatching(first, size, {
          unique: n.unique,
          seed: this.seed,
          accept: (v) => fits(v) && extra.every((r) => r.test(v)),
        });
        this.pools.push({ table, values });
        this.poolOf.set(key, { table, size: Math.max(1, size) });
      }
      const pool = this.poolOf.get(key)!;
      const picked = n.unique ? `${idx} % ${pool.size}` : this.hash(idx, name, pool.size);
      return `${this.join(pool.table, picked)}.v`;
    }
    const limit = n.type.kind === 'varchar' ? n.type.length : undefined;
    const lengthMax = Math.min(n.lengthMax ?? Number.MAX_SAFE_INTEGER, limit ?? Number.MAX_SAFE_INTEGER);
    const lengthMin = n.lengthMin ?? 0;
    if (n.unique) {
      const width = Math.max(6, String(this.rows).length);
      const prefix = `${name.replace(/_/g, '').slice(0, 3).toUpperCase()}-`;
      const digits = Math.min(Math.max(width, lengthMin), lengthMax);
      if (digits < String(this.rows).length) {
        this.notes.push(`${name} must be unique but can hold only ${lengthMax} characters; values repeat`);
      }
      const withPrefix = prefix.length + width >= lengthMin && prefix.length + width <= lengthMax;
      return withPrefix
        ? `concat(${quoteString(prefix)}, lpad(CAST(${idx} + 1 AS VARCHAR), ${width}, '0'))`
        : `lpad(CAST(${idx} + 1 AS VARCHAR), ${digits}, '0')`;
    }
    const examples = (n.column.examples ?? []).filter((e): e is string => typeof e === 'string' && fits(e));
    if (examples.length > 0) return this.pick(examples, idx, name, n.type);
    if (n.lengthMin !== undefined || n.lengthMax !== undefined || limit !== undefined) {
      const length = Math.max(1, Math.min(Math.max(lengthMin, 1), lengthMax, 8));
      const length0 = lengthMin === 0 && n.lengthMax === 0 ? 0 : length;
      return `upper(substr(md5(concat(${quoteString(name)}, ${this.hash(idx, name, 1000)})), 1, ${length0}))`;
    }
    return `concat(${quoteString(`${name}_`)}, ${this.hash(idx, name, Math.max(10, Math.ceil(this.rows / 10)))})`;
  }

  /**
   * The pool of the concept the column references: its first `rows` values for a unique column (distinct
   * keys), its first SHARED_POOL_SIZE for any other (foreign keys that find those keys). Undefined when the
   * concept has no pattern, or the column's own rules refuse its values (noted: that sample will not join).
   */
  private conceptPool(n: ColumnNeeds, fits: (v: string) => boolean): { table: string; size: number } | undefined {
    const concept = n.column.concept === undefined ? undefined : findConcept(CONCEPT_REGISTRY, n.column.concept);
    if (!concept?.pattern) return undefined;
    const size = Math.max(1, n.unique ? this.rows : SHARED_POOL_SIZE);
    const key = `concept:${concept.name}:${size}`;
    const existing = this.poolOf.get(key);
    const values = existing
      ? this.pools.find((p) => p.table === existing.table)!.values
      : conceptValues(concept, size, this.seed);
    const rules = n.patterns.map((p) => new RegExp(p));
    const refused = values.find((v) => !fits(v) || !rules.every((r) => r.test(v)));
    if (refused !== undefined) {
      this.notes.push(
        `${n.column.name} does not draw from concept ${concept.name}'s values: its rules refuse "${refused}", so the sample does not join other products on it`,
      );
      return undefined;
    }
    if (existing) return existing;
    const table = quoteIdentifier(`pool_${this.pools.length}`);
    this.pools.push({ table, values });
    this.poolOf.set(key, { table, size });
    return { table, size };
  }

  private number(n: ColumnNeeds, idx: string): string {
    const type = n.type;
    const integer = type.kind === 'primitive' && (type.name === 'int' || type.name === 'bigint');
    const step = integer ? 1 : type.kind === 'decimal' ? 10 ** -type.scale : 1e-6;
    let lo = n.min ?? (n.max !== undefined ? n.max - 1000 : 0);
    let hi = n.max ?? lo + 1000;
    if (n.min !== undefined && n.minExclusive) lo += step;
    if (n.max !== undefined && n.maxExclusive) hi -= step;
    if (integer) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    if (type.kind === 'decimal') {
      const capacity = 10 ** (type.precision - type.scale) - step;
      lo = Math.max(lo, -capacity);
      hi = Math.min(hi, capacity);
    }
    if (n.unique) {
      if (n.max !== undefined && lo + this.rows - 1 > hi)
        this.notes.push(`${n.column.name} must be unique; values run past its maximum ${hi}`);
      return cast(`${numberLiteral(lo)} + ${idx}`, type);
    }
    if (integer) return cast(`${numberLiteral(lo)} + ${this.hash(idx, n.column.name, hi - lo + 1)}`, type);
    const spread = `${numberLiteral(lo)} + CAST(${this.hash(idx, n.column.name, 1_000_001)} AS DOUBLE) / 1000000 * ${numberLiteral(hi - lo)}`;
    // Clamped so rounding to the column's scale cannot step outside the range.
    return cast(`least(greatest(${spread}, ${numberLiteral(lo)}), ${numberLiteral(hi)})`, type);
  }

  private other(type: ColumnType, idx: string, salt: string, unique: boolean): string {
    switch (type.kind) {
      case 'array':
        return `[${[0, 1].map((k) => this.nested(type.items, idx, `${salt}[${k}]`)).join(', ')}]`;
      case 'struct':
        return `{${type.fields.map((f) => `${quoteString(f.name)}: ${this.nested(f.type, idx, `${salt}.${f.name}`)}`).join(', ')}}`;
      case 'map':
        return `map([${this.nested(type.key, idx, `${salt}#key`)}], [${this.nested(type.value, idx, `${salt}#value`)}])`;
      case 'primitive':
        switch (type.name) {
          case 'boolean':
            return `${this.hash(idx, salt, 2)} = 0`;
          case 'date':
            // Row 0 is today, so freshness holds; a unique date steps one day back per row.
            return unique
              ? `${TODAY} - CAST(${idx} AS INTEGER)`
              : `${TODAY} - CAST(CASE WHEN ${idx} = 0 THEN 0 ELSE ${this.hash(idx, salt, 365)} END AS INTEGER)`;
          case 'timestamp': {
            const spread = 30 * 86_400;
            return unique
              ? `${NOW} - to_seconds(${idx} * ${Math.max(1, Math.floor(spread / Math.max(1, this.rows)))})`
              : `${NOW} - to_seconds(CASE WHEN ${idx} = 0 THEN 0 ELSE ${this.hash(idx, salt, spread)} END)`;
          }
          case 'binary':
            return `encode(CAST(${idx} AS VARCHAR))`;
          default:
            return cast(this.hash(idx, salt, 1000), type);
        }
      default:
        return cast(this.hash(idx, salt, 1000), type);
    }
  }

  /** Values inside arrays, structs and maps: typed, free of rules. */
  private nested(type: ColumnType, idx: string, salt: string): string {
    if (isTextType(type))
      return cast(`concat(${quoteString(`${salt.replace(/\W+/g, '_')}_`)}, ${this.hash(idx, salt, 100)})`, type);
    if (isNumericType(type)) return cast(`1 + ${this.hash(idx, salt, 100)}`, type);
    return this.other(type, idx, salt, false);
  }

  private join(table: string, on: string): string {
    const existing = this.joins.find((j) => j.table === table && j.on === on);
    if (existing) return existing.alias;
    const alias = `p${this.joins.length}`;
    this.joins.push({ table, alias, on });
    return alias;
  }
}

const NOW = `CAST(timezone('UTC', now()) AS TIMESTAMP)`;
const TODAY = `CAST(timezone('UTC', now()) AS DATE)`;

/** The expression cast to the column type, so the file carries the schema's types. */
export function cast(expr: string, type: ColumnType): string {
  return `CAST(${expr} AS ${duckDbType(type)})`;
}

/** Java date format of a date projection (`yyyy-MM-dd`) as strftime's (`%Y-%m-%d`). */
function strftimeFormat(java: string): string {
  return java.replace(
    /yyyy|MM|dd|HH|mm|ss/g,
    (token) => ({ yyyy: '%Y', MM: '%m', dd: '%d', HH: '%H', mm: '%M', ss: '%S' })[token]!,
  );
}
