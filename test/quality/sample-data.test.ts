import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planQualityChecks } from '../../lib/quality/checks';
import { runLocalQualityCheck } from '../../lib/quality/local-runner';
import { PatternSampleError, sampleMatching } from '../../lib/quality/regex-sampler';
import { defaultSampleRows, planSample, writeQualitySample } from '../../lib/quality/sample-data';
import { meshProductOf, productInput } from './product-fixture';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-sample-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sampleMatching', () => {
  test.each([
    ['^ORD-[0-9]{10}$', 50],
    ['^[^@\\s]+@[^@\\s]+$', 50],
    ['^\\+[1-9][0-9]{6,14}$', 50],
    ['^(?:EUR|USD|GBP)$', 3],
    ['^[A-Z]{2}-\\d{3,}x?$', 50],
    ['^a.b*c+$', 50],
  ])('produces distinct values that match %s', (pattern, count) => {
    const values = sampleMatching(pattern, count, { unique: true });
    expect(new Set(values).size).toBe(count);
    for (const value of values) expect(value).toMatch(new RegExp(pattern));
  });

  test('is the same on every run for a seed', () => {
    expect(sampleMatching('^[a-z]{8}$', 5, { seed: 7 })).toEqual(sampleMatching('^[a-z]{8}$', 5, { seed: 7 }));
  });

  test('honours a further condition', () => {
    const values = sampleMatching('^[a-z]{1,9}$', 20, { accept: (v) => v.length === 3 });
    expect(values.every((v) => v.length === 3)).toBe(true);
  });

  test('says why it cannot produce values', () => {
    expect(() => sampleMatching('^(?=x)y$', 1)).toThrow(
      new PatternSampleError(
        'cannot generate values for /^(?=x)y$/: lookaround and inline flags are not supported (at position 2)',
      ),
    );
    expect(() => sampleMatching('^(a)\\1$', 1)).toThrow('"\\1" is not supported');
    expect(() => sampleMatching('^[AB]$', 3, { unique: true })).toThrow(
      'cannot generate 3 distinct values for /^[AB]$/ (got 2)',
    );
  });
});

describe('sample data', () => {
  const product = meshProductOf(
    productInput({
      schema: {
        format: 'csv',
        columns: [
          { name: 'order_id', type: 'string', required: true, unique: true },
          { name: 'channel', type: 'varchar(5)', examples: ['web', 'store'] },
          { name: 'amount', type: 'decimal(6,2)' },
          { name: 'lines', type: 'array<struct<sku:string,quantity:int>>' },
          { name: 'attributes', type: 'map<string,int>' },
          { name: 'ordered_at', type: 'timestamp', required: true },
          {
            name: 'order_date',
            type: 'string',
            required: true,
            partition: { projection: 'date', range: '2020-01-01,NOW', format: 'yyyy-MM-dd' },
          },
        ],
      },
      quality: [
        { rule: 'rowCount', mustBeGreaterThan: 1_500 },
        { rule: 'pattern', column: 'order_id', pattern: '^ORD-[0-9]{6}$' },
        { rule: 'range', column: 'amount', min: 9_999, max: 10_000 },
        { rule: 'pattern', column: 'order_date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      ],
    }),
  );
  const version = product.versions[0];

  test('takes as many rows as a rowCount rule needs', () => {
    expect(defaultSampleRows(planQualityChecks(product, version))).toBe(1_501);
  });

  test.each(['csv', 'json', 'parquet'] as const)('writes %s that passes its own checks', async (format) => {
    const file = path.join(dir, `orders.${format}`);
    const result = await writeQualitySample(product, version, file);
    expect(result).toMatchObject({ rows: 1_501, format, notes: [] });
    const { report } = await runLocalQualityCheck(product, version, { path: file });
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  test('says which rules it cannot honour or break', () => {
    const few = planSample(product, version, { rows: 10 });
    expect(few.notes).toEqual(['quality[0] (row count) fails on 10 rows']);
    const broken = planSample(product, version, { rows: 2, violations: true });
    expect(broken.notes).toEqual([
      'quality[0] (row count) is not broken in the sample: row counts are set with --rows',
      'quality[1] (order_id matches ^ORD-[0-9]{6}$) is not broken in the sample: 2 rows cannot hold enough bad rows for = 0 rows to fail',
      'quality[2] (amount in [9999, 10000]) is not broken in the sample: 2 rows cannot hold enough bad rows for = 0 rows to fail',
      'quality[3] (order_date matches ^\\d{4}-\\d{2}-\\d{2}$) is not broken in the sample: 2 rows cannot hold enough bad rows for = 0 rows to fail',
    ]);
  });

  test('refuses a pattern it cannot sample, naming it', () => {
    const odd = meshProductOf(
      productInput({ quality: [{ rule: 'pattern', column: 'order_id', pattern: '^(ab)\\1$' }] }),
    );
    expect(() => planSample(odd, odd.versions[0])).toThrow(
      'cannot generate values for /^(ab)\\1$/: "\\1" is not supported (at position 7)',
    );
  });
});
