/**
 * runLocalBuild(): a product's build run in DuckDB, as `mesh build --local` does it — each input loaded from
 * given files or from a generated sample (lib/quality/sample-data.ts) into a table under the name Athena
 * reads it by, the build SQL run over them, the output compared with the product's schema, then the
 * product's rules measured on the output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseColumnType } from '../definition/column-type';
import { currentVersion, type Mesh, type MeshProduct } from '../mesh/model';
import { buildAggregateStatement, compileQualityChecks } from '../quality/compile';
import { evaluateQualityChecks, type MeasuredValue, type QualityReport, toMeasuredNumber } from '../quality/evaluate';
import { firstRow, withDuckDb } from '../quality/local-runner';
import {
  compareColumns,
  duckDbType,
  fileFormatOf,
  LocalInputError,
  type LocalSource,
  localRelation,
  resolveLocalSource,
} from '../quality/local-source';
import { writeQualitySample } from '../quality/sample-data';
import { quoteIdentifier, quoteString } from '../quality/sql-text';
import {
  type BuildInput,
  createInputTable,
  DESCRIBE_PREFIX,
  DuckDbStatementError,
  describeQuery,
  duckDbMessage,
  explainInputs,
  resolveBuildInputs,
  runStatement,
} from './duckdb-build';
import { compareOutputColumns, type OutputColumn } from './output-schema';
import { dateLiteral, renderBuildSql } from './render';
import { duckDbErrorOffset, lineAndColumn } from './sql-position';

export interface LocalBuildOptions {
  /** Data files (a file or a folder) for inputs, by reference (`sales/orders@2`); the rest get samples. */
  readonly inputs?: ReadonlyMap<string, string>;
  /** Rows of each generated sample. @default what `mesh sample` writes (1,000, or what a rowCount rule needs) */
  readonly rows?: number;
  /** Seed of the generated samples. @default 1 */
  readonly seed?: number;
  /** The day the run builds, YYYY-MM-DD: the value of `{run_date}`. */
  readonly runDate: string;
  /** Parquet file to write the output to. @default none */
  readonly out?: string;
  /** Told what is being done, for a progress line. */
  readonly onProgress?: (text: string) => void;
}

/** Where an input's rows came from. */
export type LocalBuildSource =
  | { readonly kind: 'files'; readonly source: LocalSource }
  | { readonly kind: 'sample'; readonly rows: number; readonly seed: number; readonly notes: readonly string[] };

export interface LocalBuildInput {
  readonly reference: string;
  /** The table the SQL read it as, e.g. `"acme_sales"."orders_v2"`. */
  readonly relation: string;
  readonly from: LocalBuildSource;
  readonly rows: number;
}

export interface LocalBuildRun {
  /** `<domain>/<product>`. */
  readonly product: string;
  readonly major: number;
  readonly version: string;
  readonly runDate: string;
  readonly inputs: readonly LocalBuildInput[];
  /** The SQL as DuckDB ran it. */
  readonly sql: string;
  readonly rowsWritten: number;
  /** The output's columns as DuckDB reports them. */
  readonly columns: readonly OutputColumn[];
  /** How the output differs from the product's schema; empty when it matches. */
  readonly schemaDifferences: readonly string[];
  readonly report: QualityReport;
  /** The Parquet file written, when asked for. */
  readonly out?: string;
  /** Schema matches and every rule passes. */
  readonly passed: boolean;
  readonly elapsedMs: number;
}

/** The build SQL failed in DuckDB; the message says where in the SQL. */
export class BuildSqlError extends Error {
  override readonly name = 'BuildSqlError';
}

/** Table the output is written to; in a connection of its own, so no other name can clash with it. */
const OUTPUT = '"build_output"';

