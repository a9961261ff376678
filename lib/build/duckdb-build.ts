/**
 * The DuckDB side of a build: tables standing for the inputs (under the names Athena reads them by), the
 * columns the build SQL returns, and which of the product's rules can run on that output. Used by validation
 * (on empty tables) and by `mesh build --local` (on sample or given data).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseColumnType } from '../definition/column-type';
import { INPUT_REFERENCE } from '../definition/schema';
import { findProduct, type Mesh, type MeshProduct, type ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';
import type { QualityCheck } from '../quality/checks';
import { buildAggregateStatement, compileQualityChecks } from '../quality/compile';
import { duckDbType } from '../quality/local-source';
import { quoteIdentifier } from '../quality/sql-text';
import type { OutputColumn } from './output-schema';
import { parsePlaceholders } from './placeholders';

/** An input the build SQL reads, resolved to the version of the producer it names. */
export interface BuildInput {
  /** `sales/orders@2`. */
  readonly reference: string;
  readonly producer: MeshProduct;
  readonly version: ProductVersion;
  /** Quoted schema name (the Glue database). */
  readonly schemaName: string;
  /** `"acme_sales"."orders_v2"`. */
  readonly relation: string;
}

/** The inputs the SQL reads, in first-use order; references the mesh cannot resolve are listed apart. */
export function resolveBuildInputs(
  mesh: Mesh,
  product: MeshProduct,
): { readonly inputs: BuildInput[]; readonly unresolved: string[] } {
  const inputs: BuildInput[] = [];
  const unresolved: string[] = [];
  const references = parsePlaceholders(product.definition.build?.sql ?? '').flatMap((p) =>
    p.kind === 'input' ? [p.reference] : [],
  );
  for (const reference of new Set(references)) {
    const [, domain, name, major] = INPUT_REFERENCE.exec(reference) ?? [];
    const producer = domain ? findProduct(mesh, domain, name) : undefined;
    const version = producer?.versions.find((v) => v.major === Number(major));
    if (!producer || !version) {
      unresolved.push(reference);
      continue;
    }
    const schemaName = quoteIdentifier(domainNames(mesh.config, domain).database);
    const relation = `${schemaName}.${quoteIdentifier(productVersionNames(name, version.major).table)}`;
    inputs.push({ reference, producer, version, schemaName, relation });
  }
  return { inputs, unresolved };
}

/** Creates the input's table, empty and typed as its contract says (once per connection). */
export async function createInputTable(connection: DuckDBConnection, input: BuildInput): Promise<void> {
  const columns = input.version.schema.columns
    .map((c) => `${quoteIdentifier(c.name)} ${duckDbType(parseColumnType(c.type))}`)
    .join(', ');
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${input.schemaName}`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${input.relation} (${columns})`);
}

/** DuckDB refused a statement: its first paragraph, and the whole message (with the caret). */
export class DuckDbStatementError extends Error {
  constructor(
    message: string,
    readonly full: string,
  ) {
    super(message);
    this.name = 'DuckDbStatementError';
  }
}

/** What DESCRIBE is sent as: the SQL starts on the statement's second line, so its line numbers are off by one. */
export const DESCRIBE_PREFIX = 'DESCRIBE\n';

/** The columns a query returns, without running it. */
export async function describeQuery(connection: DuckDBConnection, sql: string): Promise<OutputColumn[]> {
  try {
    const reader = await connection.runAndReadAll(`${DESCRIBE_PREFIX}${sql}`);
    return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  } catch (err) {
    throw statementError(err);
  }
}

/** Runs a statement, turning DuckDB's error into a DuckDbStatementError. */
export async function runStatement(connection: DuckDBConnection, sql: string): Promise<void> {
  try {
    await connection.run(sql);
  } catch (err) {
    throw statementError(err);
  }
}

function statementError(err: unknown): DuckDbStatementError {
  // Errors from the native module may come from another realm, where `instanceof Error` is false.
  const full = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
  return new DuckDbStatementError(firstParagraph(full), full);
}

/** DuckDB's message of a failure, without the echoed SQL and caret that follow it. */
export function duckDbMessage(err: unknown): string {
  return statementError(err).message;
}

/** The first paragraph of a message, on one line. */
function firstParagraph(message: string): string {
  return message
    .split(/\n\s*\n/)[0]
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/**
 * DuckDB's message, with a note on each input it names: the SQL says `{input:sales/orders@2}`, DuckDB
 * speaks of `orders_v2` or `"acme_sales"`.
 */
export function explainInputs(message: string, inputs: readonly BuildInput[]): string {
  const named = inputs.filter((input) => {
    const [schema, table] = input.relation.split('.').map((part) => part.replace(/"/g, ''));
    return new RegExp(`\\b(${schema}|${table})\\b`).test(message);
  });
  if (named.length === 0) return message;
  return `${message} (${named.map((i) => `{input:${i.reference}} is read as ${i.relation}`).join('; ')})`;
}

/** A rule of the product that cannot run on the build's output. */
export interface RuleProblem {
  /** `quality[2]` or `sla.freshness`. */
  readonly source: string;
  readonly summary: string;
  readonly message: string;
}

/**
 * Runs the product's checks on `relation`: all in one statement, and only when that fails one statement per
 * check, so each failure is reported as its own rule's.
 */
export async function rulesThatCannotRun(
  connection: DuckDBConnection,
  product: MeshProduct,
  version: ProductVersion,
  relation: string,
): Promise<RuleProblem[]> {
  const compiled = compileQualityChecks(product, version, 'duckdb', { relation });
  const problems: RuleProblem[] = [];
  const attempt = async (check: QualityCheck, sql: string) => {
    try {
      await connection.run(sql);
    } catch (err) {
      problems.push({ source: check.source, summary: check.summary, message: statementError(err).message });
    }
  };
  try {
    await connection.run(compiled.aggregate.sql);
  } catch {
    for (const check of compiled.checks.filter((c) => !c.skipped && c.rule.rule !== 'sql')) {
      await attempt(check, buildAggregateStatement([check], 'duckdb', { relation }).sql);
    }
  }
  for (const { check, sql } of compiled.custom) await attempt(check, sql);
  return problems;
}
