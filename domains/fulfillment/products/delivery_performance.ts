import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'delivery_performance',
  version: '2.0.0',
  title: 'Delivery performance',
  description: {
    purpose: 'On-time delivery rate per carrier and week, for carrier reviews with operations.',
    usage:
      'One row per ISO week (Monday to Sunday, by ship date in UTC) and carrier. On time means delivered within 48 hours of being handed to the carrier.',
    limitations:
      'A week appears once it has ended. Each weekly run restates the four weeks before it, so late delivery events are counted; a parcel still in transit when its week is last restated counts as late.',
  },
  archetype: 'consumer-aligned',
  tags: ['logistics', 'kpi'],
  classification: 'internal',
  schema: {
    format: 'iceberg',
    columns: [
      {
        name: 'week_start',
        type: 'date',
        description: 'Monday of the ISO week; partition key.',
        required: true,
        primaryKey: true,
        partition: true,
      },
      { name: 'carrier', type: 'string', description: 'Carrier name.', required: true, primaryKey: true },
      { name: 'parcels', type: 'bigint', description: 'Parcels shipped in the week.', required: true },
      {
        name: 'delivered_on_time',
        type: 'bigint',
        description: 'Parcels delivered within 48 hours of handover.',
        required: true,
      },
      {
        name: 'on_time_rate',
        type: 'double',
        description: 'delivered_on_time divided by parcels, 0..1.',
        required: true,
      },
    ],
  },
  sla: { updateFrequency: 'weekly', retention: '3 years' },
  quality: [
    { rule: 'unique', columns: ['week_start', 'carrier'] },
    { rule: 'acceptedValues', column: 'carrier', values: ['dhl', 'ups', 'dpd', 'postnl'] },
    { rule: 'range', column: 'parcels', min: 1 },
    { rule: 'range', column: 'on_time_rate', min: 0, max: 1 },
    {
      rule: 'sql',
      name: 'on_time_exceeds_parcels',
      query: 'SELECT count(*) FROM {table} WHERE delivered_on_time > parcels',
      mustBe: 0,
    },
  ],
  access: { visibility: 'domain' },
  inputs: ['fulfillment/shipments@1'],
  build: {
    // The four complete weeks before the run date's week; Monday's run publishes the week that just ended.
    sql: `
WITH parcels AS (
  SELECT
    CAST(date_trunc('week', CAST(s.ship_date AS date)) AS date) AS week_start,
    s.carrier,
    CASE WHEN s.delivered_at IS NOT NULL AND s.delivered_at <= s.shipped_at + INTERVAL '48' HOUR THEN 1 ELSE 0 END
      AS on_time
  FROM {input:fulfillment/shipments@1} AS s
  WHERE s.ship_date >= CAST(CAST(date_trunc('week', {run_date}) - INTERVAL '28' DAY AS date) AS varchar)
    AND s.ship_date < CAST(CAST(date_trunc('week', {run_date}) AS date) AS varchar)
)
SELECT
  p.week_start,
  p.carrier,
  count(*) AS parcels,
  CAST(sum(p.on_time) AS bigint) AS delivered_on_time,
  CAST(sum(p.on_time) AS double) / count(*) AS on_time_rate
FROM parcels AS p
GROUP BY p.week_start, p.carrier
`,
    schedule: 'cron(0 6 ? * MON *)',
    mode: 'partition-overwrite',
    timeout: '30 minutes',
  },
  previousVersions: [
    {
      version: '1.0.0',
      sunset: '2027-06-30',
      schema: {
        format: 'parquet',
        columns: [
          {
            name: 'week_start',
            type: 'date',
            description: 'Monday of the ISO week.',
            required: true,
            primaryKey: true,
          },
          { name: 'carrier', type: 'string', description: 'Carrier name.', required: true, primaryKey: true },
          { name: 'parcels', type: 'bigint', description: 'Parcels shipped in the week.', required: true },
          {
            name: 'on_time_rate',
            type: 'double',
            description: 'Share delivered within the promised window, 0..1.',
          },
        ],
      },
    },
  ],
});
