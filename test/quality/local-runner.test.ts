import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLocalQualityCheck, withDuckDb } from '../../lib/quality/local-runner';
import { LocalInputError, localRelation, resolveLocalSource } from '../../lib/quality/local-source';
import { quoteString } from '../../lib/quality/sql-text';
import { meshProductOf, productInput } from './product-fixture';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-local-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const product = meshProductOf(
  productInput({
    quality: [
      { rule: 'notNull', column: 'order_id' },
      { rule: 'range', column: 'amount', min: 0 },
    ],
  }),
);
const version = product.versions[0];

/** Writes rows with DuckDB in the format the file extension names. */
async function write(file: string, select: string): Promise<string> {
  const absolute = path.join(dir, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const format = absolute.endsWith('.csv')
    ? 'FORMAT csv, HEADER true'
    : absolute.endsWith('.json')
      ? 'FORMAT json'
      : 'FORMAT parquet';
  await withDuckDb((c) => c.run(`COPY (${select}) TO ${quoteString(absolute)} (${format})`).then(() => undefined));
  return absolute;
}

const ROWS = `SELECT * FROM (VALUES ('A-1', 10.50), ('A-2', -1.00), (NULL, 3.00)) AS t(order_id, amount)`;

describe('runLocalQualityCheck', () => {
  test.each(['orders.parquet', 'orders.csv', 'orders.json'])(
    'reads %s with the reader its extension names',
    async (file) => {
      const { report, source } = await runLocalQualityCheck(product, version, { path: await write(file, ROWS) });
      expect(source.format).toBe(path.extname(file).slice(1));
      expect(report.totalRows).toBe(3);
      expect(report.results.map((r) => [r.id, r.measured, r.status])).toEqual([
        ['r01_not_null_order_id', 1, 'fail'],
        ['r02_range_amount', 1, 'fail'],
      ]);
    },
  );

  test('reads every file of a folder, nested ones included, skipping marker files', async () => {
    await write('folder/order_date=2025-01-01/part-0.parquet', ROWS);
    await write('folder/order_date=2025-01-02/part-0.parquet', `SELECT 'B-1' AS order_id, 1.00 AS amount`);
    fs.writeFileSync(path.join(dir, 'folder', '_SUCCESS'), '');
    const source = resolveLocalSource(path.join(dir, 'folder'), 'parquet');
    expect(source.files.map((f) => path.relative(dir, f))).toEqual([
      'folder/order_date=2025-01-01/part-0.parquet',
      'folder/order_date=2025-01-02/part-0.parquet',
    ]);
    expect(localRelation(source)).toMatch(
      /^read_parquet\(\['.*part-0\.parquet', '.*part-0\.parquet'\], union_by_name = true\)$/,
    );
    // Hive-style folder names add their partition column; the product does not declare it here.
    await expect(runLocalQualityCheck(product, version, { path: path.join(dir, 'folder') })).rejects.toThrow(
      `${path.join(dir, 'folder')} does not have the columns of sales/orders v2: not in the schema: order_date`,
    );
  });

  test('applies a row filter', async () => {
    const { report } = await runLocalQualityCheck(product, version, {
      path: await write('filtered.parquet', ROWS),
      where: "order_id LIKE 'A-%'",
    });
    expect(report.totalRows).toBe(2);
  });

  test('reads CSV columns as the schema types, so a bad value fails loudly', async () => {
    const file = await write('bad-amount.csv', `SELECT 'A-1' AS order_id, 'ten' AS amount`);
    await expect(runLocalQualityCheck(product, version, { path: file })).rejects.toThrow(
      /^DuckDB could not run the checks on .*bad-amount\.csv: Conversion Error: CSV Error on Line: 2 Original Line: A-1,ten Error when converting column "amount"\. Could not convert string "ten" to 'DECIMAL'/,
    );
  });
});

describe('unusable input', () => {
  test('a missing path', async () => {
    const missing = path.join(dir, 'nope.parquet');
    await expect(runLocalQualityCheck(product, version, { path: missing })).rejects.toThrow(
      new LocalInputError(`no such file or folder: ${missing}`),
    );
  });

  test('an empty file', async () => {
    const empty = path.join(dir, 'empty.parquet');
    fs.writeFileSync(empty, '');
    await expect(runLocalQualityCheck(product, version, { path: empty })).rejects.toThrow(
      `${empty} is empty (0 bytes)`,
    );
  });

  test('an empty folder, and a folder of empty files', async () => {
    const folder = path.join(dir, 'empty-folder');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not data');
    await expect(runLocalQualityCheck(product, version, { path: folder })).rejects.toThrow(
      `${folder} holds no data files (looked for .parquet, .parq, .pq, .csv, .csv.gz, .tsv, .json, .jsonl, .ndjson, .json.gz, .jsonl.gz, .ndjson.gz)`,
    );
    fs.writeFileSync(path.join(folder, 'part-0.parquet'), '');
    await expect(runLocalQualityCheck(product, version, { path: folder })).rejects.toThrow(
      `${folder} holds empty files (0 bytes): part-0.parquet`,
    );
  });

  test('a folder mixing formats, none of them the product format', async () => {
    const folder = path.join(dir, 'mixed');
    await write('mixed/a.csv', ROWS);
    await write('mixed/b.json', ROWS);
    await expect(runLocalQualityCheck(product, version, { path: folder })).rejects.toThrow(
      `${folder} holds no parquet files (the product's format) but several other formats (1 csv, 1 json); point at one file or a folder of one format`,
    );
  });

  test('files whose columns are not the schema: missing and extra columns are named', async () => {
    const file = await write('wrong-columns.parquet', `SELECT 'A-1' AS order_id, 1.0 AS total_amount, 'x' AS note`);
    await expect(runLocalQualityCheck(product, version, { path: file })).rejects.toThrow(
      `${file} does not have the columns of sales/orders v2: missing amount; not in the schema: total_amount, note`,
    );
  });

  test('Parquet columns holding another kind of value than the schema says', async () => {
    const file = await write('wrong-types.parquet', `SELECT 42 AS order_id, DATE '2025-01-01' AS amount`);
    await expect(runLocalQualityCheck(product, version, { path: file })).rejects.toThrow(
      `${file} does not have the column types of sales/orders v2: order_id is INTEGER, the schema says string; amount is DATE, the schema says decimal(12,2)`,
    );
  });

  test('a file that is not what its extension says', async () => {
    const file = path.join(dir, 'text.parquet');
    fs.writeFileSync(file, 'order_id,amount\nA-1,1.0\n');
    await expect(runLocalQualityCheck(product, version, { path: file })).rejects.toThrow(
      `cannot read ${file} as parquet: Invalid Input Error: No magic bytes found at end of file '${file}'`,
    );
  });
});
