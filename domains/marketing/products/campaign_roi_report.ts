import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'campaign_roi_report',
  version: '2.0.0',
  title: 'Campaign ROI report',
  description: {
    purpose: 'Monthly return on ad spend per channel, shaped for the marketing leadership dashboard.',
    usage:
      "One row per complete month and channel; roas is attributed revenue divided by spend, share_of_revenue attributed revenue divided by the month's gross sales (sales/revenue_metrics).",
    limitations:
      'Each monthly run recomputes every complete month. Orders are attributed up to 7 days after a click, so the last days of a month can still gain attributed revenue after the run on the 1st; the next run restates them.',
  },
  archetype: 'consumer-aligned',
  tags: ['campaigns', 'dashboard'],
  classification: 'internal',
  schema: {
    format: 'iceberg',
    columns: [
      { name: 'month', type: 'date', description: 'First day of the month.', required: true, primaryKey: true },
      { name: 'channel', type: 'string', description: 'Marketing channel.', required: true, primaryKey: true },
      { name: 'spend', type: 'decimal(14,2)', description: 'Spend in the month, EUR.', required: true },
      {
        name: 'attributed_revenue',
        type: 'decimal(14,2)',
        description: 'Attributed net revenue, without tax, EUR.',
        required: true,
      },
      {
        name: 'share_of_revenue',
        type: 'double',
        description: "Attributed revenue as a share of the month's gross sales, 0..1; empty without sales figures.",
      },
      { name: 'roas', type: 'double', description: 'Return on ad spend; empty for a month without spend.' },
    ],
  },
  sla: { updateFrequency: 'monthly', retention: '5 years' },
  quality: [
    { rule: 'unique', columns: ['month', 'channel'] },
    { rule: 'acceptedValues', column: 'channel', values: ['search', 'social', 'display', 'email', 'affiliate'] },
    { rule: 'range', column: 'share_of_revenue', min: 0, max: 1 },
    { rule: 'range', column: 'roas', min: 0 },
  ],
  access: { visibility: 'domain' },
  inputs: ['marketing/campaign_performance@2', 'sales/revenue_metrics@2'],
  build: {
    // Every month before the run date's month; the run on the 1st publishes the month that just ended.
    sql: `
WITH by_channel AS (
  SELECT
    CAST(date_trunc('month', p.day) AS date) AS month,
    p.channel,
    sum(p.spend) AS spend,
    sum(p.attributed_revenue) AS attributed_revenue
  FROM {input:marketing/campaign_performance@2} AS p
  WHERE p.day < CAST(date_trunc('month', {run_date}) AS date)
  GROUP BY CAST(date_trunc('month', p.day) AS date), p.channel
),
sales AS (
  SELECT CAST(date_trunc('month', r."date") AS date) AS month, sum(r.gross_sales) AS gross_sales
  FROM {input:sales/revenue_metrics@2} AS r
  WHERE r."date" < CAST(date_trunc('month', {run_date}) AS date)
  GROUP BY CAST(date_trunc('month', r."date") AS date)
)
SELECT
  b.month,
  b.channel,
  CAST(b.spend AS decimal(14,2)) AS spend,
  CAST(b.attributed_revenue AS decimal(14,2)) AS attributed_revenue,
  CAST(b.attributed_revenue AS double) / NULLIF(CAST(s.gross_sales AS double), 0) AS share_of_revenue,
  CAST(b.attributed_revenue AS double) / NULLIF(CAST(b.spend AS double), 0) AS roas
FROM by_channel AS b
LEFT JOIN sales AS s ON s.month = b.month
`,
    schedule: 'cron(0 7 1 * ? *)',
    mode: 'full-refresh',
    timeout: '1 hour',
  },
  previousVersions: [
    {
      version: '1.0.0',
      sunset: '2027-06-30',
      schema: {
        format: 'parquet',
        columns: [
          { name: 'month', type: 'date', description: 'First day of the month.', required: true, primaryKey: true },
          { name: 'channel', type: 'string', description: 'Marketing channel.', required: true, primaryKey: true },
          { name: 'spend', type: 'decimal(14,2)', description: 'Spend in the month, EUR.', required: true },
          { name: 'attributed_revenue', type: 'decimal(14,2)', description: 'Attributed net revenue, EUR.' },
          {
            name: 'share_of_revenue',
            type: 'double',
            description: 'Attributed revenue as a share of all revenue, 0..1.',
          },
          { name: 'roas', type: 'double', description: 'Return on ad spend.' },
        ],
      },
    },
  ],
});
