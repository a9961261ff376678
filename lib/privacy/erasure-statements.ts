/**
 * The exact statements of an erasure plan, step by step. An Iceberg table loses the subject's rows by one
 * Athena DELETE, then OPTIMIZE and VACUUM so no data file or kept snapshot still holds them. Athena cannot
 * DELETE from a Hive table (Parquet, JSON, CSV), so those are rewritten: the rows to keep of the partitions that
 * hold the subject go to a staging prefix (CTAS), the counts are compared, the partition folders are swapped
 * for the staged ones, the staging table is dropped. The data buckets are versioned: what a step deletes stays
 * as a noncurrent version until the bucket lifecycle expires it, so each step ends by removing those.
 */
import type { ProductSchemaDefinition } from '../definition/schema';
import { ACCOUNT_PLACEHOLDER, REGION_PLACEHOLDER } from '../mesh/naming';
import { quoteIdentifier, quoteQualifiedName, quoteString } from '../quality/sql-text';
import type { EraseStep, ErasurePlan, ErasureStep, RebuildStep } from './erasure-plan';
import { subjectCondition } from './erasure-subject';

/**
 * Days a data bucket keeps a noncurrent object version: the `ExpireNoncurrentVersions` lifecycle rule of the
 * domain's data bucket (constructs/data-domain.ts).
 */
export const NONCURRENT_VERSION_DAYS = 90;
/** Athena's default `vacuum_max_snapshot_age_seconds` of an Iceberg table; the platform sets none. */
export const ICEBERG_SNAPSHOT_AGE_DAYS = 5;
/** Partitions one CTAS or INSERT INTO may write (Athena's limit). */
export const CTAS_PARTITION_LIMIT = 100;
/** Key prefix of the data bucket under which rewrites are staged. */
export const STAGING_PREFIX = 'erasure';

/** What a command does, so a runner can pick the ones it executes. */
export type CommandRole =
  | 'count'
  | 'delete'
  | 'verify'
  | 'optimize'
  | 'vacuum'
  | 'partitions'
  | 'count-before'
  | 'clean-staging'
  | 'stage'
  | 'count-kept'
  | 'swap'
  | 'drop-staging'
  | 'noncurrent-versions'
  | 'rebuild';

/** One statement or command of a step. */
export interface ErasureCommand {
  readonly role: CommandRole;
  /** What it does and why, for the comment above it. */
  readonly title: string;
  /** `athena`: SQL run in the step's workgroup; `shell`: an AWS CLI command the owner runs. */
  readonly engine: 'athena' | 'shell';
  readonly text: string;
}

/** The commands of one step, in order. */
export interface StepStatements {
  readonly step: ErasureStep;
  /** The data bucket with account and region filled in where known. */
  readonly bucket: string;
  readonly commands: readonly ErasureCommand[];
  /** Limits and follow-ups of the step. */
  readonly notes: readonly string[];
}

/** Where the data buckets are: a domain's `env`, else the options of the command. */
export interface StatementOptions {
  /** Account and region of a domain's buckets, when known; unknown parts stay `{account}` / `{region}`. */
  readonly environmentOf?: (domain: string) => { readonly account?: string; readonly region?: string };
}

/** The commands of every step of the plan, in the plan's order. */
export function erasureStatements(plan: ErasurePlan, options: StatementOptions = {}): StepStatements[] {
  return plan.steps.map((step) => {
    const env = options.environmentOf?.(step.domain) ?? {};
    const bucket = step.bucket
      .split(ACCOUNT_PLACEHOLDER)
      .join(env.account ?? ACCOUNT_PLACEHOLDER)
      .split(REGION_PLACEHOLDER)
      .join(env.region ?? REGION_PLACEHOLDER);
    if (step.kind === 'rebuild') return rebuildStatements(step, bucket);
    return step.format === 'iceberg'
      ? icebergStatements(plan, step, bucket)
      : rewriteStatements(plan, step, bucket, step.format);
  });
}

