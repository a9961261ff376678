/**
 * runLocalErasure(): an erasure plan executed by DuckDB on a local copy of the mesh's data, laid out as
 * `<dir>/<domain>/<product>/v<major>/` with the version's files (Parquet, CSV or JSON, in any sub-folders).
 * Each file holding the subject is rewritten without the subject's rows, the counts are checked
 * (kept = before − erased, none of the subject left) and only then does the new file replace the old one;
 * files without the subject are not touched, as the live rewrite leaves partitions without it alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mesh, ProductVersion } from '../mesh/model';
import { findProduct } from '../mesh/model';
import { firstRow, withDuckDb } from '../quality/local-runner';
import {
  fileFormatOf,
  LocalInputError,
  type LocalSource,
  localRelation,
  resolveLocalSource,
} from '../quality/local-source';
import { quoteString } from '../quality/sql-text';
import type { EraseStep, ErasurePlan } from './erasure-plan';
import { subjectRows } from './erasure-statements';

/** What happened to one file. */
export interface LocalFileResult {
  /** Relative to the version's folder. */
  readonly file: string;
  readonly rowsBefore: number;
  readonly rowsErased: number;
  /** `untouched`: no row of the subject; `rewritten`: written again without them; `removed`: every row was theirs. */
  readonly action: 'untouched' | 'rewritten' | 'removed';
}

/** What happened to one product version of the plan. */
export interface LocalStepResult {
  readonly step: EraseStep;
  /** The version's folder in the local copy. */
  readonly folder: string;
  /** `missing`: the local copy has no data of the version; `failed`: a file could not be erased (see message). */
  readonly status: 'erased' | 'missing' | 'failed';
  readonly rowsBefore: number;
  readonly rowsErased: number;
  readonly files: readonly LocalFileResult[];
  readonly message?: string;
}

/** Every erase step's result, in the plan's order. */
export interface LocalErasureRun {
  readonly dir: string;
  readonly results: readonly LocalStepResult[];
  readonly elapsedMs: number;
}

/** The folder of a version in a local copy: `<dir>/<domain>/<product>/v<major>`. */
export function localFolderOf(dir: string, step: { domain: string; product: string; major: number }): string {
  return path.join(dir, step.domain, step.product, `v${step.major}`);
}

/** Executes the plan's erase steps in order on the local copy; rebuild steps are left to the caller to list. */
export async function runLocalErasure(mesh: Mesh, plan: ErasurePlan, dir: string): Promise<LocalErasureRun> {
  const started = performance.now();
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new LocalInputError(`no such folder: ${dir} (expected <dir>/<domain>/<product>/v<major>/ with data files)`);
  }
  const results = await withDuckDb(async (connection) => {
    const done: LocalStepResult[] = [];
    for (const step of plan.steps) {
      if (step.kind !== 'erase') continue;
      done.push(await eraseVersion(connection, mesh, plan, step, localFolderOf(dir, step)));
    }
    return done;
  });
  return { dir, results, elapsedMs: performance.now() - started };
}

async function eraseVersion(
  connection: DuckDBConnection,
  mesh: Mesh,
  plan: ErasurePlan,
  step: EraseStep,
  folder: string,
): Promise<LocalStepResult> {
  const base = { step, folder, rowsBefore: 0, rowsErased: 0, files: [] };
  const version = versionOf(mesh, step);
  const format = fileFormatOf(step.format);
  let source: LocalSource;
  try {
    if (!fs.existsSync(folder)) return { ...base, status: 'missing', message: `${folder} does not exist` };
    source = resolveLocalSource(folder, format);
  } catch (err) {
    if (err instanceof LocalInputError) return { ...base, status: 'missing', message: err.message };
    throw err;
  }
  const rows = subjectRows(plan, step);
  const files: LocalFileResult[] = [];
  try {
    for (const file of source.files) {
      files.push(await eraseFile(connection, { ...source, path: file, files: [file] }, version, step, rows, folder));
    }
    const left = await subjectRowsLeft(connection, folder, format, version, rows);
    if (left > 0) throw new LocalInputError(`${left} rows of the subject are still in ${folder} after the rewrite`);
  } catch (err) {
    if (!(err instanceof LocalInputError)) throw err;
    return { ...base, ...totals(files), files, status: 'failed', message: err.message };
  }
  return { ...base, ...totals(files), files, status: 'erased' };
}

