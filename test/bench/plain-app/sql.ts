/**
 * The Athena SQL a product's runs execute: the quality rules measured in one scan, their rows written to
 * `quality_results`, the verdict read back, and for a build the staging insert, the publish and the clean-up.
 * Values only known at run time are written as RUN_ID and RUN_DATE (see state-machine.ts).
 */
import type { SyntheticProduct, SyntheticRule } from '../synthetic-mesh';

/** Stand-ins for the execution's values, filled by the state machine. */
export const RUN_ID = '@@run_id@@';
export const RUN_DATE = '@@run_date@@';

const q = (name: string) => `"${name}"`;

/** A rule as SQL: what to measure in the scan and what the measure must satisfy. */
interface Rule {
  readonly id: string;
  readonly source: string;
  /** Aggregate over the audited rows. */
  readonly measure: string;
  /** Comparison the measure must pass, e.g. `= 0`. */
  readonly test: string;
  readonly threshold: string;
  readonly blocksPublish: boolean;
}

function qualityRule(rule: SyntheticRule, i: number): Rule {
  const source = `quality[${i}]`;
  if (rule.rule === 'rowCount') {
    return {
      id: 'row_count',
      source,
      measure: 'count(*)',
      test: `> ${rule.mustBeGreaterThan}`,
      threshold: `> ${rule.mustBeGreaterThan} rows`,
      blocksPublish: true,
    };
  }
  const column = q(rule.column);
  return rule.rule === 'notNull'
    ? {
        id: `not_null_${rule.column}`,
        source,
        measure: `count_if(${column} IS NULL)`,
        test: '= 0',
        threshold: '= 0 rows',
        blocksPublish: true,
      }
    : {
        id: `unique_${rule.column}`,
        source,
        measure: `count(${column}) - count(DISTINCT ${column})`,
        test: '= 0',
        threshold: '= 0 duplicates',
        blocksPublish: true,
      };
}

/** The product's rules, its SLA freshness and, in a build, its primary key (a build must not publish duplicates). */
export function rulesOf(product: SyntheticProduct, kind: 'build' | 'check'): Rule[] {
  const rules = product.quality.map(qualityRule);
  const { freshness } = product.sla;
  const hours = Number.parseInt(freshness.within, 10);
  rules.push({
    id: `freshness_${freshness.column}`,
    source: 'sla.freshness',
    measure: `date_diff('second', CAST(max(${q(freshness.column)}) AS timestamp), CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp))`,
    test: `<= ${hours * 3600}`,
    threshold: `at most ${freshness.within}`,
    // Late data is worth an alert, not a refusal to publish what a build just produced.
    blocksPublish: kind === 'check',
  });
  if (kind === 'build') {
    for (const key of product.columns.filter((c) => c.primaryKey)) {
      rules.push(
        {
          id: `key_not_null_${key.name}`,
          source: 'schema.primaryKey',
          measure: `count_if(${q(key.name)} IS NULL)`,
          test: '= 0',
          threshold: '= 0 rows',
          blocksPublish: true,
        },
        {
          id: `key_unique_${key.name}`,
          source: 'schema.primaryKey',
          measure: `count(${q(key.name)}) - count(DISTINCT ${q(key.name)})`,
          test: '= 0',
          threshold: '= 0 duplicates',
          blocksPublish: true,
        },
      );
    }
  }
  return rules;
}

export interface RunSql {
  /** The owning domain's name. */
  readonly domain: string;
  /** Glue database of the domain. */
  readonly database: string;
  readonly product: SyntheticProduct;
  /** The product's table and, for a build, its staging table. */
  readonly table: string;
  readonly stagingTable: string;
}

const fqn = (database: string, table: string) => `${q(database)}.${q(table)}`;

/** Every rule in one scan, for the console (the saved named query). */
export function qualityQuery(props: RunSql): string {
  const measures = rulesOf(props.product, 'check').map((r) => `  ${r.measure} AS ${q(r.id)}`);
  return `SELECT\n  count(*) AS "total_rows",\n${measures.join(',\n')}\nFROM ${fqn(props.database, props.table)}`;
}

/** Measures the rules on the audited rows (the staged batch of a build, the whole table in a check) and stores one row per rule. */
export function auditSql(props: RunSql, kind: 'build' | 'check'): string {
  const rules = rulesOf(props.product, kind);
  const source =
    kind === 'build'
      ? `SELECT * FROM ${fqn(props.database, props.stagingTable)} WHERE run_id = '${RUN_ID}'`
      : `SELECT * FROM ${fqn(props.database, props.table)}`;
  const id = `${props.domain}/${props.product.name}`;
  const rows = rules.map(
    (r) =>
      `SELECT '${id}', '${props.product.version}', 1, '${r.id}', '${r.source}',\n` +
      `  CAST(m.${q(r.id)} AS double), '${r.threshold}', coalesce(m.${q(r.id)} ${r.test}, false),\n` +
      `  ${r.blocksPublish}, '${RUN_ID}', '${kind}', CAST(current_timestamp AS timestamp(6))\nFROM m`,
  );
  return (
    `INSERT INTO ${fqn(props.database, 'quality_results')}\n` +
    '  (product, version, major, rule, rule_source, measured, threshold, passed, blocks_publish, run_id, run_kind, checked_at)\n' +
    `WITH audited AS (${source}),\nm AS (\nSELECT\n  count(*) AS "total_rows",\n` +
    `${rules.map((r) => `  ${r.measure} AS ${q(r.id)}`).join(',\n')}\nFROM audited\n)\n` +
    rows.join('\nUNION ALL\n')
  );
}

