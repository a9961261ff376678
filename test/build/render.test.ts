import { blankComments, parsePlaceholders, renderPlaceholders } from '../../lib/build/placeholders';
import { dateLiteral, inputRelation, renderBuildSql } from '../../lib/build/render';
import { duckDbErrorOffset, lineAndColumn } from '../../lib/build/sql-position';
import type { Mesh } from '../../lib/mesh/model';
import { meshProductOf, productInput } from '../quality/product-fixture';

const mesh = { config: { prefix: 'acme', domainsDir: 'domains' }, domains: [], edges: [] } as unknown as Mesh;

function builtProduct(sql: string, inputs = ['sales/orders@2', 'customers/customer_profiles@1']) {
  return meshProductOf(
    productInput({
      name: 'revenue',
      version: '3.1.0',
      schema: { format: 'iceberg', columns: [{ name: 'day', type: 'date', primaryKey: true }] },
      inputs,
      build: { sql, schedule: 'rate(1 day)', mode: 'full-refresh' },
    }),
  );
}

describe('placeholders', () => {
  test('finds inputs and the run date with their offsets; comments are left alone', () => {
    const sql = 'SELECT * FROM {input:sales/orders@2} o -- {run_date} here is a comment\nWHERE o.day = {run_date}';
    expect(parsePlaceholders(sql)).toEqual([
      { kind: 'input', reference: 'sales/orders@2', text: '{input:sales/orders@2}', offset: 14 },
      { kind: 'run_date', text: '{run_date}', offset: sql.lastIndexOf('{run_date}') },
    ]);
  });

  test.each([
    ['{today}', 'unknown placeholder {today} (allowed: {input:<domain>/<product>@<major>}'],
    ['{input:sales/orders}', '{input:sales/orders} must name an input as {input:<domain>/<product>@<major>}'],
    ['{input}', '{input} must name an input as'],
    ["'{run_date}'", '{run_date} is inside quotes; write placeholders bare ({run_date} already is a DATE)'],
    ['"{input:sales/orders@2}"', 'is inside quotes; write placeholders bare (an input stands for a table)'],
  ])('%s is refused', (text, reason) => {
    const [placeholder] = parsePlaceholders(`SELECT ${text}`);
    expect(placeholder.kind).toBe('unknown');
    expect(placeholder.kind === 'unknown' && placeholder.reason).toContain(reason);
  });

  test('a regex quantifier or a struct literal is no placeholder', () => {
    expect(parsePlaceholders("SELECT regexp_like(x, '^[0-9]{3}$'), {'a': 1} FROM t")).toEqual([]);
  });

  test('rendered offsets map back to the SQL as written, a replaced placeholder to its own start', () => {
    const sql = 'SELECT nope FROM {input:sales/orders@2} WHERE day = {run_date} AND bad';
    const rendered = renderPlaceholders(sql, { input: () => '"acme_sales"."orders_v2"', runDate: "DATE '2000-01-01'" });
    expect(rendered.sql).toBe(`SELECT nope FROM "acme_sales"."orders_v2" WHERE day = DATE '2000-01-01' AND bad`);
    expect(rendered.originalOffset(rendered.sql.indexOf('nope'))).toBe(sql.indexOf('nope'));
    expect(rendered.originalOffset(rendered.sql.indexOf('orders_v2'))).toBe(sql.indexOf('{input'));
    expect(rendered.originalOffset(rendered.sql.indexOf('WHERE'))).toBe(sql.indexOf('WHERE'));
    expect(rendered.originalOffset(rendered.sql.indexOf('bad'))).toBe(sql.indexOf('bad'));
  });

  test('comments are blanked without moving anything', () => {
    const sql = "SELECT 1 -- one\n/* two\nlines */ FROM t WHERE x = '--not a comment'";
    const blank = blankComments(sql);
    expect(blank).toHaveLength(sql.length);
    expect(blank).toBe("SELECT 1       \n      \n         FROM t WHERE x = '--not a comment'");
  });
});

