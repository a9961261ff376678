/**
 * Local files a product version is checked on: which files, which DuckDB reader, and whether their columns
 * are the version's columns — each refused with a message that says what to fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type ColumnType,
  isNumericType,
  isPrimitiveType,
  isTextType,
  type PrimitiveTypeName,
  parseColumnType,
} from '../definition/column-type';
import type { ProductSchemaDefinition } from '../definition/schema';
import { quoteIdentifier, quoteString } from './sql-text';

/** DuckDB reader for a storage format. */
/** Formats of local files; an Iceberg product's data files are Parquet. */
export type LocalFormat = Exclude<ProductSchemaDefinition['format'], 'iceberg'>;

/** The file format a product's data is stored in. */
export function fileFormatOf(format: ProductSchemaDefinition['format']): LocalFormat {
  return format === 'iceberg' ? 'parquet' : format;
}

/** Files found under the given path, all read with one reader. */
export interface LocalSource {
  /** The path as given. */
  readonly path: string;
  /** Absolute paths of the data files, sorted. */
  readonly files: readonly string[];
  readonly format: LocalFormat;
}

/** A local path that cannot be checked; the message names the path and the fix. */
export class LocalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalInputError';
  }
}

const EXTENSIONS: Record<LocalFormat, readonly string[]> = {
  parquet: ['.parquet', '.parq', '.pq'],
  csv: ['.csv', '.csv.gz', '.tsv'],
  json: ['.json', '.jsonl', '.ndjson', '.json.gz', '.jsonl.gz', '.ndjson.gz'],
};
const ALL_EXTENSIONS = Object.values(EXTENSIONS).flat().join(', ');

/** Storage format a file name implies, if its extension is a known one. */
export function formatOfFile(file: string): LocalFormat | undefined {
  const name = file.toLowerCase();
  return (Object.keys(EXTENSIONS) as LocalFormat[]).find((format) =>
    EXTENSIONS[format].some((ext) => name.endsWith(ext)),
  );
}

/**
 * Finds the data files of a file or folder. A file is read by its extension (the product's format when the
 * extension says nothing); a folder by the product's format, or by the only format its files have.
 */
export function resolveLocalSource(inputPath: string, productFormat: LocalFormat): LocalSource {
  const absolute = path.resolve(inputPath);
  if (!fs.existsSync(absolute)) throw new LocalInputError(`no such file or folder: ${inputPath}`);
  const stat = fs.statSync(absolute);
  if (stat.isFile()) {
    if (stat.size === 0) throw new LocalInputError(`${inputPath} is empty (0 bytes)`);
    return { path: inputPath, files: [absolute], format: formatOfFile(absolute) ?? productFormat };
  }

  const byFormat = new Map<LocalFormat, string[]>();
  for (const file of listFiles(absolute)) {
    const format = formatOfFile(file);
    if (format) byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
  }
  if (byFormat.size === 0) {
    throw new LocalInputError(`${inputPath} holds no data files (looked for ${ALL_EXTENSIONS})`);
  }
  const format = byFormat.has(productFormat)
    ? productFormat
    : byFormat.size === 1
      ? [...byFormat.keys()][0]
      : undefined;
  if (!format) {
    const found = [...byFormat].map(([f, files]) => `${files.length} ${f}`).join(', ');
    throw new LocalInputError(
      `${inputPath} holds no ${productFormat} files (the product's format) but several other formats (${found}); point at one file or a folder of one format`,
    );
  }
  const files = byFormat.get(format)!.sort();
  const empty = files.filter((f) => fs.statSync(f).size === 0);
  if (empty.length > 0) {
    throw new LocalInputError(
      `${inputPath} holds empty files (0 bytes): ${empty.map((f) => path.relative(absolute, f)).join(', ')}`,
    );
  }
  return { path: inputPath, files, format };
}

/** Files under a folder, hidden and marker files (`.crc`, `_SUCCESS`) left out. */
function listFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !/^[._]/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * The DuckDB table function reading the files. With a schema, CSV and JSON columns are read as the schema's
 * types instead of detected ones, so text that looks like a date or a number stays text and bad values fail
 * loudly; Parquet files carry their own types (see compareColumnTypes).
 */
