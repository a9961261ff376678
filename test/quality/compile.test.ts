import { planQualityChecks } from '../../lib/quality/checks';
import { compileQualityChecks } from '../../lib/quality/compile';
import { athenaQualityStatement } from '../../lib/quality/named-query';
import { allRulesProduct, meshProductOf, productInput } from './product-fixture';

const target = { relation: '"acme_sales"."payments_v3"' };

/**
 * A lexical check that a statement parses as far as quoting goes: every quote closes (doubled quotes are
 * text), parentheses balance outside quotes and never close more than they opened.
 */
function balanced(sql: string): boolean {
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c && sql[j + 1] === c) j++;
        else if (sql[j] === c) break;
      }
      if (j >= sql.length) return false;
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('check plan', () => {
  test('names every check by position, rule and columns, the SLA freshness last', () => {
    const product = allRulesProduct();
    expect(planQualityChecks(product, product.versions[0]).map((c) => c.id)).toEqual([
      'r01_row_count',
      'r02_not_null_reference',
      'r03_null_values_email',
      'r04_unique_payment_id',
      'r05_unique_region_day',
      'r06_accepted_values_status',
      'r07_accepted_values_priority',
      'r08_range_amount',
      'r09_range_fee_ratio',
      'r10_pattern_reference',
      'r11_length_country',
      'r12_freshness_updated_at',
      'r13_sql_paid_without_amount',
      'sla_freshness_day',
    ]);
  });

  test('resolves thresholds: bad rows must be 0, rowCount must be above 0, freshness at most the duration', () => {
    const product = meshProductOf(
      productInput({
        quality: [
          { rule: 'rowCount' },
          { rule: 'notNull', column: 'order_id' },
          { rule: 'nullValues', column: 'amount', mustBeLessThan: 5, unit: 'percent' },
        ],
      }),
    );
    const checks = planQualityChecks(product, product.versions[0]);
    expect(checks.map((c) => [c.id, c.unit, c.threshold])).toEqual([
      ['r01_row_count', 'rows', { comparator: 'mustBeGreaterThan', value: 0 }],
      ['r02_not_null_order_id', 'rows', { comparator: 'mustBe', value: 0 }],
      ['r03_null_values_amount', 'percent', { comparator: 'mustBeLessThan', value: 5 }],
    ]);
    const all = allRulesProduct();
    const freshness = planQualityChecks(all, all.versions[0]).filter((c) => c.rule.rule === 'freshness');
    expect(freshness.map((c) => [c.id, c.unit, c.threshold])).toEqual([
      ['r12_freshness_updated_at', 'seconds', { comparator: 'atMost', value: 3_600 }],
      ['sla_freshness_day', 'seconds', { comparator: 'atMost', value: 172_800 }],
    ]);
  });

  test('skips rules whose columns an earlier major does not have, and says which', () => {
    const product = meshProductOf(
      productInput({
        quality: [{ rule: 'range', column: 'amount', min: 0 }],
        previousVersions: [
          {
            version: '1.4.0',
            sunset: '2030-01-01',
            schema: { format: 'parquet', columns: [{ name: 'order_id', type: 'string' }] },
          },
        ],
      }),
    );
    const [check] = planQualityChecks(product, product.versions[1]);
    expect(check.skipped).toBe('column "amount" is not in the v1 schema');
    const compiled = compileQualityChecks(product, product.versions[1], 'trino', target);
    expect(compiled.aggregate.columns).toEqual(['total_rows']);
  });
});

