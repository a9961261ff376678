import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'revenue_metrics',
  version: '2.0.0',
  title: 'Daily revenue',
  description: {
    purpose:
      'Net revenue per day across all channels, the figure finance reports on, with the sales and returns it is made of.',
    usage:
      'One row per day; join on date. Sales are orders with a net amount of zero or more, returns and cancellations those below zero.',
    limitations:
      'Days are UTC. Each daily run restates the three days up to its run date, so orders arriving up to two days late land on the day they belong to; the newest day is partial until the next run.',
  },
  archetype: 'aggregate',
  tags: ['revenue', 'kpi'],
  classification: 'internal',
  schema: {
    format: 'iceberg',
    columns: [
      {
        name: 'date',
        type: 'date',
        description: 'Calendar day (UTC); partition key.',
        required: true,
        unique: true,
        primaryKey: true,
        partition: true,
      },
      {
        name: 'revenue',
        type: 'decimal(14,2)',
        description: 'Net revenue of the day: sales minus returns, without tax, EUR.',
        required: true,
      },
      {
        name: 'gross_sales',
        type: 'decimal(14,2)',
        description: 'Net amount of the sales orders of the day, without tax, EUR.',
        required: true,
      },
      {
        name: 'returns',
        type: 'decimal(14,2)',
        description: 'Amount of the returns and cancellations of the day, as a positive figure, EUR.',
        required: true,
      },
      { name: 'order_count', type: 'bigint', description: 'Sales orders placed that day.', required: true },
      {
        name: 'average_order_value',
        type: 'decimal(12,2)',
        description: 'Gross sales divided by order count, EUR; empty on a day without sales.',
      },
    ],
  },
  sla: {
    updateFrequency: 'daily',
    freshness: { within: '26 hours', column: 'date' },
    retention: '10 years',
  },
  quality: [
    { rule: 'notNull', column: 'date' },
    { rule: 'unique', column: 'date' },
    { rule: 'range', column: 'gross_sales', min: 0, max: 10_000_000 },
    { rule: 'range', column: 'returns', min: 0, max: 10_000_000 },
    { rule: 'range', column: 'order_count', min: 0 },
    {
      rule: 'sql',
      name: 'revenue_is_sales_minus_returns',
      query: 'SELECT count(*) FROM {table} WHERE revenue <> gross_sales - returns',
      mustBe: 0,
    },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@2'],
  build: {
    // The three days up to the run date: the newest is partial, the two before take late and store orders.
    sql: `
SELECT
  CAST(o.order_date AS date) AS "date",
  CAST(sum(o.net_amount) AS decimal(14,2)) AS revenue,
  CAST(COALESCE(sum(CASE WHEN o.net_amount >= 0 THEN o.net_amount END), 0) AS decimal(14,2)) AS gross_sales,
  CAST(COALESCE(sum(CASE WHEN o.net_amount < 0 THEN -o.net_amount END), 0) AS decimal(14,2)) AS returns,
  count(CASE WHEN o.net_amount >= 0 THEN 1 END) AS order_count,
  CAST(
    sum(CASE WHEN o.net_amount >= 0 THEN o.net_amount END)
      / NULLIF(count(CASE WHEN o.net_amount >= 0 THEN 1 END), 0)
    AS decimal(12,2)
  ) AS average_order_value
FROM {input:sales/orders@2} AS o
WHERE o.order_date >= CAST(CAST({run_date} - INTERVAL '2' DAY AS date) AS varchar)
  AND o.order_date <= CAST({run_date} AS varchar)
GROUP BY CAST(o.order_date AS date)
`,
    schedule: 'cron(0 5 * * ? *)',
    mode: 'partition-overwrite',
    timeout: '30 minutes',
  },
  previousVersions: [
    {
      version: '1.1.0',
      sunset: '2027-06-30',
      schema: {
        format: 'parquet',
        columns: [
          {
            name: 'date',
            type: 'date',
            description: 'Calendar day (UTC).',
            required: true,
            unique: true,
            primaryKey: true,
          },
          { name: 'revenue', type: 'decimal(14,2)', description: 'Net revenue of the day, EUR.', required: true },
          { name: 'order_count', type: 'bigint', description: 'Orders placed that day.', required: true },
          {
            name: 'average_order_value',
            type: 'decimal(12,2)',
            description: 'Revenue divided by order count, EUR.',
          },
        ],
      },
    },
  ],
});