/** Runs the build of `product` (which must have one) on local data; throws LocalInputError or BuildSqlError. */
export async function runLocalBuild(
  mesh: Mesh,
  product: MeshProduct,
  options: LocalBuildOptions,
): Promise<LocalBuildRun> {
  const started = performance.now();
  if (!product.definition.build) throw new LocalInputError(`${product.id} has no build (it declares no build.sql)`);
  const version = currentVersion(product);
  const { inputs, unresolved } = resolveBuildInputs(mesh, product);
  if (unresolved.length > 0) {
    throw new LocalInputError(`${product.id} reads inputs the mesh does not have: ${unresolved.join(', ')}`);
  }
  for (const reference of options.inputs?.keys() ?? []) {
    if (!inputs.some((i) => i.reference === reference)) {
      throw new LocalInputError(
        `--input ${reference}: the build of ${product.id} does not read it (it reads ${inputs.map((i) => i.reference).join(', ')})`,
      );
    }
  }
  const progress = options.onProgress ?? (() => undefined);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-build-'));
  try {
    return await withDuckDb(async (connection) => {
      const loaded: LocalBuildInput[] = [];
      for (const input of inputs) {
        loaded.push(await loadInput(connection, input, options, workDir, progress));
      }
      progress(`running the build SQL of ${product.id}`);
      const rendered = renderBuildSql(product, version, mesh, 'duckdb', { runDate: dateLiteral(options.runDate) });
      const written = product.definition.build?.sql ?? '';
      const failure = (err: unknown, statement: string, prefix: number): never => {
        if (!(err instanceof DuckDbStatementError)) throw err;
        const at = duckDbErrorOffset(err.full, statement);
        const where =
          at === undefined ? '' : ` (SQL ${position(written, rendered.originalOffset(Math.max(0, at - prefix)))})`;
        throw new BuildSqlError(
          `DuckDB cannot run the build SQL of ${product.id}: ${explainInputs(err.message, inputs)}${where}`,
        );
      };
      const columns = await describeQuery(connection, rendered.sql).catch((err: unknown) =>
        failure(err, `${DESCRIBE_PREFIX}${rendered.sql}`, DESCRIBE_PREFIX.length),
      );
      const schemaDifferences = compareOutputColumns(columns, version.schema);
      // A matching output is stored as the product's types, as publishing casts it into the Iceberg table.
      if (schemaDifferences.length === 0) {
        const typed = version.schema.columns
          .map((c) => `${quoteIdentifier(c.name)} ${duckDbType(parseColumnType(c.type))}`)
          .join(', ');
        await runStatement(connection, `CREATE TEMP TABLE ${OUTPUT} (${typed})`);
        const insert = `INSERT INTO ${OUTPUT}\n${rendered.sql}`;
        await runStatement(connection, insert).catch((err: unknown) =>
          failure(err, insert, 'INSERT INTO '.length + OUTPUT.length + 1),
        );
      } else {
        const create = `CREATE TEMP TABLE ${OUTPUT} AS\n${rendered.sql}`;
        await runStatement(connection, create).catch((err: unknown) =>
          failure(err, create, create.length - rendered.sql.length),
        );
      }
      const rowsWritten = await countRows(connection, OUTPUT);

      progress(`checking the rules of ${product.id} on ${rowsWritten} rows`);
      const report = await measureRules(connection, product);
      let out: string | undefined;
      if (options.out !== undefined) {
        out = path.resolve(options.out);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        await runStatement(connection, `COPY ${OUTPUT} TO ${quoteString(out)} (FORMAT parquet)`);
      }
      return {
        product: product.id,
        major: version.major,
        version: version.version,
        runDate: options.runDate,
        inputs: loaded,
        sql: rendered.sql,
        rowsWritten,
        columns,
        schemaDifferences,
        report,
        ...(out !== undefined ? { out: options.out } : {}),
        passed: schemaDifferences.length === 0 && report.passed,
        elapsedMs: performance.now() - started,
      };
    });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Fills the input's table from its files or from a generated sample of its contract. */
async function loadInput(
  connection: DuckDBConnection,
  input: BuildInput,
  options: LocalBuildOptions,
  workDir: string,
  progress: (text: string) => void,
): Promise<LocalBuildInput> {
  await createInputTable(connection, input);
  const given = options.inputs?.get(input.reference);
  const { schema } = input.version;
  let from: LocalBuildSource;
  let source: LocalSource;
  if (given !== undefined) {
    source = resolveLocalSource(given, fileFormatOf(schema.format));
    from = { kind: 'files', source };
    const found = await describeQuery(connection, `SELECT * FROM ${localRelation(source)}`).catch((err: unknown) => {
      throw new LocalInputError(`cannot read ${given} as ${source.format}: ${(err as Error).message}`);
    });
    const { missing, extra } = compareColumns(
      found.map((c) => c.name),
      schema,
    );
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
        ...(extra.length > 0 ? [`not in its schema: ${extra.join(', ')}`] : []),
      ];
      throw new LocalInputError(`${given} does not have the columns of ${input.reference}: ${parts.join('; ')}`);
    }
  } else {
    progress(`generating a sample of ${input.reference}`);
    const file = path.join(workDir, `${input.producer.domain}_${input.producer.name}_v${input.version.major}.parquet`);
    const seed = options.seed ?? 1;
    const sample = await writeQualitySample(input.producer, input.version, file, {
      seed,
      ...(options.rows !== undefined ? { rows: options.rows } : {}),
    });
    source = { path: file, files: [file], format: 'parquet' };
    from = { kind: 'sample', rows: sample.rows, seed, notes: sample.notes };
  }
  progress(`loading ${input.reference}`);
  await runStatement(
    connection,
    `INSERT INTO ${input.relation} BY NAME SELECT * FROM ${localRelation(source, schema)}`,
  ).catch((err: unknown) => {
    throw new LocalInputError(
      `cannot load ${given ?? 'the sample'} as ${input.reference} (typed as its contract): ${(err as Error).message}`,
    );
  });
  return {
    reference: input.reference,
    relation: input.relation,
    from,
    rows: await countRows(connection, input.relation),
  };
}