/** One row: failed blocking rules, rules, score, rows audited, freshness age. */
export function verdictSql(props: RunSql): string {
  const freshness = `freshness_${props.product.sla.freshness.column}`;
  return (
    'SELECT\n' +
    '  count_if(NOT passed AND blocks_publish) AS failed_rules,\n' +
    '  count(*) AS rules,\n' +
    '  CAST(round(100.0 * count_if(passed) / greatest(count(*), 1), 2) AS double) AS quality_score,\n' +
    `  CAST(coalesce(max(CASE WHEN rule = 'row_count' THEN measured END), 0) AS bigint) AS rows_audited,\n` +
    `  CAST(coalesce(max(CASE WHEN rule = '${freshness}' THEN measured END), -1) AS bigint) AS freshness_age_seconds\n` +
    `FROM ${fqn(props.database, 'quality_results')}\n` +
    `WHERE product = '${props.domain}/${props.product.name}' AND run_id = '${RUN_ID}'`
  );
}

/** The product's build SQL with its input tables and run day filled in. */
export function buildSelect(prefix: string, product: SyntheticProduct): string {
  if (!product.build) throw new Error(`${product.name} has no build`);
  return product.build.sql
    .replace(/\{input:([a-z0-9_]+)\/([a-z0-9_]+)@(\d+)\}/g, (_, d, p, major) => fqn(`${prefix}_${d}`, `${p}_v${major}`))
    .replace(/\{run_date\}/g, `(DATE '${RUN_DATE}')`);
}

/** Writes the build's rows to the staging table, tagged with the run. */
export function stageSql(props: RunSql, select: string): string {
  const columns = props.product.columns.map((c) => q(c.name));
  return (
    `INSERT INTO ${fqn(props.database, props.stagingTable)} (${columns.join(', ')}, run_id, staged_at)\n` +
    `SELECT ${columns.map((c) => `b.${c}`).join(', ')}, '${RUN_ID}', CAST(current_timestamp AS timestamp(6))\n` +
    `FROM (\n${select}\n) AS b`
  );
}

/**
 * Replaces the partitions the run wrote, in one atomic MERGE: staged rows are upserted by key, and rows of those
 * partitions the run did not write again are deleted.
 */
export function publishSql(props: RunSql): string {
  const keys = props.product.columns.filter((c) => c.primaryKey).map((c) => q(c.name));
  const partitions = props.product.columns.filter((c) => c.partition !== undefined).map((c) => q(c.name));
  const values = props.product.columns.filter((c) => !c.primaryKey).map((c) => q(c.name));
  const all = props.product.columns.map((c) => q(c.name));
  const target = fqn(props.database, props.table);
  const staged = `(SELECT * FROM ${fqn(props.database, props.stagingTable)} WHERE run_id = '${RUN_ID}')`;
  const on = (a: string, b: string, columns: string[]) => columns.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');
  return (
    `MERGE INTO ${target} AS t\nUSING (\n` +
    `  SELECT ${all.map((c) => `s.${c}`).join(', ')}, false AS "__drop" FROM ${staged} AS s\n` +
    '  UNION ALL\n' +
    `  SELECT ${all.map((c) => `c.${c}`).join(', ')}, true AS "__drop" FROM ${target} AS c\n` +
    `  WHERE EXISTS (SELECT 1 FROM ${staged} AS p WHERE ${on('p', 'c', partitions)})\n` +
    `  AND NOT EXISTS (SELECT 1 FROM ${staged} AS k WHERE ${on('k', 'c', keys)})\n` +
    `) AS u\nON ${on('t', 'u', keys)}\n` +
    'WHEN MATCHED AND u."__drop" THEN DELETE\n' +
    `WHEN MATCHED THEN UPDATE SET ${values.map((c) => `${c} = u.${c}`).join(', ')}\n` +
    `WHEN NOT MATCHED AND NOT u."__drop" THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `u.${c}`).join(', ')})`
  );
}

/** Drops the run's staged rows, and any a failed run left behind more than a week ago. */
export function clearStagingSql(props: RunSql): string {
  return (
    `DELETE FROM ${fqn(props.database, props.stagingTable)}\n` +
    `WHERE run_id = '${RUN_ID}' OR staged_at < CAST(current_timestamp AS timestamp(6)) - INTERVAL '7' DAY`
  );
}
