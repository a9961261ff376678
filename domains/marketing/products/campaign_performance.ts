import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'campaign_performance',
  version: '2.0.0',
  title: 'Campaign performance',
  description: {
    purpose:
      'Daily spend, reach and attributed sales per campaign, joining ad spend with ad clicks and orders (last-touch attribution).',
    usage:
      "One row per campaign and day the campaign had spend; filter on day. A sales order is attributed to the known customer's last ad click in the 7 days before it, and counted on the day of that click.",
    limitations:
      "Only orders of customers who consent to marketing (customers/customer_profiles) and were known at click time are attributed; returns are not attributed. A day's attribution grows for 7 days after it: each daily run restates the eight days up to its run date.",
  },
  archetype: 'aggregate',
  tags: ['campaigns', 'attribution'],
  classification: 'internal',
  schema: {
    format: 'iceberg',
    columns: [
      {
        name: 'campaign_id',
        type: 'string',
        description: 'Campaign key from the ad platform.',
        required: true,
        primaryKey: true,
      },
      { name: 'channel', type: 'string', description: 'search, social, display, email or affiliate.', required: true },
      { name: 'spend', type: 'decimal(14,2)', description: 'Media spend of the day, EUR.', required: true },
      { name: 'impressions', type: 'bigint', description: 'Ad impressions.', required: true },
      { name: 'clicks', type: 'bigint', description: 'Ad clicks.', required: true },
      {
        name: 'attributed_orders',
        type: 'bigint',
        description: "Sales orders whose last ad click (within 7 days) was on this campaign's ad that day.",
        required: true,
      },
      {
        name: 'attributed_revenue',
        type: 'decimal(14,2)',
        description: 'Net amount of the attributed orders, without tax, EUR.',
        required: true,
      },
      {
        name: 'day',
        type: 'date',
        description: 'Calendar day of the spend and of the attributed clicks (UTC); partition key.',
        required: true,
        primaryKey: true,
        partition: true,
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '56 hours', column: 'day' }, retention: '3 years' },
  quality: [
    { rule: 'notNull', column: 'campaign_id' },
    { rule: 'unique', columns: ['campaign_id', 'day'] },
    { rule: 'acceptedValues', column: 'channel', values: ['search', 'social', 'display', 'email', 'affiliate'] },
    { rule: 'range', column: 'spend', min: 0 },
    { rule: 'range', column: 'attributed_orders', min: 0 },
    { rule: 'range', column: 'attributed_revenue', min: 0 },
  ],
  access: { visibility: 'mesh' },
  // Reads the profiles only for the consent flag: no contact details reach the campaign figures.
  privacy: { removes: [{ input: 'customers/customer_profiles@1', columns: ['email', 'phone'], how: 'dropped' }] },
  inputs: ['marketing/ad_spend@1', 'marketing/ad_clicks@1', 'sales/orders@2', 'customers/customer_profiles@1'],
  build: {
    // Restates the eight days up to the run date: an order can still be attributed to a click 7 days back.
    // Only customers with marketing consent are attributed: tracking their clicks across to orders needs it.
    sql: `
WITH spend AS (
  SELECT
    s.campaign_id,
    s.channel,
    s.spend_date AS day,
    sum(s.spend) AS spend,
    sum(s.impressions) AS impressions,
    sum(s.clicks) AS clicks
  FROM {input:marketing/ad_spend@1} AS s
  WHERE s.spend_date BETWEEN CAST({run_date} - INTERVAL '7' DAY AS date) AND {run_date}
  GROUP BY s.campaign_id, s.channel, s.spend_date
),
sales AS (
  SELECT o.order_id, o.customer_id, o.ordered_at, o.net_amount
  FROM {input:sales/orders@2} AS o
  JOIN {input:customers/customer_profiles@1} AS p
    ON p.customer_id = o.customer_id AND p.marketing_consent = true
  WHERE o.order_date >= CAST(CAST({run_date} - INTERVAL '7' DAY AS date) AS varchar)
    AND o.order_date <= CAST({run_date} AS varchar)
    AND o.net_amount >= 0
),
touches AS (
  SELECT
    o.order_id,
    o.net_amount,
    c.campaign_id,
    c.click_date,
    row_number() OVER (PARTITION BY o.order_id ORDER BY c.clicked_at DESC, c.click_id DESC) AS touch_rank
  FROM sales AS o
  JOIN {input:marketing/ad_clicks@1} AS c
    ON c.customer_id = o.customer_id
   AND c.clicked_at <= o.ordered_at
   AND c.clicked_at > o.ordered_at - INTERVAL '7' DAY
  WHERE c.click_date BETWEEN CAST({run_date} - INTERVAL '14' DAY AS date) AND {run_date}
),
attributed AS (
  SELECT t.campaign_id, t.click_date AS day, count(*) AS orders, sum(t.net_amount) AS revenue
  FROM touches AS t
  WHERE t.touch_rank = 1 AND t.click_date >= CAST({run_date} - INTERVAL '7' DAY AS date)
  GROUP BY t.campaign_id, t.click_date
)
SELECT
  s.campaign_id,
  s.channel,
  CAST(s.spend AS decimal(14,2)) AS spend,
  CAST(s.impressions AS bigint) AS impressions,
  CAST(s.clicks AS bigint) AS clicks,
  COALESCE(a.orders, 0) AS attributed_orders,
  CAST(COALESCE(a.revenue, 0) AS decimal(14,2)) AS attributed_revenue,
  s.day
FROM spend AS s
LEFT JOIN attributed AS a ON a.campaign_id = s.campaign_id AND a.day = s.day
`,
    schedule: 'cron(0 6 * * ? *)',
    mode: 'partition-overwrite',
    timeout: '1 hour',
  },
  previousVersions: [
    {
      version: '1.0.0',
      sunset: '2027-06-30',
      schema: {
        format: 'parquet',
        columns: [
          {
            name: 'campaign_id',
            type: 'string',
            description: 'Campaign key from the ad platform.',
            required: true,
            primaryKey: true,
          },
          {
            name: 'channel',
            type: 'string',
            description: 'search, social, display, email or affiliate.',
            required: true,
          },
          { name: 'spend', type: 'decimal(12,2)', description: 'Media spend of the day, EUR.', required: true },
          { name: 'impressions', type: 'bigint', description: 'Ad impressions.' },
          { name: 'clicks', type: 'bigint', description: 'Ad clicks.' },
          {
            name: 'attributed_orders',
            type: 'bigint',
            description: 'Orders attributed to the campaign (last touch, 7 days).',
          },
          {
            name: 'attributed_revenue',
            type: 'decimal(14,2)',
            description: 'Net revenue of attributed orders, EUR.',
          },
          {
            name: 'targeting',
            type: 'map<string,string>',
            description: 'Targeting parameters as set on the ad platform.',
          },
          {
            name: 'day',
            type: 'date',
            description: 'Calendar day (UTC); partition key.',
            required: true,
            primaryKey: true,
            partition: {
              projection: 'date',
              range: 'NOW-3YEARS,NOW',
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