/** The subject's rows of the step: `coalesce(<condition>, false)`, so a NULL key is never the subject's. */
export function subjectRows(plan: ErasurePlan, step: EraseStep): string {
  return `coalesce(${subjectCondition(step.keyColumns, plan.subjects)}, false)`;
}

function icebergStatements(plan: ErasurePlan, step: EraseStep, bucket: string): StepStatements {
  const table = quoteQualifiedName(step.database, step.table);
  const match = subjectCondition(step.keyColumns, plan.subjects);
  const count = `SELECT count(*) AS subject_rows FROM ${table} WHERE ${match}`;
  return {
    step,
    bucket,
    commands: [
      { role: 'count', engine: 'athena', title: "The subject's rows, before.", text: count },
      {
        role: 'delete',
        engine: 'athena',
        title: "Delete the subject's rows.",
        text: `DELETE FROM ${table} WHERE ${match}`,
      },
      { role: 'verify', engine: 'athena', title: 'Must be 0.', text: count },
      {
        role: 'optimize',
        engine: 'athena',
        title: 'Rewrite the data files the DELETE marked, so no current data file holds the rows.',
        text: `OPTIMIZE ${plainName(step.database, step.table)} REWRITE DATA USING BIN_PACK`,
      },
      {
        role: 'vacuum',
        engine: 'athena',
        title: `Expire snapshots older than the table's vacuum_max_snapshot_age_seconds (Athena's default: ${ICEBERG_SNAPSHOT_AGE_DAYS} days) and remove their files.`,
        text: `VACUUM ${plainName(step.database, step.table)}`,
      },
      noncurrentVersions(bucket, step.prefix, ''),
    ],
    notes: [
      `time travel reads the rows from older snapshots until VACUUM expires them: run VACUUM again ${ICEBERG_SNAPSHOT_AGE_DAYS} days after the DELETE, then remove the noncurrent versions (last command)`,
    ],
  };
}

