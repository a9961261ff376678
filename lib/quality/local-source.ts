/**
 * Local files a product version is checked on: which files, which DuckDB reader, and whether their columns
 * are the version's columns — each refused with a message that says what to fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ColumnType, isPrimitiveType, parseColumnType } from '../definition/column-type';
import type { ProductSchemaDefinition } from '../definition/schema';
import { quoteString } from './sql-text';

/** DuckDB reader for a storage format. */
export type LocalFormat = ProductSchemaDefinition['format'];

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
 * The DuckDB table function reading the files. CSV columns are read as the schema's types where it gives
 * primitive ones, so text that looks like numbers stays text and bad values fail loudly.
 */
export function localRelation(source: LocalSource, schema?: ProductSchemaDefinition): string {
  const files = `[${source.files.map(quoteString).join(', ')}]`;
  const options: string[] = [];
  if (source.files.length > 1) options.push('union_by_name = true');
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${[files, ...options].join(', ')})`;
    case 'json':
      return `read_json_auto(${[files, ...options].join(', ')})`;
    case 'csv': {
      options.unshift('header = true');
      const types = (schema?.columns ?? [])
        .map((c) => [c.name, duckDbType(parseColumnType(c.type))] as const)
        .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
        .map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`);
      if (types.length > 0) options.push(`types = {${types.join(', ')}}`);
      return `read_csv_auto(${[files, ...options].join(', ')})`;
    }
  }
}

/** DuckDB spelling of a primitive column type; undefined for nested types (left to detection). */
export function duckDbType(type: ColumnType): string | undefined {
  if (!isPrimitiveType(type)) return undefined;
  switch (type.kind) {
    case 'varchar':
      return 'VARCHAR';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'primitive':
      return {
        string: 'VARCHAR',
        int: 'INTEGER',
        bigint: 'BIGINT',
        double: 'DOUBLE',
        boolean: 'BOOLEAN',
        date: 'DATE',
        timestamp: 'TIMESTAMP',
        binary: 'BLOB',
      }[type.name];
    default:
      return undefined;
  }
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
