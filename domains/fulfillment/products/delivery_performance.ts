import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'delivery_performance',
  version: '1.0.0',
  title: 'Delivery performance',
  description: {
    purpose: 'On-time delivery rate per carrier and week, for carrier reviews with operations.',
    usage: 'One row per ISO week and carrier.',
    limitations: 'The current week appears only once it has ended; parcels still in transit count as late.',
  },
  archetype: 'consumer-aligned',
  tags: ['logistics', 'kpi'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      { name: 'week_start', type: 'date', description: 'Monday of the ISO week.', required: true, primaryKey: true },
      { name: 'carrier', type: 'string', description: 'Carrier name.', required: true, primaryKey: true },
      { name: 'parcels', type: 'bigint', description: 'Parcels shipped in the week.', required: true },
      { name: 'on_time_rate', type: 'double', description: 'Share delivered within the promised window, 0..1.' },
    ],
  },
  sla: { updateFrequency: 'weekly', retention: '3 years' },
  quality: [
    { rule: 'unique', columns: ['week_start', 'carrier'] },
    { rule: 'range', column: 'on_time_rate', min: 0, max: 1 },
  ],
  access: { visibility: 'domain' },
  inputs: ['fulfillment/shipments@1'],
});