describe('compileQualityChecks', () => {
  const product = allRulesProduct();
  const trino = compileQualityChecks(product, product.versions[0], 'trino', target);
  const duckdb = compileQualityChecks(product, product.versions[0], 'duckdb', target);

  test('measures every rule but custom SQL in one Trino aggregate over the table', () => {
    expect(trino.aggregate.sql).toBe(
      [
        'SELECT',
        '  count(*) AS "total_rows",',
        '  count(*) AS "r01_row_count",',
        '  count(*) - count("reference") AS "r02_not_null_reference",',
        '  CASE WHEN count(*) = 0 THEN 0 ELSE CAST(count(*) - count("email") AS double) * 100 / count(*) END AS "r03_null_values_email",',
        '  (count("payment_id") - count(DISTINCT "payment_id")) AS "r04_unique_payment_id",',
        '  (count_if("region" IS NOT NULL AND "day" IS NOT NULL) - count(DISTINCT CASE WHEN "region" IS NOT NULL AND "day" IS NOT NULL THEN row("region", "day") END)) AS "r05_unique_region_day",',
        `  count_if("status" IS NOT NULL AND "status" NOT IN ('new', 'paid', 'refunded')) AS "r06_accepted_values_status",`,
        '  count_if("priority" IS NOT NULL AND "priority" NOT IN (1, 2, 3)) AS "r07_accepted_values_priority",',
        '  count_if("amount" IS NOT NULL AND ("amount" < 0 OR "amount" > 5000)) AS "r08_range_amount",',
        '  count_if("fee_ratio" IS NOT NULL AND ("fee_ratio" <= 0 OR "fee_ratio" >= 1)) AS "r09_range_fee_ratio",',
        `  count_if("reference" IS NOT NULL AND NOT regexp_like("reference", '^PAY-[A-Z]{2}[0-9]{6}$')) AS "r10_pattern_reference",`,
        '  count_if("country" IS NOT NULL AND (length("country") < 2 OR length("country") > 2)) AS "r11_length_country",',
        `  date_diff('second', CAST(max("updated_at") AS timestamp), CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp)) AS "r12_freshness_updated_at",`,
        `  date_diff('second', CAST(max("day") AS timestamp), CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp)) AS "sla_freshness_day"`,
        'FROM "acme_sales"."payments_v3"',
      ].join('\n'),
    );
    expect(balanced(trino.aggregate.sql)).toBe(true);
  });

  test('runs each custom sql rule as its own statement with {table} replaced', () => {
    expect(trino.custom.map((c) => [c.check.id, c.sql])).toEqual([
      [
        'r13_sql_paid_without_amount',
        `SELECT count(*) FROM "acme_sales"."payments_v3" WHERE status = 'paid' AND amount < 0`,
      ],
    ]);
  });

  test('writes the same statement for DuckDB except the regex function and the clock', () => {
    expect(duckdb.aggregate.columns).toEqual(trino.aggregate.columns);
    expect(duckdb.aggregate.sql).toContain(`regexp_matches("reference", '^PAY-[A-Z]{2}[0-9]{6}$')`);
    expect(duckdb.aggregate.sql).toContain(`CAST(timezone('UTC', now()) AS timestamp)`);
    const asDuckDb = trino.aggregate.sql
      .split('regexp_like(')
      .join('regexp_matches(')
      .split(`CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp)`)
      .join(`CAST(timezone('UTC', now()) AS timestamp)`);
    expect(duckdb.aggregate.sql).toBe(asDuckDb);
    expect(duckdb.custom.map((c) => c.sql)).toEqual(trino.custom.map((c) => c.sql));
  });

  test('applies a row filter to the aggregate and, as a subquery, to custom statements', () => {
    const filtered = compileQualityChecks(product, product.versions[0], 'trino', {
      ...target,
      where: " day >= DATE '2024-01-01' ",
    });
    expect(filtered.aggregate.sql.endsWith(`\nWHERE (day >= DATE '2024-01-01')`)).toBe(true);
    expect(filtered.custom[0].sql).toBe(
      `SELECT count(*) FROM (SELECT * FROM "acme_sales"."payments_v3" WHERE (day >= DATE '2024-01-01')) WHERE status = 'paid' AND amount < 0`,
    );
  });

  test('is deterministic', () => {
    expect(compileQualityChecks(product, product.versions[0], 'trino', target)).toEqual(trino);
  });
});

describe('athenaQualityStatement (for Athena named queries)', () => {
  test('is the Trino aggregate over "<database>"."<table>"', () => {
    const product = allRulesProduct();
    const sql = athenaQualityStatement(product, product.versions[0], {
      database: 'acme_finance',
      table: 'payments_v3',
    });
    expect(sql).toBe(
      compileQualityChecks(product, product.versions[0], 'trino', { relation: '"acme_finance"."payments_v3"' })
        .aggregate.sql,
    );
    expect(sql).toContain('FROM "acme_finance"."payments_v3"');
    expect(sql).not.toContain('paid_without_amount');
  });
});
