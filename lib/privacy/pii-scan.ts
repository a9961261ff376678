/**
 * scanLocalPersonalData(): the values of a product version's text columns in local files, matched in DuckDB
 * against every category of personal data (lib/privacy/pii-detection.ts), on a repeatable random sample.
 * A column most of whose values look like one category and that the definition does not mark pii is a
 * finding; a marked column whose values agree is confirmed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { isTextType, parseColumnType } from '../definition/column-type';
import type { MeshProduct, ProductVersion } from '../mesh/model';
import { liveColumns } from '../policies/rules/mesh/schema-paths';
import { firstRow, withDuckDb } from '../quality/local-runner';
import {
  fileFormatOf,
  LocalInputError,
  type LocalSource,
  localRelation,
  resolveLocalSource,
} from '../quality/local-source';
import { quoteIdentifier, quoteString } from '../quality/sql-text';
import { PERSONAL_DATA_CATEGORIES, type PersonalDataCategory, type PersonalDataCategoryId } from './pii-detection';

/** Share of a column's values that must look like one category for the column to count as holding it. */
export const DEFAULT_PII_THRESHOLD = 0.5;
/** Rows the scan reads at most: a random sample this large tells a column of emails from one of codes. */
export const DEFAULT_PII_SAMPLE_ROWS = 10_000;
/** The sample is the same on every run over the same files, so a verdict can be reproduced. */
const SAMPLE_SEED = 1;

export interface PiiScanOptions {
  /** A data file, or a folder of them. */
  readonly path: string;
  /** 0..1. @default DEFAULT_PII_THRESHOLD */
  readonly threshold?: number;
  /** @default DEFAULT_PII_SAMPLE_ROWS */
  readonly sampleRows?: number;
  /** Told what the scan is doing, for a progress line. */
  readonly onProgress?: (text: string) => void;
}

/** A column whose values look like one category of personal data. */
export interface PiiScanMatch {
  readonly column: string;
  /** Where the column is in the product file, e.g. `schema.columns[2]`. */
  readonly path: string;
  readonly category: PersonalDataCategoryId;
  /** `email address`. */
  readonly label: string;
  /** Sampled non-empty values of the column, and how many of them look like the category. */
  readonly values: number;
  readonly matches: number;
  /** matches / values. */
  readonly share: number;
  /** `unmarked`: personal data the definition does not mark (a finding); `confirmed`: marked pii, and the values agree. */
  readonly status: 'unmarked' | 'confirmed';
}

/** What a scan read and found. */
export interface PiiScanReport {
  readonly product: string;
  readonly major: number;
  readonly threshold: number;
  /** Most rows sampled. */
  readonly sampleRows: number;
  readonly rowsScanned: number;
  readonly totalRows: number;
  /** The text columns scanned; other types cannot hold the patterns and are not read. */
  readonly columns: readonly string[];
  /** Unmarked columns that look personal: each fails the scan. */
  readonly findings: readonly PiiScanMatch[];
  /** Marked columns whose values look like a category. */
  readonly confirmed: readonly PiiScanMatch[];
  readonly passed: boolean;
}

/** A scan's report and what it ran. */
export interface PiiScanRun {
  readonly report: PiiScanReport;
  readonly source: LocalSource;
  readonly statement: string;
  readonly elapsedMs: number;
}

