import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'revenue_metrics',
  version: '1.1.0',
  title: 'Daily revenue',
  description: {
    purpose: 'Net revenue and order count per day across all channels, the figure finance reports on.',
    usage: 'One row per day; join on date. Late orders restate the day they belong to.',
    limitations: 'Days are UTC; store revenue arrives with up to one day delay.',
  },
  archetype: 'aggregate',
  tags: ['revenue', 'kpi'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      {
        name: 'date',
        type: 'date',
        description: 'Calendar day (UTC).',
        required: true,
        unique: true,
        primaryKey: true,
      },
      { name: 'revenue', type: 'decimal(14,2)', description: 'Net revenue of the day, EUR.', required: true },
      { name: 'order_count', type: 'bigint', description: 'Orders placed that day.', required: true },
      { name: 'average_order_value', type: 'decimal(12,2)', description: 'Revenue divided by order count, EUR.' },
    ],
  },
  sla: {
    updateFrequency: 'daily',
    freshness: { within: '26 hours', column: 'date' },
    retention: '10 years',
  },
  quality: [
    { rule: 'notNull', column: 'date' },
    { rule: 'unique', column: 'date' },
    { rule: 'range', column: 'revenue', min: 0, max: 10_000_000 },
    { rule: 'range', column: 'order_count', min: 0 },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@2'],
});