describe('renderBuildSql', () => {
  const sql = `SELECT o.day FROM {input:sales/orders@2} o
JOIN {input:customers/customer_profiles@1} c ON c.id = o.customer_id
WHERE o.day = {run_date};`;

  test('Athena reads each input as "<prefix>_<domain>"."<product>_v<major>"; the run date is the caller\'s expression', () => {
    const product = builtProduct(sql);
    const rendered = renderBuildSql(product, product.versions[0], mesh, 'athena', {
      runDate: "date_parse('{}', '%Y-%m-%d')",
    });
    expect(rendered.sql).toBe(`SELECT o.day FROM "acme_sales"."orders_v2" o
JOIN "acme_customers"."customer_profiles_v1" c ON c.id = o.customer_id
WHERE o.day = (date_parse('{}', '%Y-%m-%d'))`);
    expect(rendered.inputs).toEqual(['sales/orders@2', 'customers/customer_profiles@1']);
    expect(rendered.target).toBe('athena');
  });

  test('DuckDB reads the same names, or relations the caller gives', () => {
    const product = builtProduct(sql);
    const rendered = renderBuildSql(product, product.versions[0], mesh, 'duckdb', {
      runDate: dateLiteral('2026-12-03'),
      relations: new Map([['sales/orders@2', "read_parquet(['orders.parquet'])"]]),
    });
    expect(rendered.sql).toContain(`FROM read_parquet(['orders.parquet']) o`);
    expect(rendered.sql).toContain(`JOIN "acme_customers"."customer_profiles_v1" c`);
    expect(rendered.sql).toContain(`WHERE o.day = (DATE '2026-12-03')`);
  });

  test('refuses what validation refuses: an undeclared input, a product without a build', () => {
    const product = builtProduct(sql.replace('customers/customer_profiles@1', 'customers/customer_profiles@2'), [
      'sales/orders@2',
      'customers/customer_profiles@2',
    ]);
    const undeclared = { ...product, definition: { ...product.definition, inputs: ['sales/orders@2'] } };
    expect(() => renderBuildSql(undeclared, product.versions[0], mesh, 'athena', { runDate: 'x' })).toThrow(
      "sales/revenue: {input:customers/customer_profiles@2} is not one of the product's inputs",
    );
    const unbuilt = { ...product, definition: { ...product.definition, build: undefined } };
    expect(() => renderBuildSql(unbuilt, product.versions[0], mesh, 'athena', { runDate: 'x' })).toThrow(
      'sales/revenue has no build',
    );
    expect(() => dateLiteral('3 Dec')).toThrow('"3 Dec" is not a date written YYYY-MM-DD');
  });

  test('input relations follow the mesh prefix', () => {
    expect(inputRelation(mesh, 'fulfillment/shipments@4')).toBe('"acme_fulfillment"."shipments_v4"');
  });
});

describe('DuckDB error positions', () => {
  test('the caret under the echoed line gives the offset, also when DuckDB cuts a long line', () => {
    const statement = 'DESCRIBE\nSELECT a,\n   nope FROM t';
    const message = 'Binder Error: Referenced column "nope" not found\n\nLINE 3:    nope FROM t\n           ^';
    expect(duckDbErrorOffset(message, statement)).toBe(statement.indexOf('nope'));
    const long = `DESCRIBE\nSELECT ${'x, '.repeat(60)}nope FROM t`;
    const shown = 'LINE 2: ..., x, x, x, ';
    const cut = `Binder Error: no\n\n${shown}nope FROM t\n${' '.repeat(shown.length)}^`;
    expect(duckDbErrorOffset(cut, long)).toBe(long.indexOf('nope'));
    expect(duckDbErrorOffset('Catalog Error: no position', statement)).toBeUndefined();
  });

  test('offsets read as 1-based lines and columns', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});
