/**
 * runAthenaQualityCheck(): a product version's checks on its Glue table, in the owning domain's workgroup —
 * the one-scan aggregate plus one query per custom `sql` rule — with bytes scanned and an estimated cost.
 */
import type { MeshConfig } from '../mesh/config';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';
import type { AthenaQueryApi } from './athena-client';
import { athenaBilledBytes, athenaCostUsd } from './athena-cost';
import { AthenaQueryError, type AthenaQueryOptions, type AthenaQueryOutcome, runAthenaQuery } from './athena-query';
import { compileQualityChecks } from './compile';
import { evaluateQualityChecks, type MeasuredValue, type QualityReport, toMeasuredNumber } from './evaluate';
import { quoteQualifiedName } from './sql-text';

/** Where a product version is queried. */
export interface AthenaLocation {
  readonly workgroup: string;
  readonly database: string;
  readonly table: string;
}

/** The owning domain's workgroup and database, and the version's table. */
export function athenaLocation(config: MeshConfig, product: MeshProduct, major: number): AthenaLocation {
  const domain = domainNames(config, product.domain);
  return {
    workgroup: domain.workgroup,
    database: domain.database,
    table: productVersionNames(product.name, major).table,
  };
}

/** Options of a check run on Athena. */
export interface AthenaCheckOptions extends Omit<AthenaQueryOptions, 'workgroup' | 'database' | 'label'> {
  /** Row filter, e.g. a partition range. @default every row */
  readonly where?: string;
}

/** One query of a check run. */
export interface AthenaQueryStats {
  /** `aggregate`, or the id of the custom check. */
  readonly label: string;
  readonly sql: string;
  readonly queryExecutionId?: string;
  readonly dataScannedInBytes: number;
  /** Bytes billed (rounded up, 10 MB minimum); 0 when the query failed. */
  readonly billedBytes: number;
  readonly costUsd: number;
  /** Why the query failed, when it did. */
  readonly error?: string;
}

/** A check run's report, its queries and what they cost. */
export interface AthenaCheckRun {
  readonly report: QualityReport;
  readonly location: AthenaLocation;
  readonly queries: readonly AthenaQueryStats[];
  readonly dataScannedInBytes: number;
  readonly billedBytes: number;
  readonly costUsd: number;
}

/**
 * Runs the checks on Athena. A failing aggregate query fails the run (AthenaQueryError); a failing custom
 * query only marks its own check as an error.
 */
export async function runAthenaQualityCheck(
  api: AthenaQueryApi,
  product: MeshProduct,
  version: ProductVersion,
  location: AthenaLocation,
  options: AthenaCheckOptions = {},
): Promise<AthenaCheckRun> {
  const { where, ...queryOptions } = options;
  const compiled = compileQualityChecks(product, version, 'trino', {
    relation: quoteQualifiedName(location.database, location.table),
    ...(where !== undefined ? { where } : {}),
  });
  const run = (label: string, sql: string) =>
    runAthenaQuery(api, sql, {
      ...queryOptions,
      workgroup: location.workgroup,
      database: location.database,
      label,
    });

  // The custom queries run beside the aggregate: each waits on Athena, not on the others.
  const [aggregate, ...custom] = await Promise.allSettled([
    run('aggregate', compiled.aggregate.sql),
    ...compiled.custom.map((c) => run(c.check.id, c.sql)),
  ]);
  if (aggregate.status === 'rejected') throw aggregate.reason;

  const measured: Record<string, MeasuredValue> = {};
  const row = aggregate.value.rows[0] ?? {};
  for (const column of compiled.aggregate.columns) measured[column] = toMeasuredNumber(row[column]);
  const queries: AthenaQueryStats[] = [stats('aggregate', compiled.aggregate.sql, aggregate.value)];
  custom.forEach((outcome, i) => {
    const { check, sql } = compiled.custom[i];
    if (outcome.status === 'fulfilled') {
      const first = outcome.value.rows[0];
      try {
        measured[check.id] = first ? toMeasuredNumber(first[outcome.value.columns[0]]) : null;
      } catch (err) {
        measured[check.id] = { error: `the query must return one number: ${(err as Error).message}` };
      }
      queries.push(stats(check.id, sql, outcome.value));
    } else {
      const message = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      const id = outcome.reason instanceof AthenaQueryError ? outcome.reason.queryExecutionId : undefined;
      measured[check.id] = { error: message };
      queries.push({
        label: check.id,
        sql,
        ...(id !== undefined ? { queryExecutionId: id } : {}),
        dataScannedInBytes: 0,
        billedBytes: 0,
        costUsd: 0,
        error: message,
      });
    }
  });

  const sum = (key: 'dataScannedInBytes' | 'billedBytes' | 'costUsd') =>
    queries.reduce((total, q) => total + q[key], 0);
  return {
    report: evaluateQualityChecks(product.id, version.major, compiled.checks, measured),
    location,
    queries,
    dataScannedInBytes: sum('dataScannedInBytes'),
    billedBytes: sum('billedBytes'),
    costUsd: sum('costUsd'),
  };
}

function stats(label: string, sql: string, outcome: AthenaQueryOutcome): AthenaQueryStats {
  return {
    label,
    sql,
    queryExecutionId: outcome.queryExecutionId,
    dataScannedInBytes: outcome.dataScannedInBytes,
    billedBytes: athenaBilledBytes(outcome.dataScannedInBytes),
    costUsd: athenaCostUsd(outcome.dataScannedInBytes),
  };
}
