/**
 * contractOf(): the contract of one product major version, derived from its definition — the value a lock
 * records and breaking-change detection compares.
 */
import { parseColumnType, renderGlueType } from '../definition/column-type';
import type { Column, QualityRule } from '../definition/schema';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { productVersionNames } from '../mesh/naming';
import type { ColumnConstraints, ContractColumn, ContractVersion } from './contract-schema';

/** The contract of `version` of `product`, normalized so equal contracts compare and hash equal. */
export function contractOf(product: MeshProduct, version: ProductVersion): ContractVersion {
  const names = productVersionNames(product.name, version.major);
  // Quality rules are written against the current schema; earlier majors keep only their schema.
  const quality = version.current ? normalizeQuality(product.definition.quality) : [];
  const columns = version.schema.columns.map((column) =>
    contractColumn(column, product.classification, constraintsFor(column.name, quality)),
  );
  const { purpose, usage, limitations } = product.definition.description;
  return {
    major: version.major,
    version: version.version,
    sunset: version.sunset,
    table: names.table,
    location: names.prefix,
    format: version.schema.format,
    classification: product.classification,
    partitionKeys: version.schema.columns.filter((c) => c.partition).map((c) => c.name),
    columns,
    description: { purpose, usage, limitations },
    tags: [...product.definition.tags],
    sla: product.definition.sla,
    quality,
  };
}

/** A stable key per quality rule: the rule and what it is about. */
export function qualityKey(rule: QualityRule): string {
  if (rule.rule === 'sql') return `sql(${rule.name})`;
  if (rule.rule === 'unique' && rule.columns) return `unique(${rule.columns.join(',')})`;
  if ('column' in rule && rule.column) return `${rule.rule}(${rule.column})`;
  return rule.rule;
}

/** Rules sorted by key and value lists sorted, so reordering them in a definition is not a change. */
function normalizeQuality(rules: readonly QualityRule[]): QualityRule[] {
  return rules
    .map((rule) => (rule.rule === 'acceptedValues' ? { ...rule, values: sortValues(rule.values) } : rule))
    .sort((a, b) => (qualityKey(a) < qualityKey(b) ? -1 : qualityKey(a) > qualityKey(b) ? 1 : 0));
}

function contractColumn(
  column: Column,
  productClassification: ContractColumn['classification'],
  constraints: ColumnConstraints | undefined,
): ContractColumn {
  return {
    name: column.name,
    type: renderGlueType(parseColumnType(column.type)),
    required: column.required,
    unique: column.unique,
    primaryKey: column.primaryKey,
    classification: column.classification ?? productClassification,
    pii: column.pii,
    description: column.description,
    partition: column.partition,
    constraints,
  };
}

/** The value constraints the quality rules state for one column; several rules of a kind combine to the tightest. */
export function constraintsFor(column: string, rules: readonly QualityRule[]): ColumnConstraints | undefined {
  const constraints: ColumnConstraints = {};
  for (const rule of rules) {
    if (!('column' in rule) || rule.column !== column) continue;
    switch (rule.rule) {
      case 'acceptedValues': {
        const values = constraints.acceptedValues
          ? constraints.acceptedValues.filter((v) => rule.values.includes(v))
          : [...rule.values];
        constraints.acceptedValues = sortValues(values);
        break;
      }
      case 'range':
        constraints.range = tighterRange(constraints.range, {
          min: rule.min,
          max: rule.max,
          exclusive: rule.exclusive,
        });
        break;
      case 'pattern':
        constraints.patterns = [...new Set([...(constraints.patterns ?? []), rule.pattern])].sort();
        break;
      case 'length':
        constraints.length = {
          min: maxDefined(constraints.length?.min, rule.min),
          max: minDefined(constraints.length?.max, rule.max),
        };
        break;
      default:
        break;
    }
  }
  return Object.keys(constraints).length > 0 ? constraints : undefined;
}

type Range = NonNullable<ColumnConstraints['range']>;

function tighterRange(a: Range | undefined, b: Range): Range {
  if (!a) return b;
  // Mixed exclusivity cannot be expressed by one flag; keep the rule that bounds tighter on each side.
  if (a.exclusive !== b.exclusive) {
    return boundSize(a) <= boundSize(b) ? a : b;
  }
  return { min: maxDefined(a.min, b.min), max: minDefined(a.max, b.max), exclusive: a.exclusive };
}

function boundSize(range: Range): number {
  return (range.max ?? Number.POSITIVE_INFINITY) - (range.min ?? Number.NEGATIVE_INFINITY);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Sorted so reordering the values in a definition is not a change. */
function sortValues(values: readonly (string | number)[]): (string | number)[] {
  return [...values].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}
