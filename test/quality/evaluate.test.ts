import { planQualityChecks } from '../../lib/quality/checks';
import { evaluateQualityChecks, toMeasuredNumber } from '../../lib/quality/evaluate';
import { formatAge, formatBytes, formatMeasured } from '../../lib/quality/measure-text';
import { describeThreshold, meetsThreshold } from '../../lib/quality/threshold';
import { meshProductOf, productInput } from './product-fixture';

describe('thresholds', () => {
  test.each([
    [{ comparator: 'mustBe', value: 0 } as const, 0, true],
    [{ comparator: 'mustBe', value: 0 } as const, 1, false],
    [{ comparator: 'mustBeLessThan', value: 1 } as const, 0.99, true],
    [{ comparator: 'mustBeLessThan', value: 1 } as const, 1, false],
    [{ comparator: 'mustBeGreaterThan', value: 1000 } as const, 1000, false],
    [{ comparator: 'mustBeBetween', min: 5, max: 10 } as const, 5, true],
    [{ comparator: 'mustBeBetween', min: 5, max: 10 } as const, 10, true],
    [{ comparator: 'mustBeBetween', min: 5, max: 10 } as const, 10.01, false],
    [{ comparator: 'atMost', value: 3600 } as const, 3600, true],
    [{ comparator: 'atMost', value: 3600 } as const, null, false],
  ])('%j holds for %j: %j', (threshold, measured, expected) => {
    expect(meetsThreshold(threshold, measured)).toBe(expected);
  });

  test('read as a person would write them', () => {
    expect(describeThreshold({ comparator: 'mustBe', value: 0 }, 'rows')).toBe('= 0 rows');
    expect(describeThreshold({ comparator: 'mustBeLessThan', value: 1 }, 'percent')).toBe('< 1 %');
    expect(describeThreshold({ comparator: 'mustBeGreaterThan', value: 1000 }, 'rows')).toBe('> 1,000 rows');
    expect(describeThreshold({ comparator: 'mustBeBetween', min: 5, max: 10 }, 'number')).toBe('between 5 and 10');
    expect(describeThreshold({ comparator: 'atMost', value: 93_600 }, 'seconds')).toBe('at most 26 hours');
    expect(describeThreshold({ comparator: 'atMost', value: 86_400 }, 'seconds')).toBe('at most 1 day');
  });
});

describe('measured values', () => {
  test('read with their unit', () => {
    expect(formatMeasured(1, 'rows')).toBe('1 row');
    expect(formatMeasured(12_345, 'rows')).toBe('12,345 rows');
    expect(formatMeasured(0.5, 'percent')).toBe('0.5 %');
    expect(formatMeasured(0.0004, 'percent')).toBe('0.00040 %');
    expect(formatMeasured(null, 'rows')).toBe('no value');
    expect(formatAge(45)).toBe('45 seconds');
    expect(formatAge(750)).toBe('12.5 minutes');
    expect(formatAge(18_720)).toBe('5.2 hours');
    expect(formatAge(267_840)).toBe('3.1 days');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(12.34 * 1024 ** 2)).toBe('12.3 MB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.0 TB');
  });

  test('engine cells become numbers: Athena text, DuckDB bigint, NULL', () => {
    expect(toMeasuredNumber('1000')).toBe(1000);
    expect(toMeasuredNumber('1.0E-4')).toBe(0.0001);
    expect(toMeasuredNumber(12n)).toBe(12);
    expect(toMeasuredNumber(null)).toBeNull();
    expect(toMeasuredNumber(undefined)).toBeNull();
    expect(() => toMeasuredNumber('abc')).toThrow('expected a number, got "abc"');
  });
});

describe('evaluateQualityChecks', () => {
  const product = meshProductOf(
    productInput({
      quality: [
        { rule: 'rowCount', mustBeGreaterThan: 10, description: 'a day has orders' },
        { rule: 'notNull', column: 'order_id' },
        { rule: 'nullValues', column: 'amount', mustBeLessThan: 5, unit: 'percent' },
        { rule: 'sql', name: 'negative', query: 'SELECT count(*) FROM {table} WHERE amount < 0' },
      ],
      previousVersions: [
        { version: '1.0.0', sunset: '2030-01-01', schema: { columns: [{ name: 'order_id', type: 'string' }] } },
      ],
    }),
  );

  test('one result per check with measured value, threshold text and verdict, and a score', () => {
    const checks = planQualityChecks(product, product.versions[0]);
    const report = evaluateQualityChecks('sales/orders', 2, checks, {
      total_rows: 200,
      r01_row_count: 200,
      r02_not_null_order_id: 3,
      r03_null_values_amount: 1.5,
      r04_sql_negative: { error: 'Athena query q-2 failed: boom' },
    });
    expect(report.results.map((r) => [r.id, r.summary, r.measuredText, r.threshold, r.status])).toEqual([
      ['r01_row_count', 'row count', '200 rows', '> 10 rows', 'pass'],
      ['r02_not_null_order_id', 'order_id not null', '3 rows', '= 0 rows', 'fail'],
      ['r03_null_values_amount', 'nulls in amount', '1.5 %', '< 5 %', 'pass'],
      ['r04_sql_negative', 'sql negative', '-', '= 0', 'error'],
    ]);
    expect(report.results[0].description).toBe('a day has orders');
    expect(report.results[3].message).toBe('Athena query q-2 failed: boom');
    expect(report).toMatchObject({
      product: 'sales/orders',
      major: 2,
      totalRows: 200,
      score: 0.5,
      passed: false,
      counts: { pass: 2, fail: 1, error: 1, skipped: 0 },
    });
  });

  test('skipped checks are reported but not scored; a missing output column is an error', () => {
    const checks = planQualityChecks(product, product.versions[1]);
    const report = evaluateQualityChecks('sales/orders', 1, checks, { total_rows: 5, r01_row_count: 5 });
    expect(report.results.map((r) => [r.id, r.status, r.message])).toEqual([
      ['r01_row_count', 'fail', undefined],
      ['r02_not_null_order_id', 'error', 'the engine returned no column "r02_not_null_order_id"'],
      ['r03_null_values_amount', 'skipped', 'column "amount" is not in the v1 schema'],
      ['r04_sql_negative', 'error', 'the engine returned no column "r04_sql_negative"'],
    ]);
    expect(report.counts).toEqual({ pass: 0, fail: 1, error: 2, skipped: 1 });
  });

  test('no checks at all score 1', () => {
    const bare = meshProductOf(productInput());
    const report = evaluateQualityChecks(bare.id, 2, planQualityChecks(bare, bare.versions[0]), { total_rows: 0 });
    expect(report).toMatchObject({ score: 1, passed: true, results: [] });
  });
});
