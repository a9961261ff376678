/**
 * The SQL of a run, write-audit-publish: stage the build's output, audit it into `quality_results`, read the
 * verdict, publish with one MERGE (Iceberg commits it atomically, so consumers see the old rows or the new ones,
 * never a mix), then clear the staged rows. Plain text from the definitions; the run id and run date are slots
 * the state machine fills at run time (see renderSlots and toStatesFormat).
 */
import type { Column } from '../definition/schema';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { type QualityCheck, TOTAL_ROWS_COLUMN } from '../quality/checks';
import { compileQualityChecks } from '../quality/compile';
import { numberLiteral, quoteIdentifier, quoteQualifiedName, quoteString, type SqlDialect } from '../quality/sql-text';
import { describeThreshold, type Threshold } from '../quality/threshold';

/** Values only known when a run starts. NUL never occurs in definition text (quoteString refuses it). */
export const SLOT = { runId: '\u0000runId\u0000', runDate: '\u0000runDate\u0000' } as const;
export type SlotName = keyof typeof SLOT;

/** Where a run reads and writes. */
export interface RunTables {
  /** Glue database of the domain. */
  readonly database: string;
  /** The product version's table, what consumers read. */
  readonly table: string;
  /** The staging table a build writes before the audit. */
  readonly stagingTable: string;
  /** The domain's quality results table. */
  readonly qualityResultsTable: string;
}

/** Columns the staging table has beyond the product's. */
export const STAGING_COLUMNS: readonly Column[] = [
  { name: 'run_id', type: 'string', required: true, unique: false, primaryKey: false, pii: false },
  { name: 'staged_at', type: 'timestamp', required: true, unique: false, primaryKey: false, pii: false },
];

/** Staged rows older than this are removed by the next successful run (failed runs leave theirs to inspect). */
export const STAGING_RETENTION_DAYS = 7;

/** An empty product is infinitely stale: its freshness age is reported as this many seconds. */
export const NO_DATA_AGE_SECONDS = 2_147_483_647;

const q = quoteIdentifier;
const runIdLiteral = `'${SLOT.runId}'`;
const nowTimestamp = (dialect: SqlDialect) =>
  `CAST(current_timestamp AS ${dialect === 'trino' ? 'timestamp(6)' : 'TIMESTAMP'})`;

/** The staged rows of this run. */
function stagedRows(tables: RunTables): string {
  return `SELECT * FROM ${quoteQualifiedName(tables.database, tables.stagingTable)} WHERE run_id = ${runIdLiteral}`;
}

function productColumns(version: ProductVersion): string[] {
  return version.schema.columns.map((c) => c.name);
}

function primaryKey(version: ProductVersion): string[] {
  const keys = version.schema.columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (keys.length === 0) throw new Error('a built product needs primary key columns: publish merges on them');
  return keys;
}

/**
 * Step 1, write: the build's SELECT (placeholders already rendered, `{run_date}` as SLOT.runDate) into the
 * staging table, columns taken by name so the build's column order cannot shift values.
 */
export function stageStatement(version: ProductVersion, tables: RunTables, buildSelect: string, dialect: SqlDialect) {
  const columns = productColumns(version).map(q);
  return [
    `INSERT INTO ${quoteQualifiedName(tables.database, tables.stagingTable)} (${[...columns, 'run_id', 'staged_at'].join(', ')})`,
    `SELECT ${columns.map((c) => `build_output.${c}`).join(', ')}, ${runIdLiteral}, ${nowTimestamp(dialect)}`,
    `FROM (\n${buildSelect.trim().replace(/;\s*$/, '')}\n) AS build_output`,
  ].join('\n');
}

/** A check the audit records: the product's rules, plus the primary key checks every build is held to. */
interface AuditedCheck {
  readonly id: string;
  readonly source: string;
  readonly measured: string;
  readonly threshold: Threshold;
  readonly thresholdText: string;
  /** Failing it stops the publish. Freshness does not: a backfill of an old day is not a bad batch. */
  readonly blocksPublish: boolean;
}

const NO_BAD_ROWS: Threshold = { comparator: 'mustBe', value: 0 };

function passedExpression(threshold: Threshold, measured: string): string {
  switch (threshold.comparator) {
    case 'mustBe':
      return `${measured} = ${numberLiteral(threshold.value)}`;
    case 'mustBeLessThan':
      return `${measured} < ${numberLiteral(threshold.value)}`;
    case 'mustBeGreaterThan':
      return `${measured} > ${numberLiteral(threshold.value)}`;
    case 'mustBeBetween':
      return `${measured} BETWEEN ${numberLiteral(threshold.min)} AND ${numberLiteral(threshold.max)}`;
    case 'atMost':
      return `${measured} <= ${numberLiteral(threshold.value)}`;
  }
}