async function countRows(connection: DuckDBConnection, relation: string): Promise<number> {
  const row = await firstRow(connection, `SELECT count(*) AS n FROM ${relation}`);
  return Number(row?.n ?? 0);
}

/**
 * Measures the product's rules on the output: in one statement, or, when that one fails (the output lacks a
 * column a rule reads), one statement per rule so each failure is the error of its own rule.
 */
async function measureRules(connection: DuckDBConnection, product: MeshProduct): Promise<QualityReport> {
  const version = currentVersion(product);
  const compiled = compileQualityChecks(product, version, 'duckdb', { relation: OUTPUT });
  const measured: Record<string, MeasuredValue> = {};
  const record = (columns: readonly string[], row: Record<string, unknown> | undefined) => {
    for (const column of columns) measured[column] = toMeasuredNumber(row?.[column]);
  };
  try {
    record(compiled.aggregate.columns, await firstRow(connection, compiled.aggregate.sql));
  } catch {
    record(['total_rows'], await firstRow(connection, `SELECT count(*) AS total_rows FROM ${OUTPUT}`));
    for (const check of compiled.checks.filter((c) => !c.skipped && c.rule.rule !== 'sql')) {
      const statement = buildAggregateStatement([check], 'duckdb', { relation: OUTPUT });
      try {
        record([check.id], await firstRow(connection, statement.sql));
      } catch (err) {
        measured[check.id] = { error: duckDbMessage(err) };
      }
    }
  }
  for (const custom of compiled.custom) {
    try {
      const row = await firstRow(connection, custom.sql);
      measured[custom.check.id] = row ? toMeasuredNumber(Object.values(row)[0]) : null;
    } catch (err) {
      measured[custom.check.id] = { error: duckDbMessage(err) };
    }
  }
  return evaluateQualityChecks(product.id, version.major, compiled.checks, measured);
}

function position(sql: string, offset: number): string {
  const { line, column } = lineAndColumn(sql, offset);
  return `line ${line}, column ${column}`;
}
