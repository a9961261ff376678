/**
 * The personal-data scan in DuckDB: its SQL judges values exactly as the definition rule does, a column
 * most of whose sampled values look like one category is reported (unmarked) or confirmed (marked pii),
 * only text columns are read, and the sample limit holds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PERSONAL_DATA_CATEGORIES, valueLooksLike } from '../../lib/privacy/pii-detection';
import { scanLocalPersonalData, valuePredicateSql } from '../../lib/privacy/pii-scan';
import { withDuckDb } from '../../lib/quality/local-runner';
import { quoteString } from '../../lib/quality/sql-text';
import { meshProductOf, productInput } from '../quality/product-fixture';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pii-scan-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const VALUES = [
  'ana.lopez@example.com',
  'not an email@example',
  '+4915112345678',
  '+49 30 1234567',
  '+1 (555) 123-4567',
  '(030) 1234567',
  '555-123-4567',
  '05-12-2024',
  '0012345678',
  '078-05-1120',
  'AB 12 34 56 C',
  '12 345 678 901',
  'DE89 3704 0044 0532 0130 00',
  'DE89 3704 0044 0532 0130 01',
  'gb82west12345698765432',
  '221B Baker Street',
  'Hauptstraße 5',
  'SW1A 1AA',
  '94105-1234',
  '192.168.10.7',
  '256.1.1.1',
  '2001:db8::8a2e:370:7334',
  '12:30:00',
  'ORD-0000000001',
  '',
];

test("DuckDB's predicates agree with the rule's on every category", async () => {
  const categories = PERSONAL_DATA_CATEGORIES.filter((c) => c.value);
  const rows = VALUES.map((v) => `(${quoteString(v)})`).join(', ');
  const sql = `SELECT v, ${categories.map((c, k) => `${valuePredicateSql(c, 'trim(v)')} AS k${k}`).join(', ')} FROM (VALUES ${rows}) t(v)`;
  const fromDuckDb = await withDuckDb(async (connection) => (await connection.runAndReadAll(sql)).getRowObjectsJS());
  const expected = VALUES.map((v) => ({
    v,
    ...Object.fromEntries(categories.map((c, k) => [`k${k}`, valueLooksLike(c, v)])),
  }));
  expect(fromDuckDb).toEqual(expected);
  // The table is not trivially all false: each category recognizes something.
  for (let k = 0; k < categories.length; k++) expect(expected.some((row) => row[`k${k}` as 'v'])).toBe(true);
});

describe('scanLocalPersonalData', () => {
  const product = meshProductOf(
    productInput({
      name: 'contacts',
      version: '1.0.0',
      classification: 'confidential',
      schema: {
        format: 'csv',
        columns: [
          { name: 'contact_id', type: 'string', required: true },
          { name: 'reference', type: 'string' },
          { name: 'email', type: 'string', pii: true },
          { name: 'note', type: 'string' },
          { name: 'tags', type: 'string' },
          { name: 'amount', type: 'bigint' },
        ],
      },
    }),
  );
  // reference: IBANs in every row but the empty ones; note: 40 % phone numbers; amount: digits that could
  // pass for phone numbers if text, but it is a bigint.
  const file = path.join(dir, 'contacts.csv');
  const ibans = ['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432', 'NL91ABNA0417164300'];
  const lines = ['contact_id,reference,email,note,tags,amount'];
  for (let i = 0; i < 3000; i++) {
    const reference = i % 10 === 0 ? '' : ibans[i % 3];
    const note = i % 5 < 2 ? `+49 30 ${1000000 + i}` : 'call back later';
    lines.push(`C-${i},${reference},person${i}@example.org,${note},vip,4915112345678`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);

  test('reports unmarked columns and confirms marked ones above the threshold, text columns only', async () => {
    const { report, statement } = await scanLocalPersonalData(product, product.versions[0], { path: file });
    expect(report).toMatchObject({
      product: 'sales/contacts',
      major: 1,
      threshold: 0.5,
      sampleRows: 10_000,
      rowsScanned: 3000,
      totalRows: 3000,
      columns: ['contact_id', 'reference', 'email', 'note', 'tags'],
      passed: false,
    });
    // Empty values are no values: every reference that has one is an IBAN.
    expect(report.findings).toEqual([
      {
        column: 'reference',
        path: 'schema.columns[1]',
        category: 'iban',
        label: 'IBAN',
        values: 2700,
        matches: 2700,
        share: 1,
        status: 'unmarked',
      },
    ]);
    expect(report.confirmed).toEqual([
      expect.objectContaining({ column: 'email', category: 'email', matches: 3000, status: 'confirmed' }),
    ]);
    expect(statement).not.toContain('"amount"');
  });

  test('a lower threshold reports the column that is partly phone numbers; the sample limit caps the rows read', async () => {
    const { report } = await scanLocalPersonalData(product, product.versions[0], {
      path: file,
      threshold: 0.3,
      sampleRows: 1000,
    });
    expect(report).toMatchObject({ rowsScanned: 1000, totalRows: 3000, sampleRows: 1000 });
    const note = report.findings.find((f) => f.column === 'note');
    expect(note).toMatchObject({ category: 'phone', values: 1000 });
    expect(note!.share).toBeGreaterThan(0.3);
    expect(note!.share).toBeLessThan(0.5);
  });

  test('a file without personal data passes', async () => {
    const clean = path.join(dir, 'clean.csv');
    fs.writeFileSync(
      clean,
      'contact_id,reference,email,note,tags,amount\nC-1,R-1,,call back later,vip,10\nC-2,R-2,,2024-05-01,new,20\n',
    );
    const { report } = await scanLocalPersonalData(product, product.versions[0], { path: clean });
    expect(report).toMatchObject({ findings: [], confirmed: [], passed: true, rowsScanned: 2 });
  });
});