/** Scans local files of a product version for unmarked personal data; throws LocalInputError for unusable input. */
export async function scanLocalPersonalData(
  product: MeshProduct,
  version: ProductVersion,
  options: PiiScanOptions,
): Promise<PiiScanRun> {
  const started = performance.now();
  const threshold = options.threshold ?? DEFAULT_PII_THRESHOLD;
  const sampleRows = options.sampleRows ?? DEFAULT_PII_SAMPLE_ROWS;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(sampleRows) || sampleRows < 1) {
    throw new RangeError(`sampleRows must be a positive integer, got ${sampleRows}`);
  }
  const source = resolveLocalSource(options.path, fileFormatOf(version.schema.format));
  const paths = new Map(
    liveColumns(product)
      .filter((c) => c.major === version.major)
      .map((c) => [c.column.name, { path: c.path, pii: c.column.pii }]),
  );
  const columns = version.schema.columns.filter((c) => isTextType(parseColumnType(c.type))).map((c) => c.name);
  const statement = piiScanSql(localRelation(source, version.schema), columns, sampleRows);
  options.onProgress?.(
    `scanning ${columns.length} text column${columns.length === 1 ? '' : 's'} of ${source.path} for personal data`,
  );
  const row = await withDuckDb((connection: DuckDBConnection) => firstRow(connection, statement)).catch(
    (err: unknown) => {
      throw new LocalInputError(`DuckDB could not scan ${source.path} for personal data: ${firstLine(err)}`);
    },
  );

  const matches: PiiScanMatch[] = [];
  columns.forEach((column, c) => {
    const values = Number(row?.[`v${c}`] ?? 0);
    if (values === 0) return;
    // The category most values look like; a column is one thing.
    const best = scannable()
      .map((category, k) => ({ category, count: Number(row?.[`m${c}_${k}`] ?? 0) }))
      .reduce((a, b) => (b.count > a.count ? b : a));
    const share = best.count / values;
    if (share < threshold) return;
    const where = paths.get(column);
    matches.push({
      column,
      path: where?.path ?? column,
      category: best.category.id,
      label: best.category.label,
      values,
      matches: best.count,
      share,
      status: where?.pii ? 'confirmed' : 'unmarked',
    });
  });
  const findings = matches.filter((m) => m.status === 'unmarked');
  return {
    report: {
      product: product.id,
      major: version.major,
      threshold,
      sampleRows,
      rowsScanned: Number(row?.rows_scanned ?? 0),
      totalRows: Number(row?.total_rows ?? 0),
      columns,
      findings,
      confirmed: matches.filter((m) => m.status === 'confirmed'),
      passed: findings.length === 0,
    },
    source,
    statement,
    elapsedMs: performance.now() - started,
  };
}

/** Categories whose values can be recognized; a birth date looks like any other date. */
function scannable(): readonly PersonalDataCategory[] {
  return PERSONAL_DATA_CATEGORIES.filter((c) => c.value !== undefined);
}

/**
 * One statement: a repeatable reservoir sample of the rows, each text column trimmed (empty is no value),
 * then per column the values it has (`v<c>`) and those that look like each category (`m<c>_<k>`).
 */
export function piiScanSql(relation: string, columns: readonly string[], sampleRows: number): string {
  const sampled = columns.map((name, c) => `NULLIF(trim(CAST(${quoteIdentifier(name)} AS VARCHAR)), '') AS c${c}`);
  const measures = columns.flatMap((_, c) => [
    `count(c${c}) AS v${c}`,
    ...scannable().map(
      (category, k) => `count(*) FILTER (WHERE ${valuePredicateSql(category, `c${c}`)}) AS m${c}_${k}`,
    ),
  ]);
  return [
    `WITH sample AS (SELECT ${['1 AS one', ...sampled].join(', ')} FROM ${relation} USING SAMPLE reservoir(${sampleRows} ROWS) REPEATABLE (${SAMPLE_SEED}))`,
    `SELECT ${['count(*) AS rows_scanned', `(SELECT count(*) FROM ${relation}) AS total_rows`, ...measures].join(',\n  ')}`,
    'FROM sample',
  ].join('\n');
}

/** DuckDB's test of the category on a trimmed VARCHAR expression, the same as valueLooksLike(). */
export function valuePredicateSql(category: PersonalDataCategory, value: string): string {
  const pattern = category.value;
  if (!pattern) return 'false';
  const flags = pattern.ignoreCase ? `, 'i'` : '';
  const test = (regex: string) => `regexp_full_match(${value}, ${quoteString(regex)}${flags})`;
  const conditions = [test(pattern.pattern), ...(pattern.exclude ? [`NOT ${test(pattern.exclude)}`] : [])];
  const shape = conditions.join(' AND ');
  // CASE evaluates the check digits only for values of the right shape: list_reduce refuses an empty list.
  return pattern.checksum === 'iban-mod97'
    ? `CASE WHEN ${shape} THEN ${ibanMod97Sql(value)} = 1 ELSE false END`
    : shape;
}

/** ISO 13616 mod-97 of an IBAN, digit by digit as ibanChecksumValid() computes it. */
function ibanMod97Sql(value: string): string {
  const compact = `upper(replace(${value}, ' ', ''))`;
  const rearranged = `substr(${compact}, 5) || substr(${compact}, 1, 4)`;
  const digits = `list_transform(string_split(${rearranged}, ''), lambda ch: CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END)`;
  return `list_reduce(${digits}, lambda acc, d: (acc * CASE WHEN d >= 10 THEN 100 ELSE 10 END + d) % 97)`;
}

function firstLine(err: unknown): string {
  const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
  return message.split('\n')[0].trim();
}