/** Rewrites one file without the subject's rows, or leaves it alone when it holds none. */
async function eraseFile(
  connection: DuckDBConnection,
  source: LocalSource,
  version: ProductVersion,
  step: EraseStep,
  rows: string,
  folder: string,
): Promise<LocalFileResult> {
  const file = source.files[0];
  const name = path.relative(folder, file);
  // Columns as the file has them: reading with the schema's types would fail on a missing column first.
  const columns = await columnsOf(connection, localRelation(source), file);
  const relation = localRelation(source, version.schema);
  const missing = step.keyColumns.filter((k) => !columns.includes(k.name.toLowerCase())).map((k) => k.name);
  if (missing.length > 0) {
    throw new LocalInputError(
      `${file} has no column ${missing.join(', ')}: the key column${missing.length === 1 ? '' : 's'} of ${step.id} v${step.major} must be in every file`,
    );
  }
  const counted = await count(connection, relation, rows);
  if (counted.erased === 0) return { file: name, rowsBefore: counted.before, rowsErased: 0, action: 'untouched' };
  const kept = counted.before - counted.erased;
  if (kept === 0) {
    fs.rmSync(file);
    return { file: name, rowsBefore: counted.before, rowsErased: counted.erased, action: 'removed' };
  }

  // A hidden name, so an interrupted run leaves nothing the next read would take for data.
  const staged = path.join(path.dirname(file), `.${path.basename(file)}.erasing`);
  try {
    await connection.run(
      `COPY (SELECT * FROM ${relation} WHERE NOT ${rows}) TO ${quoteString(staged)} (${copyOptions(source.format, file)})`,
    );
    const check = await count(
      connection,
      localRelation({ ...source, path: staged, files: [staged] }, version.schema),
      rows,
    );
    if (check.before !== kept || check.erased !== 0) {
      throw new LocalInputError(
        `${file}: the rewritten file has ${check.before} rows (${check.erased} of the subject), expected ${kept} = ${counted.before} - ${counted.erased} and none of the subject; the file was left as it was`,
      );
    }
    fs.renameSync(staged, file);
  } finally {
    fs.rmSync(staged, { force: true });
  }
  return { file: name, rowsBefore: counted.before, rowsErased: counted.erased, action: 'rewritten' };
}

async function count(
  connection: DuckDBConnection,
  relation: string,
  rows: string,
): Promise<{ before: number; erased: number }> {
  const row = await firstRow(
    connection,
    `SELECT count(*) AS before, count(*) FILTER (WHERE ${rows}) AS erased FROM ${relation}`,
  );
  return { before: Number(row?.before ?? 0), erased: Number(row?.erased ?? 0) };
}

async function columnsOf(connection: DuckDBConnection, relation: string, file: string): Promise<string[]> {
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    return reader.getRowObjectsJS().map((row) => String(row.column_name).toLowerCase());
  } catch (err) {
    throw new LocalInputError(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Rows of the subject left in the whole folder after the rewrite (0 when every file was removed). */
async function subjectRowsLeft(
  connection: DuckDBConnection,
  folder: string,
  format: ReturnType<typeof fileFormatOf>,
  version: ProductVersion,
  rows: string,
): Promise<number> {
  let source: LocalSource;
  try {
    source = resolveLocalSource(folder, format);
  } catch (err) {
    if (err instanceof LocalInputError) return 0;
    throw err;
  }
  return (await count(connection, localRelation(source, version.schema), rows)).erased;
}

/** COPY options writing the file's format as it was (a `.gz` file stays gzipped). */
function copyOptions(format: LocalSource['format'], file: string): string {
  const gzip = file.toLowerCase().endsWith('.gz') ? ', COMPRESSION gzip' : '';
  switch (format) {
    case 'parquet':
      return 'FORMAT parquet';
    case 'csv':
      return `FORMAT csv, HEADER true${gzip}`;
    case 'json':
      return `FORMAT json${gzip}`;
  }
}

function totals(files: readonly LocalFileResult[]): { rowsBefore: number; rowsErased: number } {
  return {
    rowsBefore: files.reduce((sum, f) => sum + f.rowsBefore, 0),
    rowsErased: files.reduce((sum, f) => sum + f.rowsErased, 0),
  };
}

function versionOf(mesh: Mesh, step: EraseStep): ProductVersion {
  const version = findProduct(mesh, step.domain, step.product)?.versions.find((v) => v.major === step.major);
  if (!version) throw new Error(`${step.ref} is not in the mesh the plan was made from`);
  return version;
}
