import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'customer_segments',
  version: '2.0.0',
  title: 'Customer segments',
  description: {
    purpose: 'Value segment (new, regular, loyal, lapsed) of every customer who has ordered, recomputed nightly.',
    usage:
      'Join on customer_id; use the segment of the latest snapshot_date. Segments as of the snapshot day: lapsed = no sales order in 24 months, new = first sales order within 90 days, loyal = 4 or more sales orders in 12 months, regular = the rest.',
    limitations:
      'Customers who never ordered have no row. Returns (orders with a negative amount) lower the lifetime value but do not count as orders; segments of erased customers disappear with their orders.',
  },
  archetype: 'aggregate',
  tags: ['customers', 'segmentation'],
  classification: 'internal',
  schema: {
    format: 'iceberg',
    columns: [
      {
        name: 'customer_id',
        concept: 'customer_id',
        description: 'Stable customer key.',
        required: true,
        primaryKey: true,
      },
      { name: 'segment', type: 'string', description: 'new, regular, loyal or lapsed.', required: true },
      {
        name: 'lifetime_value',
        type: 'decimal(14,2)',
        description: 'Net amount of all their orders, sales minus returns, without tax, EUR.',
        required: true,
      },
      {
        name: 'orders_last_12_months',
        type: 'bigint',
        description: 'Sales orders in the 12 months up to the snapshot day.',
        required: true,
      },
      { name: 'last_order_at', type: 'timestamp', description: 'Most recent sales order (UTC).' },
      {
        name: 'snapshot_date',
        type: 'date',
        description: 'Day the segments are computed as of (UTC); partition key.',
        required: true,
        primaryKey: true,
        partition: true,
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '30 hours', column: 'snapshot_date' }, retention: '2 years' },
  quality: [
    { rule: 'notNull', column: 'segment' },
    { rule: 'acceptedValues', column: 'segment', values: ['new', 'regular', 'loyal', 'lapsed'] },
    { rule: 'unique', columns: ['customer_id', 'snapshot_date'] },
    { rule: 'range', column: 'orders_last_12_months', min: 0 },
    {
      rule: 'sql',
      name: 'orders_after_snapshot',
      query: 'SELECT count(*) FROM {table} WHERE CAST(last_order_at AS date) > snapshot_date',
      mustBe: 0,
    },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@2'],
  build: {
    // Every order up to the run date, one snapshot partition per run; re-running a day replaces its snapshot.
    sql: `
WITH per_customer AS (
  SELECT
    o.customer_id,
    sum(o.net_amount) AS lifetime_value,
    min(CASE WHEN o.net_amount >= 0 THEN o.ordered_at END) AS first_order_at,
    max(CASE WHEN o.net_amount >= 0 THEN o.ordered_at END) AS last_order_at,
    count(CASE WHEN o.net_amount >= 0 AND o.ordered_at >= {run_date} - INTERVAL '12' MONTH THEN 1 END)
      AS orders_last_12_months
  FROM {input:sales/orders@2} AS o
  WHERE o.order_date <= CAST({run_date} AS varchar)
    AND o.ordered_at < {run_date} + INTERVAL '1' DAY
  GROUP BY o.customer_id
)
SELECT
  c.customer_id,
  CASE
    WHEN c.last_order_at IS NULL OR c.last_order_at < {run_date} - INTERVAL '24' MONTH THEN 'lapsed'
    WHEN c.first_order_at >= {run_date} - INTERVAL '90' DAY THEN 'new'
    WHEN c.orders_last_12_months >= 4 THEN 'loyal'
    ELSE 'regular'
  END AS segment,
  CAST(c.lifetime_value AS decimal(14,2)) AS lifetime_value,
  c.orders_last_12_months,
  c.last_order_at,
  {run_date} AS snapshot_date
FROM per_customer AS c
`,
    schedule: 'cron(30 5 * * ? *)',
    mode: 'partition-overwrite',
    timeout: '1 hour',
  },
  previousVersions: [
    {
      version: '1.3.0',
      sunset: '2027-06-30',
      schema: {
        format: 'parquet',
        columns: [
          {
            name: 'customer_id',
            concept: 'customer_id',
            description: 'Stable customer key.',
            required: true,
            primaryKey: true,
          },
          { name: 'segment', type: 'string', description: 'new, regular, loyal or lapsed.', required: true },
          { name: 'lifetime_value', type: 'decimal(14,2)', description: 'Net revenue since registration, EUR.' },
          { name: 'last_order_at', type: 'timestamp', description: 'Most recent order (UTC).' },
          {
            name: 'computed_at',
            type: 'timestamp',
            description: 'When the nightly run computed the segment (UTC).',
          },
          {
            name: 'snapshot_date',
            type: 'string',
            description: 'Day the segments were computed, yyyy-MM-dd; partition key.',
            required: true,
            partition: {
              projection: 'date',
              range: 'NOW-2YEARS,NOW',
              format: 'yyyy-MM-dd',
              interval: 1,
              unit: 'DAYS',
            },
          },
        ],
      },
    },
  ],
});
