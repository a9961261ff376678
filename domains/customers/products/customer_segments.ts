import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'customer_segments',
  version: '1.3.0',
  title: 'Customer segments',
  description: {
    purpose: 'Value segment of each customer (new, regular, loyal, lapsed), recomputed nightly from orders.',
    usage: 'Join on customer_id; use the segment of the latest snapshot.',
    limitations:
      'Customers without an order in 24 months are lapsed; segments of erased customers disappear with them.',
  },
  archetype: 'aggregate',
  tags: ['customers', 'segmentation'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      { name: 'customer_id', type: 'string', description: 'Stable customer key.', required: true, primaryKey: true },
      { name: 'segment', type: 'string', description: 'new, regular, loyal or lapsed.', required: true },
      { name: 'lifetime_value', type: 'decimal(14,2)', description: 'Net revenue since registration, EUR.' },
      { name: 'last_order_at', type: 'timestamp', description: 'Most recent order (UTC).' },
      { name: 'computed_at', type: 'timestamp', description: 'When the nightly run computed the segment (UTC).' },
      {
        name: 'snapshot_date',
        type: 'string',
        description: 'Day the segments were computed, yyyy-MM-dd; partition key.',
        required: true,
        partition: { projection: 'date', range: 'NOW-2YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '30 hours', column: 'computed_at' }, retention: '2 years' },
  quality: [
    { rule: 'notNull', column: 'segment' },
    { rule: 'acceptedValues', column: 'segment', values: ['new', 'regular', 'loyal', 'lapsed'] },
    { rule: 'unique', columns: ['customer_id', 'snapshot_date'] },
    { rule: 'range', column: 'lifetime_value', min: 0 },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@2'],
});
