import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'campaign_performance',
  version: '1.0.0',
  title: 'Campaign performance',
  description: {
    purpose: 'Daily spend, reach and attributed orders and revenue per campaign, joining ad spend with sales.',
    usage: 'Attribution is last-touch within 7 days; filter on day.',
    limitations: 'Offline (store) orders are attributed only when the customer identified at checkout.',
  },
  archetype: 'aggregate',
  tags: ['campaigns', 'attribution'],
  classification: 'internal',
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
      { name: 'channel', type: 'string', description: 'search, social, display, email or affiliate.', required: true },
      { name: 'spend', type: 'decimal(12,2)', description: 'Media spend of the day, EUR.', required: true },
      { name: 'impressions', type: 'bigint', description: 'Ad impressions.' },
      { name: 'clicks', type: 'bigint', description: 'Ad clicks.' },
      {
        name: 'attributed_orders',
        type: 'bigint',
        description: 'Orders attributed to the campaign (last touch, 7 days).',
      },
      { name: 'attributed_revenue', type: 'decimal(14,2)', description: 'Net revenue of attributed orders, EUR.' },
      { name: 'targeting', type: 'map<string,string>', description: 'Targeting parameters as set on the ad platform.' },
      {
        name: 'day',
        type: 'date',
        description: 'Calendar day (UTC); partition key.',
        required: true,
        primaryKey: true,
        partition: { projection: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '30 hours', column: 'day' }, retention: '3 years' },
  quality: [
    { rule: 'notNull', column: 'campaign_id' },
    { rule: 'unique', columns: ['campaign_id', 'day'] },
    { rule: 'acceptedValues', column: 'channel', values: ['search', 'social', 'display', 'email', 'affiliate'] },
    { rule: 'range', column: 'spend', min: 0 },
    {
      rule: 'sql',
      name: 'clicks_exceed_impressions',
      query: 'SELECT count(*) FROM {table} WHERE clicks > impressions',
      mustBe: 0,
    },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@2', 'customers/customer_profiles@1'],
});
