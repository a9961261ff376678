/**
 * runLocalQualityCheck(): the DuckDB statements of a product version run on local Parquet, CSV or JSON
 * files, so a producer can check a file before it lands (and tests can check real SQL offline).
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { type CompiledQualityChecks, compileQualityChecks } from './compile';
import { evaluateQualityChecks, type MeasuredValue, type QualityReport, toMeasuredNumber } from './evaluate';
import {
  compareColumns,
  compareColumnTypes,
  fileFormatOf,
  LocalInputError,
  type LocalSource,
  localRelation,
  resolveLocalSource,
} from './local-source';

/** What to check and how. */
export interface LocalCheckOptions {
  /** A data file, or a folder of them. */
  readonly path: string;
  /** Row filter, e.g. `order_date >= '2024-01-01'`. @default every row */
  readonly where?: string;
}

/** A local check's report and what it ran. */
export interface LocalCheckRun {
  readonly report: QualityReport;
  readonly source: LocalSource;
  /** Every statement sent to DuckDB, aggregate first. */
  readonly statements: readonly string[];
  readonly elapsedMs: number;
}

/** Checks local files against a product version's rules; throws LocalInputError for unusable input. */
export async function runLocalQualityCheck(
  product: MeshProduct,
  version: ProductVersion,
  options: LocalCheckOptions,
): Promise<LocalCheckRun> {
  const started = performance.now();
  const source = resolveLocalSource(options.path, fileFormatOf(version.schema.format));
  return withDuckDb(async (connection) => {
    const found = await describeColumns(connection, localRelation(source), source);
    const { missing, extra } = compareColumns(
      found.map((c) => c.name),
      version.schema,
    );
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
        ...(extra.length > 0 ? [`not in the schema: ${extra.join(', ')}`] : []),
      ];
      throw new LocalInputError(
        `${source.path} does not have the columns of ${product.id} v${version.major}: ${parts.join('; ')}`,
      );
    }

    // CSV and JSON are read with the schema's types; Parquet brings its own, which must be of the right kind.
    const wrongTypes = source.format === 'parquet' ? compareColumnTypes(found, version.schema) : [];
    if (wrongTypes.length > 0) {
      throw new LocalInputError(
        `${source.path} does not have the column types of ${product.id} v${version.major}: ${wrongTypes.join('; ')}`,
      );
    }

    const compiled = compileQualityChecks(product, version, 'duckdb', {
      relation: localRelation(source, version.schema),
      ...(options.where !== undefined ? { where: options.where } : {}),
    });
    const measured = await measureWithDuckDb(connection, compiled).catch((err: unknown) => {
      throw new LocalInputError(`DuckDB could not run the checks on ${source.path}: ${firstParagraph(err)}`);
    });
    return {
      report: evaluateQualityChecks(product.id, version.major, compiled.checks, measured),
      source,
      statements: [compiled.aggregate.sql, ...compiled.custom.map((c) => c.sql)],
      elapsedMs: performance.now() - started,
    };
  });
}

/**
 * Runs compiled DuckDB statements on an open connection and returns the measured value of every output
 * column. A failing aggregate statement throws; a failing custom statement becomes that check's error.
 */
export async function measureWithDuckDb(
  connection: DuckDBConnection,
  compiled: CompiledQualityChecks,
): Promise<Record<string, MeasuredValue>> {
  const measured: Record<string, MeasuredValue> = {};
  const row = await firstRow(connection, compiled.aggregate.sql);
  for (const column of compiled.aggregate.columns) measured[column] = toMeasuredNumber(row?.[column]);
  for (const custom of compiled.custom) {
    try {
      const customRow = await firstRow(connection, custom.sql);
      measured[custom.check.id] = customRow ? toMeasuredNumber(Object.values(customRow)[0]) : null;
    } catch (err) {
      measured[custom.check.id] = { error: firstParagraph(err) };
    }
  }
  return measured;
}

/** Runs `work` on a fresh in-memory DuckDB and closes it afterwards, whatever happens. */
export async function withDuckDb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The first row of a statement's result as column → raw value, undefined when there is none. */
export async function firstRow(
  connection: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown> | undefined> {
  const reader = await connection.runAndReadUntil(sql, 1);
  return reader.getRowObjectsJS()[0];
}

async function describeColumns(
  connection: DuckDBConnection,
  relation: string,
  source: LocalSource,
): Promise<{ name: string; type: string }[]> {
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  } catch (err) {
    throw new LocalInputError(`cannot read ${source.path} as ${source.format}: ${firstParagraph(err)}`);
  }
}

/** DuckDB errors run to many lines of reader settings; the first paragraph says what went wrong. */
function firstParagraph(err: unknown): string {
  // Errors from the native module may come from another realm, where `instanceof Error` is false.
  const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
  return message
    .split(/\n\s*\n/)[0]
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
