import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'ad_clicks',
  version: '1.0.0',
  title: 'Ad clicks',
  description: {
    purpose:
      'Every click on a campaign ad by a known customer (signed in, or identified by a later order), the touch data campaign attribution reads.',
    usage: 'Filter on click_date to prune partitions; join orders on customer_id.',
    limitations: 'Clicks of anonymous visitors who never identify themselves are not in it.',
  },
  archetype: 'source-aligned',
  tags: ['campaigns', 'attribution'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      {
        name: 'click_id',
        type: 'string',
        description: 'Click key from the ad platform.',
        required: true,
        unique: true,
        primaryKey: true,
      },
      { name: 'campaign_id', type: 'string', description: 'Campaign whose ad was clicked.', required: true },
      {
        name: 'customer_id',
        concept: 'customer_id',
        description: 'Customer who clicked; joins sales/orders and customers/customer_profiles.',
        required: true,
      },
      { name: 'clicked_at', type: 'timestamp', description: 'When the ad was clicked (UTC).', required: true },
      {
        name: 'click_date',
        type: 'date',
        description: 'Day of the click (UTC); partition key.',
        required: true,
        partition: { projection: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'hourly', freshness: { within: '3 hours', column: 'clicked_at' }, retention: '3 years' },
  quality: [
    { rule: 'unique', column: 'click_id' },
    { rule: 'notNull', column: 'customer_id' },
    { rule: 'pattern', column: 'campaign_id', pattern: '^CMP-[0-9]{6}$' },
  ],
  access: { visibility: 'domain' },
});
