import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'inventory_history',
  version: '1.1.0',
  title: 'Inventory history',
  description: {
    purpose: 'End-of-day stock per article and warehouse, kept as daily snapshots for planning and audits.',
    usage: 'Filter on snapshot_date and warehouse (both partition keys).',
    limitations: 'Stock in transit between warehouses is in neither warehouse until received.',
  },
  archetype: 'source-aligned',
  tags: ['stock', 'planning'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      { name: 'sku', type: 'string', description: 'Article number.', required: true, primaryKey: true },
      { name: 'on_hand', type: 'int', description: 'Units in stock at end of day.', required: true },
      { name: 'reserved', type: 'int', description: 'Units reserved for open orders.', required: true },
      { name: 'unit_cost', type: 'decimal(10,2)', description: 'Average purchase cost per unit, EUR.' },
      { name: 'captured_at', type: 'timestamp', description: 'When the snapshot was taken (UTC).' },
      {
        name: 'snapshot_date',
        type: 'string',
        description: 'Day of the snapshot, yyyy-MM-dd; partition key.',
        required: true,
        primaryKey: true,
        partition: { projection: 'date', range: 'NOW-5YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
      {
        name: 'warehouse',
        type: 'string',
        description: 'Warehouse code; partition key.',
        required: true,
        primaryKey: true,
        partition: { projection: 'enum', values: ['ams1', 'ber1', 'mad1'] },
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '26 hours', column: 'captured_at' }, retention: '5 years' },
  quality: [
    { rule: 'unique', columns: ['sku', 'snapshot_date', 'warehouse'] },
    { rule: 'range', column: 'on_hand', min: 0 },
    { rule: 'range', column: 'reserved', min: 0 },
    { rule: 'rowCount', mustBeGreaterThan: 1000 },
  ],
  access: {
    visibility: 'consumers',
    consumers: [{ domain: 'sales', purpose: 'Availability shown next to order lines' }],
  },
});