function rewriteStatements(
  plan: ErasurePlan,
  step: EraseStep,
  bucket: string,
  format: Exclude<ProductSchemaDefinition['format'], 'iceberg'>,
): StepStatements {
  const table = quoteQualifiedName(step.database, step.table);
  const stagingTable = `${step.table}__erasure_${plan.requestId}`;
  const staging = quoteQualifiedName(step.database, stagingTable);
  const stagingLocation = `s3://${bucket}/${STAGING_PREFIX}/${plan.requestId}/${step.prefix}`;
  const location = `s3://${bucket}/${step.prefix}`;
  const rows = subjectRows(plan, step);
  const columns = step.columns.map(quoteIdentifier).join(', ');
  const partitioned = step.partitionColumns.length > 0;
  const partitionList = step.partitionColumns.map(quoteIdentifier).join(', ');
  // Rows of the partitions holding the subject, found in one scan by a window over each partition.
  const from = partitioned
    ? `(SELECT *, max(CASE WHEN ${rows} THEN 1 ELSE 0 END) OVER (PARTITION BY ${partitionList}) AS holds_subject FROM ${table}) AS t`
    : `${table} AS t`;
  const where = (...conditions: string[]) => {
    const all = [...(partitioned ? ['holds_subject = 1'] : []), ...conditions];
    return all.length > 0 ? ` WHERE ${all.join(' AND ')}` : '';
  };
  const path = step.partitionColumns
    .map((c) => `'${c}=' || CAST(${quoteIdentifier(c)} AS varchar) || '/'`)
    .join(' || ');
  const withOptions = [
    ...writeOptions(format),
    `external_location = ${quoteString(stagingLocation)}`,
    ...(partitioned ? [`partitioned_by = ARRAY[${step.partitionColumns.map(quoteString).join(', ')}]`] : []),
  ];
  const swapFrom = partitioned ? `${stagingLocation}<path>` : stagingLocation;
  const swapTo = partitioned ? `${location}<path>` : location;
  const commands: ErasureCommand[] = [
    {
      role: 'partitions',
      engine: 'athena',
      title: partitioned
        ? "The partitions holding the subject, with the rows of the subject in each: only these are rewritten; <path> below is each row's path."
        : "The subject's rows: the table is not partitioned, so all of its files are rewritten.",
      text: partitioned
        ? `SELECT ${partitionList}, ${path} AS path, count(*) AS subject_rows FROM ${table} WHERE ${rows} GROUP BY ${partitionList} ORDER BY ${partitionList}`
        : `SELECT count(*) AS subject_rows FROM ${table} WHERE ${rows}`,
    },
    {
      role: 'count-before',
      engine: 'athena',
      title: 'Rows before, in what is rewritten.',
      text: `SELECT count(*) AS rows_before, count(*) FILTER (WHERE ${rows}) AS subject_rows FROM ${from}${where()}`,
    },
    {
      role: 'clean-staging',
      engine: 'shell',
      title: 'Empty the staging prefix (CTAS writes only to an empty location).',
      text: `aws s3 rm ${stagingLocation} --recursive`,
    },
    {
      role: 'clean-staging',
      engine: 'athena',
      title: 'Drop a staging table left by an earlier attempt.',
      text: `DROP TABLE IF EXISTS ${ddlName(step.database, stagingTable)}`,
    },
    {
      role: 'stage',
      engine: 'athena',
      title: 'Write every row to keep of what is rewritten to the staging prefix.',
      text: `CREATE TABLE ${staging} WITH (${withOptions.join(', ')}) AS SELECT ${columns} FROM ${from}${where(`NOT ${rows}`)}`,
    },
    {
      role: 'count-kept',
      engine: 'athena',
      title: 'rows_kept must be rows_before - subject_rows of the count before, and subject_rows 0.',
      text: `SELECT count(*) AS rows_kept, count(*) FILTER (WHERE ${rows}) AS subject_rows FROM ${staging}`,
    },
    {
      role: 'swap',
      engine: 'shell',
      title: partitioned
        ? "For every <path> of the partitions query: replace the partition's files by the staged ones (a partition left without rows has no staged folder, and sync empties it)."
        : "Replace the table's files by the staged ones.",
      text: `aws s3 sync ${swapFrom} ${swapTo} --delete`,
    },
    {
      role: 'drop-staging',
      engine: 'athena',
      title: 'Drop the staging table.',
      text: `DROP TABLE IF EXISTS ${ddlName(step.database, stagingTable)}`,
    },
    {
      role: 'drop-staging',
      engine: 'shell',
      title: 'Remove the staged files.',
      text: `aws s3 rm ${stagingLocation} --recursive`,
    },
    noncurrentVersions(bucket, step.prefix, partitioned ? '<path>' : ''),
  ];
  const notes = [
    ...(partitioned
      ? [
          `Athena writes at most ${CTAS_PARTITION_LIMIT} partitions per CTAS: when the partitions query returns more, add AND ${quoteIdentifier(step.partitionColumns[0])} IN (…) with ${CTAS_PARTITION_LIMIT} of them to the CTAS, then INSERT INTO ${staging} the same SELECT for each further ${CTAS_PARTITION_LIMIT}`,
        ]
      : []),
    "while files are swapped, readers may briefly see old and new files at once: pause the product's writers and swap outside reading hours",
  ];
  return { step, bucket, commands, notes };
}

function rebuildStatements(step: RebuildStep, bucket: string): StepStatements {
  return {
    step,
    bucket,
    commands: step.rebuild.command
      ? [{ role: 'rebuild', engine: 'shell', title: step.rebuild.text, text: step.rebuild.command }]
      : [],
    notes: step.rebuild.command ? [] : [`${step.rebuild.text}; owner ${step.owner.team} <${step.owner.email}>`],
  };
}

/** Deletes every noncurrent version under the prefix (plus a partition path), which would keep the rows. */
function noncurrentVersions(bucket: string, prefix: string, path: string): ErasureCommand {
  const b = bucket;
  return {
    role: 'noncurrent-versions',
    engine: 'shell',
    title: `Remove the noncurrent versions the bucket keeps for ${NONCURRENT_VERSION_DAYS} days (lifecycle rule ExpireNoncurrentVersions): until then they hold the deleted rows.`,
    text: `aws s3api list-object-versions --bucket ${b} --prefix ${prefix}${path} --query 'Versions[?IsLatest==\`false\`].[Key,VersionId]' --output text | while read -r key id; do [ "$key" = None ] || aws s3api delete-object --bucket ${b} --key "$key" --version-id "$id"; done`,
  };
}

