/** A small mesh with a built product, for build tests: sales/orders (source-aligned) → sales/daily_revenue (built). */
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';

export const ORDERS = validProduct('orders', {
  version: '2.0.0',
  schema: {
    columns: [
      { name: 'order_id', type: 'string', required: true, primaryKey: true },
      { name: 'channel', type: 'string', required: true },
      { name: 'net_amount', type: 'decimal(12,2)', required: true },
      { name: 'ordered_at', type: 'timestamp', required: true },
    ],
  },
  quality: [
    { rule: 'unique', column: 'order_id' },
    { rule: 'acceptedValues', column: 'channel', values: ['web', 'store'] },
    { rule: 'range', column: 'net_amount', min: 1, max: 500 },
  ],
});

export const DAILY_REVENUE_SQL = `SELECT
  CAST(o.ordered_at AS DATE) AS day,
  CAST(sum(o.net_amount) AS DECIMAL(14,2)) AS revenue,
  count(*) AS order_count
FROM {input:sales/orders@2} AS o
GROUP BY CAST(o.ordered_at AS DATE)`;

/** The built product; override any field. */
export function dailyRevenue(overrides: Record<string, unknown> = {}, build: Record<string, unknown> = {}) {
  return validProduct('daily_revenue', {
    archetype: 'aggregate',
    schema: {
      format: 'iceberg',
      columns: [
        { name: 'day', type: 'date', description: 'Day the orders were placed.', required: true, primaryKey: true },
        { name: 'revenue', type: 'decimal(14,2)', description: 'Net revenue of the day.', required: true },
        { name: 'order_count', type: 'bigint', description: 'Orders placed that day.', required: true },
      ],
    },
    quality: [
      { rule: 'unique', column: 'day' },
      { rule: 'range', column: 'revenue', min: 0 },
    ],
    inputs: ['sales/orders@2'],
    build: { sql: DAILY_REVENUE_SQL, schedule: 'cron(0 5 * * ? *)', mode: 'full-refresh', ...build },
    ...overrides,
  });
}

/** A project with sales/orders and the given built products (file name → definition or source). */
export function buildProject(products: Record<string, Record<string, unknown> | string> = {}): string {
  return makeTempProject({
    domains: {
      sales: { domain: validDomain('sales'), products: { orders: ORDERS, daily_revenue: dailyRevenue(), ...products } },
    },
  });
}
