/**
 * The Athena statement of a product version's checks, for storing as a named query next to its Glue table.
 * Plain text from names alone: no AWS SDK, no deploy-time values.
 */
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { compileQualityChecks } from './compile';
import { quoteQualifiedName } from './sql-text';

/** Where the product version's table lives in the Glue Data Catalog. */
export interface QualityTableNames {
  /** Glue database, e.g. from `domainNames(config, domain).database`. */
  readonly database: string;
  /** Glue table, e.g. from `productVersionNames(product, major).table`. */
  readonly table: string;
}

/**
 * The one-scan Trino statement measuring every rule of the version (custom `sql` rules excluded: each is its
 * own statement, see `compileQualityChecks(...).custom`). Output columns are `total_rows` and one per check,
 * named as in `planQualityChecks`.
 */
export function athenaQualityStatement(
  product: MeshProduct,
  version: ProductVersion,
  names: QualityTableNames,
): string {
  return compileQualityChecks(product, version, 'trino', {
    relation: quoteQualifiedName(names.database, names.table),
  }).aggregate.sql;
}
