/**
 * renderBuildSql(): a product's build SQL with its placeholders replaced, for Athena (the deployed run) or
 * DuckDB (validation and `mesh build --local`). Both engines see the inputs under the same qualified names,
 * `"<prefix>_<domain>"."<product>_v<major>"`, so a column qualified by its table name binds alike in both.
 */
import { INPUT_REFERENCE } from '../definition/schema';
import type { Mesh, MeshProduct, ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';
import { quoteIdentifier } from '../quality/sql-text';
import { type RenderedSql, renderPlaceholders } from './placeholders';

/** Engines a build runs on. */
export type BuildTarget = 'athena' | 'duckdb';

export interface BuildSqlOptions {
  /**
   * SQL expression of the day the run builds, a DATE: `DATE '2026-12-03'` or, in a state machine, the text a
   * States.Format call fills in.
   */
  readonly runDate: string;
  /**
   * Relations to read instead of the inputs' tables, by input reference (`sales/orders@2`), e.g. a DuckDB
   * reader call. @default the input's Glue table, `"<prefix>_<domain>"."<product>_v<major>"`
   */
  readonly relations?: ReadonlyMap<string, string>;
}

/** The rendered SQL of a product's build, and the way back to the offsets of the SQL as written. */
export interface RenderedBuild extends RenderedSql {
  readonly target: BuildTarget;
  /** Input references the SQL reads, in first-use order. */
  readonly inputs: readonly string[];
}

/** The qualified name of an input's table, as both engines address it. */
export function inputRelation(mesh: Mesh, reference: string): string {
  const match = INPUT_REFERENCE.exec(reference);
  if (!match) throw new Error(`"${reference}" is not an input reference (<domain>/<product>@<major>)`);
  const [, domain, product, major] = match;
  const { database } = domainNames(mesh.config, domain);
  const { table } = productVersionNames(product, Number(major));
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

/**
 * Renders the build SQL of `product` (which must have a build) for `version` (the major it writes). Throws
 * on a placeholder validation refuses, so only validated definitions should reach it.
 */
export function renderBuildSql(
  product: MeshProduct,
  version: ProductVersion,
  mesh: Mesh,
  target: BuildTarget,
  options: BuildSqlOptions,
): RenderedBuild {
  const build = product.definition.build;
  if (!build) throw new Error(`${product.id} has no build`);
  if (!version.current) throw new Error(`${product.id} v${version.major}: only the current major is built`);
  const inputs: string[] = [];
  const rendered = renderPlaceholders(trimStatement(build.sql), {
    runDate: `(${options.runDate})`,
    input: (reference) => {
      if (!product.definition.inputs.includes(reference)) {
        throw new Error(`${product.id}: {input:${reference}} is not one of the product's inputs`);
      }
      if (!inputs.includes(reference)) inputs.push(reference);
      return options.relations?.get(reference) ?? inputRelation(mesh, reference);
    },
  });
  return { ...rendered, target, inputs };
}

/** The SQL without a closing `;`, which neither an engine's DESCRIBE nor a CTAS around it accepts. */
function trimStatement(sql: string): string {
  return sql.replace(/;\s*$/, '');
}

/** `DATE '2026-12-03'`: a calendar day as both engines read a date literal. */
export function dateLiteral(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`"${day}" is not a date written YYYY-MM-DD`);
  return `DATE '${day}'`;
}