/** CTAS storage options of a Hive format: what the product's Glue table reads. */
function writeOptions(format: Exclude<ProductSchemaDefinition['format'], 'iceberg'>): string[] {
  switch (format) {
    case 'parquet':
      return ["format = 'PARQUET'", "write_compression = 'SNAPPY'"];
    case 'json':
      return ["format = 'JSON'", "write_compression = 'NONE'"];
    case 'csv':
      return ["format = 'TEXTFILE'", "field_delimiter = ','", "write_compression = 'NONE'"];
  }
}

const GLUE_NAME = /^[a-z0-9_]+$/;

/** `db.table` for statements Athena parses without double-quoted names (OPTIMIZE, VACUUM). */
function plainName(database: string, table: string): string {
  for (const name of [database, table]) {
    if (!GLUE_NAME.test(name)) throw new Error(`"${name}" is not a Glue name (lowercase letters, digits, "_")`);
  }
  return `${database}.${table}`;
}

/** `` `db`.`table` ``: Athena's DDL (DROP TABLE) quotes names with backticks. */
function ddlName(database: string, table: string): string {
  return plainName(database, table)
    .split('.')
    .map((part) => `\`${part}\``)
    .join('.');
}

/**
 * The statements as one file: a header saying how to run it, then every step with its commands in order.
 * Athena statements end with `;`; AWS CLI commands are comments starting with `-- $ `, so the file can be
 * pasted into the Athena console step by step without running a shell command by mistake.
 */
export function renderErasureScript(plan: ErasurePlan, statements: readonly StepStatements[]): string {
  const subject = plan.subjects.map((s) => `${s.key} = ${quoteString(s.value)}`).join(', ');
  const lines = [
    `-- Erasure of ${subject} (request ${plan.requestId}), planned by npx mesh erase.`,
    '-- Run the steps in order: producers before consumers, so a scheduled build cannot copy the subject back',
    '-- from a table not yet erased; rebuilds last. Athena statements run in the workgroup the step names, as the',
    '-- domain\'s producer role; lines starting with "-- $" are AWS CLI commands.',
    "-- This file holds the subject's key: delete it once the erasure is done.",
  ];
  for (const { step, bucket, commands, notes } of statements) {
    lines.push('', `-- ${'='.repeat(100)}`, ...stepHeader(step, bucket, statements.length).map((l) => `-- ${l}`));
    lines.push(`-- ${'='.repeat(100)}`);
    commands.forEach((command, i) => {
      lines.push('', `-- ${step.order}.${i + 1} ${command.title}`);
      lines.push(command.engine === 'athena' ? `${command.text};` : `-- $ ${command.text}`);
    });
    for (const note of notes) lines.push('', `-- Note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

function stepHeader(step: ErasureStep, bucket: string, total: number): string[] {
  const action = step.kind === 'erase' ? 'erase' : 'rebuild';
  const partitions = step.partitionColumns.length > 0 ? `, partitioned by ${step.partitionColumns.join(', ')}` : '';
  return [
    `Step ${step.order} of ${total}: ${action} ${step.id} v${step.major} (${step.version}), owner ${step.owner.team} <${step.owner.email}>`,
    `table ${step.database}.${step.table} (${step.format}${partitions}), workgroup ${step.workgroup}`,
    `data s3://${bucket}/${step.prefix}`,
    ...(step.kind === 'erase'
      ? [`key column${step.keyColumns.length === 1 ? '' : 's'}: ${step.keyColumns.map((c) => c.name).join(', ')}`]
      : []),
    ...(step.derivedFrom.length > 0 ? [`derived from ${step.derivedFrom.join(', ')}`] : []),
  ];
}