function auditedChecks(
  product: MeshProduct,
  version: ProductVersion,
  dialect: SqlDialect,
  kind: 'build' | 'check',
): { checks: AuditedCheck[]; aggregate: string } {
  const compiled = compileQualityChecks(product, version, dialect, { relation: 'audited' });
  const live = compiled.checks.filter((c) => !c.skipped);
  const toAudited = (check: QualityCheck, measured: string): AuditedCheck => ({
    id: check.id,
    source: check.source,
    measured,
    threshold: check.threshold,
    thresholdText: describeThreshold(check.threshold, check.unit),
    blocksPublish: kind === 'check' || check.rule.rule !== 'freshness',
  });
  const checks = live.map((check) => {
    if (check.rule.rule !== 'sql') return toAudited(check, `measures.${q(check.id)}`);
    const custom = compiled.custom.find((c) => c.check.id === check.id);
    // A custom rule returns one number (the schema says so); a scalar subquery keeps the audit one statement.
    return toAudited(check, `(${custom?.sql})`);
  });
  const extra: string[] = [];
  if (kind === 'build') {
    // MERGE matches on the primary key: a missing or repeated key would publish duplicates or fail the merge.
    const keys = primaryKey(version).map(q);
    const complete = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
    const distinct = keys.length === 1 ? keys[0] : `row(${keys.join(', ')})`;
    const platform: [string, string][] = [
      ['mesh_primary_key_not_null', `count_if(NOT (${complete}))`],
      [
        'mesh_primary_key_unique',
        `(count_if(${complete}) - count(DISTINCT CASE WHEN ${complete} THEN ${distinct} END))`,
      ],
    ];
    for (const [id, expression] of platform) {
      checks.push({
        id,
        source: 'schema.primaryKey',
        measured: `measures.${q(id)}`,
        threshold: NO_BAD_ROWS,
        thresholdText: describeThreshold(NO_BAD_ROWS, 'rows'),
        blocksPublish: true,
      });
      extra.push(`  ${expression} AS ${q(id)}`);
    }
  }
  const aggregate =
    extra.length > 0
      ? compiled.aggregate.sql.replace('\nFROM audited', `,\n${extra.join(',\n')}\nFROM audited`)
      : compiled.aggregate.sql;
  return { checks, aggregate };
}

/**
 * Step 2, audit: every rule measured over this run's staged rows (a build) or over the product table (a
 * scheduled check), one row per rule into `quality_results`, the verdict computed in SQL from the same limits
 * `mesh check` applies.
 */
export function auditStatement(
  product: MeshProduct,
  version: ProductVersion,
  tables: RunTables,
  kind: 'build' | 'check',
  dialect: SqlDialect,
): string {
  const { checks, aggregate } = auditedChecks(product, version, dialect, kind);
  const source =
    kind === 'build' ? stagedRows(tables) : `SELECT * FROM ${quoteQualifiedName(tables.database, tables.table)}`;
  const now = nowTimestamp(dialect);
  const rows = checks.map((check) => {
    const measured = `CAST(${check.measured} AS double)`;
    return [
      `SELECT ${quoteString(product.id)}, ${quoteString(version.version)}, ${version.major}, ${quoteString(check.id)}, ${quoteString(check.source)},`,
      `  ${measured}, ${quoteString(check.thresholdText)}, coalesce(${passedExpression(check.threshold, measured)}, false),`,
      `  ${check.blocksPublish}, ${runIdLiteral}, ${quoteString(kind)}, ${now}`,
      'FROM measures',
    ].join('\n');
  });
  return [
    `INSERT INTO ${quoteQualifiedName(tables.database, tables.qualityResultsTable)}`,
    '  (product, version, major, rule, rule_source, measured, threshold, passed, blocks_publish, run_id, run_kind, checked_at)',
    `WITH audited AS (${source}),`,
    `measures AS (\n${aggregate}\n)`,
    rows.join('\nUNION ALL\n'),
  ].join('\n');
}

/** Output columns of the verdict, in order; the state machine reads them by position. */
export const VERDICT_COLUMNS = [
  'failed_rules',
  'rules',
  'quality_score',
  'rows_written',
  'freshness_age_seconds',
] as const;

/**
 * Step 3, verdict: what the audit found, one row. `failed_rules` counts failures that block the publish;
 * `quality_score` is the percent of all rules that passed; `freshness_age_seconds` is the SLA freshness check's
 * measured age (NO_DATA_AGE_SECONDS when there was nothing to measure, -1 when the product promises none).
 */
export function verdictStatement(product: MeshProduct, tables: RunTables, kind: 'build' | 'check'): string {
  const rowsWritten =
    kind === 'build'
      ? `(SELECT count(*) FROM ${quoteQualifiedName(tables.database, tables.stagingTable)} WHERE run_id = ${runIdLiteral})`
      : `max(CASE WHEN rule = ${quoteString(TOTAL_ROWS_COLUMN)} THEN measured END)`;
  return [
    'SELECT',
    '  count_if(NOT passed AND blocks_publish) AS failed_rules,',
    '  count(*) AS rules,',
    '  CAST(round(CASE WHEN count(*) = 0 THEN 100 ELSE 100.0 * count_if(passed) / count(*) END, 2) AS double) AS quality_score,',
    `  CAST(coalesce(${rowsWritten}, 0) AS bigint) AS rows_written,`,
    `  CAST(coalesce(max(CASE WHEN rule_source = 'sla.freshness' THEN coalesce(measured, ${NO_DATA_AGE_SECONDS}) END), -1) AS bigint) AS freshness_age_seconds`,
    `FROM ${quoteQualifiedName(tables.database, tables.qualityResultsTable)}`,
    `WHERE product = ${quoteString(product.id)} AND run_id = ${runIdLiteral}`,
  ].join('\n');
}

