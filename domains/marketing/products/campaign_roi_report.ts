import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'campaign_roi_report',
  version: '1.0.0',
  title: 'Campaign ROI report',
  description: {
    purpose: 'Monthly return on ad spend per channel, shaped for the marketing leadership dashboard.',
    usage: 'One row per month and channel; roas is attributed revenue divided by spend.',
    limitations: 'Months are restated for 60 days as late orders are attributed.',
  },
  archetype: 'consumer-aligned',
  tags: ['campaigns', 'dashboard'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      { name: 'month', type: 'date', description: 'First day of the month.', required: true, primaryKey: true },
      { name: 'channel', type: 'string', description: 'Marketing channel.', required: true, primaryKey: true },
      { name: 'spend', type: 'decimal(14,2)', description: 'Spend in the month, EUR.', required: true },
      { name: 'attributed_revenue', type: 'decimal(14,2)', description: 'Attributed net revenue, EUR.' },
      { name: 'share_of_revenue', type: 'double', description: 'Attributed revenue as a share of all revenue, 0..1.' },
      { name: 'roas', type: 'double', description: 'Return on ad spend.' },
    ],
  },
  sla: { updateFrequency: 'monthly', retention: '5 years' },
  quality: [
    { rule: 'unique', columns: ['month', 'channel'] },
    { rule: 'range', column: 'share_of_revenue', min: 0, max: 1 },
    { rule: 'range', column: 'roas', min: 0 },
  ],
  access: { visibility: 'domain' },
  inputs: ['marketing/campaign_performance@1', 'sales/revenue_metrics@1'],
});
