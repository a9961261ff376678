import type { QualityRule } from '../../lib/definition/schema';
import type { MeshProduct } from '../../lib/mesh/model';
import { compileQualityChecks } from '../../lib/quality/compile';
import { evaluateQualityChecks } from '../../lib/quality/evaluate';
import { measureWithDuckDb, withDuckDb } from '../../lib/quality/local-runner';
import {
  checkRowFilter,
  QualitySqlError,
  quoteIdentifier,
  quoteQualifiedName,
  quoteString,
} from '../../lib/quality/sql-text';
import { meshProductOf, productInput } from './product-fixture';

/** A product whose names and values the definition schema would refuse: what the compiler must survive anyway. */
function hostileProduct(column: string, rules: QualityRule[]): MeshProduct {
  const base = meshProductOf(productInput());
  const schema = { format: 'parquet' as const, columns: [{ ...base.versions[0].schema.columns[0], name: column }] };
  return {
    ...base,
    definition: { ...base.definition, schema, quality: rules },
    versions: [{ ...base.versions[0], schema }],
  };
}

const HOSTILE_COLUMN = `x" FROM t; DROP TABLE t; SELECT "`;
const HOSTILE_VALUE = `a') OR 1=1; DROP TABLE t; --`;

describe('quoting', () => {
  test('doubles embedded quotes in identifiers and literals', () => {
    expect(quoteIdentifier('order_id')).toBe('"order_id"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteQualifiedName('acme_sales', 'orders_v2')).toBe('"acme_sales"."orders_v2"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString('\\d+')).toBe("'\\d+'");
    expect(() => quoteString('a\0b')).toThrow('string literals cannot contain NUL characters');
  });

  test('a hostile column name, accepted value and pattern stay names and values in both dialects', async () => {
    const product = hostileProduct(HOSTILE_COLUMN, [
      { rule: 'notNull', column: HOSTILE_COLUMN },
      { rule: 'acceptedValues', column: HOSTILE_COLUMN, values: ['ok', HOSTILE_VALUE] },
      { rule: 'pattern', column: HOSTILE_COLUMN, pattern: "^(ok|it's)$" },
    ]);
    const version = product.versions[0];
    const trino = compileQualityChecks(product, version, 'trino', { relation: '"t"' }).aggregate.sql;
    expect(trino).toContain(`count(*) - count("x"" FROM t; DROP TABLE t; SELECT """)`);
    expect(trino).toContain(`NOT IN ('ok', 'a'') OR 1=1; DROP TABLE t; --')`);
    expect(trino).toContain(`regexp_like("x"" FROM t; DROP TABLE t; SELECT """, '^(ok|it''s)$')`);

    // The real proof: DuckDB runs the statement, reads the column and compares with the values as written.
    const report = await withDuckDb(async (connection) => {
      await connection.run(`CREATE TABLE t (${quoteIdentifier(HOSTILE_COLUMN)} VARCHAR)`);
      await connection.run(`INSERT INTO t VALUES ('ok'), (${quoteString(HOSTILE_VALUE)}), ('bad'), (NULL)`);
      const compiled = compileQualityChecks(product, version, 'duckdb', { relation: '"t"' });
      const measured = await measureWithDuckDb(connection, compiled);
      const rows = await connection.runAndReadAll('SELECT count(*) AS n FROM t');
      expect(Number(rows.getRowObjectsJS()[0].n)).toBe(4); // the table is still there
      return evaluateQualityChecks(product.id, version.major, compiled.checks, measured);
    });
    expect(report.results.map((r) => [r.source, r.measured])).toEqual([
      ['quality[0]', 1],
      ['quality[1]', 1], // 'bad' only: the hostile value is accepted, NULL is not counted
      ['quality[2]', 2], // 'bad' and the hostile value do not match
    ]);
  });
});

describe('row filters', () => {
  test.each([
    ['', 'the filter is empty'],
    ['1 = 1; DROP TABLE t', 'the filter must be one condition; ";" is not allowed'],
    ["name = 'a;b'", 'the filter must be one condition; ";" is not allowed'],
    ['1 = 1 -- and the rest', 'the filter must not contain SQL comments'],
    ['1 = 1 /* x */', 'the filter must not contain SQL comments'],
    ["name = 'open", "the filter has an unclosed ' quote"],
    ['"name = 1', 'the filter has an unclosed " quote'],
    ['1 = 1) OR (1 = 1', 'the filter has a ")" without a matching "("'],
    ['1 = 1) UNION SELECT * FROM secrets WHERE (1 = 1', 'the filter has a ")" without a matching "("'],
    ['(1 = 1', 'the filter has a "(" without a matching ")"'],
  ])('refuses %j', (filter, message) => {
    expect(() => checkRowFilter(filter)).toThrow(new QualitySqlError(message));
  });

  test.each([
    ["order_date >= '2024-01-01'"],
    ["order_date BETWEEN '2024-01-01' AND '2024-01-31' AND (channel = 'web' OR channel = 'it''s')"],
    ['"order_date" IN (SELECT max(order_date) FROM orders)'],
    ["note = 'a -- b' AND x = '(('"],
  ])('accepts %j', (filter) => {
    expect(checkRowFilter(` ${filter} `)).toBe(filter);
  });

  test('a refused filter stops compilation', () => {
    const product = meshProductOf(productInput({ quality: [{ rule: 'rowCount' }] }));
    expect(() =>
      compileQualityChecks(product, product.versions[0], 'trino', { relation: '"t"', where: '1=1; DELETE FROM t' }),
    ).toThrow('the filter must be one condition; ";" is not allowed');
  });
});

describe('custom sql rules', () => {
  test('a statement that is not one read-only SELECT is refused even if it skipped validation', () => {
    const product = hostileProduct('order_id', [
      { rule: 'sql', name: 'sneaky', query: 'SELECT 1; DROP TABLE {table}' },
    ] as QualityRule[]);
    expect(() => compileQualityChecks(product, product.versions[0], 'trino', { relation: '"t"' })).toThrow(
      'quality[0].query must be a single statement (found ";" inside)',
    );
  });
});
