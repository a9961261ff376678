import { defineProduct } from '../../../lib/definition';

/** Columns both majors share; v2 split the order total into net amount and tax. */
const orderKeyColumns = [
  {
    name: 'order_id',
    concept: 'order_id',
    description: 'Order number as printed on the receipt.',
    required: true,
    unique: true,
    primaryKey: true,
  },
  {
    name: 'customer_id',
    concept: 'customer_id',
    description: 'Customer who placed the order; joins customers/customer_profiles.',
    required: true,
  },
  { name: 'channel', type: 'string', description: 'Where the order was taken: web, store or phone.', required: true },
  { name: 'ordered_at', type: 'timestamp', description: 'When the order was placed (UTC).', required: true },
  {
    name: 'lines',
    type: 'array<struct<sku:string,quantity:int,unit_price:decimal(12,2)>>',
    description: 'Order lines: article, quantity and unit price.',
  },
] as const;

const orderDate = {
  name: 'order_date',
  type: 'string',
  description: 'Day the order was placed (UTC), yyyy-MM-dd; partition key.',
  required: true,
  partition: { projection: 'date', range: '2019-01-01,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
} as const;

export default defineProduct({
  name: 'orders',
  version: '2.0.0',
  title: 'Orders',
  description: {
    purpose: 'Every order placed in any sales channel, one row per order, as soon as it is confirmed.',
    usage: 'Filter on order_date to prune partitions; amounts are in EUR.',
    limitations: 'Returns and cancellations arrive as separate orders with negative amounts.',
  },
  archetype: 'source-aligned',
  status: 'active',
  tags: ['orders', 'revenue'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      ...orderKeyColumns,
      { name: 'net_amount', type: 'decimal(12,2)', description: 'Order value without tax, EUR.', required: true },
      { name: 'tax_amount', type: 'decimal(12,2)', description: 'Tax charged on the order, EUR.', required: true },
      orderDate,
    ],
  },
  sla: {
    updateFrequency: 'hourly',
    freshness: { within: '2 hours', column: 'ordered_at' },
    retention: '10 years',
    supportHours: 'business hours',
  },
  quality: [
    { rule: 'rowCount', mustBeGreaterThan: 0 },
    { rule: 'notNull', column: 'order_id' },
    { rule: 'unique', column: 'order_id' },
    { rule: 'acceptedValues', column: 'channel', values: ['web', 'store', 'phone'] },
    { rule: 'range', column: 'net_amount', min: -100_000, max: 100_000 },
    { rule: 'pattern', column: 'order_id', pattern: '^ORD-[0-9]{10}$' },
  ],
  access: { visibility: 'mesh' },
  previousVersions: [
    {
      version: '1.3.0',
      sunset: '2027-03-31',
      schema: {
        format: 'parquet',
        columns: [
          ...orderKeyColumns,
          {
            name: 'total_amount',
            type: 'decimal(12,2)',
            description: 'Order value including tax, EUR.',
            required: true,
          },
          orderDate,
        ],
      },
    },
  ],
});
