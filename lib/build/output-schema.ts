/**
 * Whether a build's output has the product's columns: the same names in the same order, each of a type of
 * the same family (integers, decimals and doubles, text, date, timestamp, boolean, binary). Precision is left
 * to the engines: a sum of decimal(12,2) is a DECIMAL(38,2) in DuckDB and still fits a decimal(14,2) column.
 */
import { type ColumnType, parseColumnType } from '../definition/column-type';
import type { ProductSchemaDefinition } from '../definition/schema';

/** A column an engine reports. */
export interface OutputColumn {
  readonly name: string;
  /** The engine's spelling, e.g. `DECIMAL(38,2)`. */
  readonly type: string;
}

type Family = 'integer' | 'decimal or double' | 'text' | 'date' | 'timestamp' | 'boolean' | 'binary' | 'nested';

function schemaFamily(type: ColumnType): Family {
  switch (type.kind) {
    case 'varchar':
      return 'text';
    case 'decimal':
      return 'decimal or double';
    case 'primitive':
      return (
        ({ string: 'text', int: 'integer', bigint: 'integer', double: 'decimal or double' } as Record<string, Family>)[
          type.name
        ] ?? (type.name as Family)
      );
    default:
      return 'nested';
  }
}

/** Family of a DuckDB type name; undefined for types no product column can hold (INTERVAL, UUID, ...). */
export function duckDbTypeFamily(type: string): Family | undefined {
  const t = type.toUpperCase();
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (/^(DECIMAL(\(\d+,\s*\d+\))?|DOUBLE|FLOAT|REAL)$/.test(t)) return 'decimal or double';
  if (t === 'VARCHAR') return 'text';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP' || t === 'TIMESTAMP_S' || t === 'TIMESTAMP_MS' || t === 'TIMESTAMP_NS') return 'timestamp';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'BLOB') return 'binary';
  if (t.endsWith('[]') || t.startsWith('STRUCT') || t.startsWith('MAP')) return 'nested';
  return undefined;
}

/** What differs between the output and the schema, one sentence each; empty when they match. */
export function compareOutputColumns(output: readonly OutputColumn[], schema: ProductSchemaDefinition): string[] {
  const differences: string[] = [];
  const want = schema.columns.map((c) => c.name);
  const got = output.map((c) => c.name.toLowerCase());
  const missing = want.filter((name) => !got.includes(name));
  const extra = output.map((c) => c.name).filter((name) => !want.includes(name.toLowerCase()));
  if (missing.length > 0) differences.push(`the output has no column ${missing.join(', ')}`);
  if (extra.length > 0) differences.push(`the output has columns the schema does not: ${extra.join(', ')}`);
  const shared = got.filter((name) => want.includes(name));
  const order = want.filter((name) => got.includes(name));
  if (missing.length === 0 && extra.length === 0 && shared.join() !== order.join()) {
    differences.push(
      `the output columns are in another order than the schema's: got ${output.map((c) => c.name).join(', ')}, the schema has ${want.join(', ')}`,
    );
  }
  for (const column of output) {
    const declared = schema.columns.find((c) => c.name === column.name.toLowerCase());
    if (!declared) continue;
    const expected = schemaFamily(parseColumnType(declared.type));
    const found = duckDbTypeFamily(column.type);
    if (found !== expected) {
      differences.push(
        `column ${declared.name} is ${column.type}${found ? ` (${found})` : ''}, the schema says ${declared.type} (${expected}); CAST it in the SELECT`,
      );
    }
  }
  return differences;
}
