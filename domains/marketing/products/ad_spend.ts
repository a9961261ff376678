import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'ad_spend',
  version: '1.0.0',
  title: 'Ad spend',
  description: {
    purpose: 'Media spend, impressions and clicks per campaign and day, as the ad platforms report them.',
    usage: 'Filter on spend_date to prune partitions; one row per campaign and day, amounts in EUR.',
    limitations:
      "The platforms report a day's figures the next morning (UTC) and may correct them for up to three days.",
  },
  archetype: 'source-aligned',
  tags: ['campaigns', 'spend'],
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
      { name: 'spend', type: 'decimal(14,2)', description: 'Media spend of the day, EUR.', required: true },
      { name: 'impressions', type: 'bigint', description: 'Ad impressions of the day.', required: true },
      { name: 'clicks', type: 'bigint', description: 'Ad clicks of the day.', required: true },
      {
        name: 'spend_date',
        type: 'date',
        description: 'Day the money was spent (UTC); partition key.',
        required: true,
        primaryKey: true,
        partition: { projection: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '54 hours', column: 'spend_date' }, retention: '3 years' },
  quality: [
    { rule: 'notNull', column: 'campaign_id' },
    { rule: 'pattern', column: 'campaign_id', pattern: '^CMP-[0-9]{6}$' },
    { rule: 'unique', columns: ['campaign_id', 'spend_date'] },
    { rule: 'acceptedValues', column: 'channel', values: ['search', 'social', 'display', 'email', 'affiliate'] },
    { rule: 'range', column: 'spend', min: 0, max: 1_000_000 },
    { rule: 'range', column: 'impressions', min: 0 },
    { rule: 'range', column: 'clicks', min: 0 },
    {
      rule: 'sql',
      name: 'clicks_exceed_impressions',
      query: 'SELECT count(*) FROM {table} WHERE clicks > impressions',
      mustBe: 0,
    },
  ],
  access: { visibility: 'domain' },
});