/**
 * Step 4, publish: one MERGE on the primary key, so re-running a period updates rows instead of duplicating them.
 * `full-refresh` also deletes product rows the run did not produce; `partition-overwrite` does so only in the
 * partitions the run produced; `append` only inserts keys that are new.
 */
export function publishStatement(product: MeshProduct, version: ProductVersion, tables: RunTables): string {
  const mode = product.definition.build?.mode ?? 'full-refresh';
  const target = quoteQualifiedName(tables.database, tables.table);
  const columns = productColumns(version).map(q);
  const keys = primaryKey(version).map(q);
  const on = keys.map((k) => `t.${k} = u.${k}`).join(' AND ');
  const insert = `WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((c) => `u.${c}`).join(', ')})`;
  if (mode === 'append') {
    return [`MERGE INTO ${target} AS t`, `USING (${stagedRows(tables)}) AS u`, `ON ${on}`, insert].join('\n');
  }
  const nonKeys = columns.filter((c) => !keys.includes(c));
  const removal = q('__mesh_remove');
  let current = `SELECT ${keys.join(', ')} FROM ${target}`;
  if (mode === 'partition-overwrite') {
    const partitions = version.schema.columns.filter((c) => c.partition).map((c) => q(c.name));
    const same = partitions.map((p) => `s.${p} = c.${p}`).join(' AND ');
    current = `SELECT ${keys.map((k) => `c.${k}`).join(', ')} FROM ${target} AS c WHERE EXISTS (SELECT 1 FROM (${stagedRows(tables)}) AS s WHERE ${same})`;
  }
  // Every current key the run did not produce comes through with the removal flag set.
  const source = [
    'SELECT',
    `  ${[...keys.map((k) => `coalesce(s.${k}, c.${k}) AS ${k}`), ...nonKeys.map((c) => `s.${c}`)].join(', ')},`,
    `  s.${keys[0]} IS NULL AS ${removal}`,
    `FROM (${stagedRows(tables)}) AS s`,
    `FULL OUTER JOIN (${current}) AS c ON ${keys.map((k) => `s.${k} = c.${k}`).join(' AND ')}`,
  ].join('\n');
  const update = nonKeys.length
    ? `WHEN MATCHED THEN UPDATE SET ${nonKeys.map((c) => `${c} = u.${c}`).join(', ')}`
    : undefined;
  return [
    `MERGE INTO ${target} AS t`,
    `USING (\n${source}\n) AS u`,
    `ON ${on}`,
    `WHEN MATCHED AND u.${removal} THEN DELETE`,
    ...(update ? [update] : []),
    insert.replace('WHEN NOT MATCHED THEN', `WHEN NOT MATCHED AND NOT u.${removal} THEN`),
  ].join('\n');
}

/** Step 5: this run's staged rows, and leftovers of failed runs older than the retention, leave staging. */
export function clearStagingStatement(tables: RunTables, dialect: SqlDialect): string {
  return [
    `DELETE FROM ${quoteQualifiedName(tables.database, tables.stagingTable)}`,
    `WHERE run_id = ${runIdLiteral} OR staged_at < ${nowTimestamp(dialect)} - INTERVAL '${STAGING_RETENTION_DAYS}' DAY`,
  ].join('\n');
}

/** Fills the slots with values, for engines run directly (DuckDB in tests and `mesh build --local`). */
export function renderSlots(sql: string, values: Readonly<Record<SlotName, string>>): string {
  return sql.split(SLOT.runId).join(values.runId).split(SLOT.runDate).join(values.runDate);
}

/**
 * The statement as a States.Format format string and the slots in the order they occur, for the state machine.
 * Literal braces are escaped as the intrinsic requires; quotes and backslashes are escaped by the CDK when it
 * writes the intrinsic (aws-stepfunctions JsonPath.format).
 */
export function toStatesFormat(sql: string): { format: string; slots: SlotName[] } {
  const slots: SlotName[] = [];
  const pattern = new RegExp(`${SLOT.runId}|${SLOT.runDate}`, 'g');
  let format = '';
  let last = 0;
  for (const match of sql.matchAll(pattern)) {
    format += escapeBraces(sql.slice(last, match.index));
    format += '{}';
    slots.push(match[0] === SLOT.runId ? 'runId' : 'runDate');
    last = (match.index ?? 0) + match[0].length;
  }
  format += escapeBraces(sql.slice(last));
  return { format, slots };
}

function escapeBraces(text: string): string {
  return text.replace(/[{}]/g, (c) => `\\${c}`);
}