export function localRelation(source: LocalSource, schema?: ProductSchemaDefinition): string {
  const files = `[${source.files.map(quoteString).join(', ')}]`;
  const options: string[] = [];
  if (source.files.length > 1) options.push('union_by_name = true');
  const typed = (schema?.columns ?? [])
    .map((c) => ({ name: c.name, type: parseColumnType(c.type) }))
    .filter((c) => source.format === 'json' || isPrimitiveType(c.type))
    .map((c) => `${quoteString(c.name)}: ${quoteString(duckDbType(c.type))}`);
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${[files, ...options].join(', ')})`;
    case 'json':
      if (typed.length > 0) options.push(`columns = {${typed.join(', ')}}`);
      return `read_json${typed.length > 0 ? '' : '_auto'}(${[files, ...options].join(', ')})`;
    case 'csv':
      options.unshift('header = true');
      if (typed.length > 0) options.push(`types = {${typed.join(', ')}}`);
      return `read_csv_auto(${[files, ...options].join(', ')})`;
  }
}

const DUCKDB_PRIMITIVES: Record<PrimitiveTypeName, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** DuckDB spelling of a column type, nested types included. */
export function duckDbType(type: ColumnType): string {
  switch (type.kind) {
    case 'primitive':
      return DUCKDB_PRIMITIVES[type.name];
    case 'varchar':
      return 'VARCHAR';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'array':
      return `${duckDbType(type.items)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdentifier(f.name)} ${duckDbType(f.type)}`).join(', ')})`;
    case 'map':
      return `MAP(${duckDbType(type.key)}, ${duckDbType(type.value)})`;
  }
}

type TypeFamily = 'text' | 'number' | 'boolean' | 'date' | 'timestamp' | 'binary' | 'array' | 'struct' | 'map';

/** Broad kind of a schema type, the level at which a file can be told to hold the wrong data. */
function schemaFamily(type: ColumnType): TypeFamily {
  if (isTextType(type)) return 'text';
  if (isNumericType(type)) return 'number';
  if (type.kind === 'primitive') return type.name as 'boolean' | 'date' | 'timestamp' | 'binary';
  return type.kind as 'array' | 'struct' | 'map';
}

/** Broad kind of a type DuckDB reports; undefined for kinds the schema cannot express. */
function duckDbFamily(type: string): TypeFamily | undefined {
  const t = type.toUpperCase();
  if (t.endsWith('[]') || /^[A-Z]+\[\d+\]$/.test(t)) return 'array';
  if (t.startsWith('STRUCT')) return 'struct';
  if (t.startsWith('MAP')) return 'map';
  if (t === 'VARCHAR') return 'text';
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|REAL|DOUBLE|DECIMAL.*)$/.test(t)) return 'number';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t === 'BLOB') return 'binary';
  return undefined;
}

/**
 * Columns whose values are of another kind than the schema says (`order_date is DATE, the schema says
 * string`). Only broad kinds are compared: int vs bigint or decimal precision is left to the engines.
 */
export function compareColumnTypes(
  found: readonly { readonly name: string; readonly type: string }[],
  schema: ProductSchemaDefinition,
): string[] {
  const expected = new Map(schema.columns.map((c) => [c.name.toLowerCase(), c]));
  return found.flatMap((column) => {
    const declared = expected.get(column.name.toLowerCase());
    const family = duckDbFamily(column.type);
    if (!declared || family === undefined || family === schemaFamily(parseColumnType(declared.type))) return [];
    return [`${column.name} is ${column.type}, the schema says ${declared.type}`];
  });
}

/** Columns the files lack and columns they have beyond the schema, compared as Athena does (ignoring case). */
export function compareColumns(
  found: readonly string[],
  schema: ProductSchemaDefinition,
): { readonly missing: string[]; readonly extra: string[] } {
  const have = new Set(found.map((c) => c.toLowerCase()));
  const want = new Set(schema.columns.map((c) => c.name.toLowerCase()));
  return {
    missing: schema.columns.map((c) => c.name).filter((c) => !have.has(c.toLowerCase())),
    extra: found.filter((c) => !want.has(c.toLowerCase())),
  };
}
