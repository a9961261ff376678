import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'shipments',
  version: '1.0.0',
  title: 'Shipments',
  description: {
    purpose: 'Every parcel handed to a carrier, with its order, warehouse and delivery events.',
    usage: 'Filter on ship_date; one row per parcel, an order can ship in several parcels.',
    limitations: 'Delivery events of some carriers arrive up to two days late.',
  },
  archetype: 'source-aligned',
  tags: ['logistics'],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      {
        name: 'shipment_id',
        type: 'string',
        description: 'Parcel tracking key.',
        required: true,
        unique: true,
        primaryKey: true,
      },
      {
        name: 'order_id',
        concept: 'order_id',
        description: 'Order the parcel belongs to; joins sales/orders.',
        required: true,
      },
      { name: 'warehouse', type: 'string', description: 'Dispatching warehouse code.', required: true },
      { name: 'carrier', type: 'string', description: 'Carrier name.', required: true },
      { name: 'shipped_at', type: 'timestamp', description: 'Handed to the carrier (UTC).', required: true },
      {
        name: 'delivered_at',
        type: 'timestamp',
        description: 'Delivered to the customer (UTC); empty while in transit.',
      },
      { name: 'weight_grams', type: 'int', description: 'Parcel weight in grams.' },
      {
        name: 'ship_date',
        type: 'string',
        description: 'Day the parcel shipped (UTC), yyyy-MM-dd; partition key.',
        required: true,
        partition: { projection: 'date', range: 'NOW-2YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'hourly', freshness: { within: '3 hours', column: 'shipped_at' }, retention: '2 years' },
  quality: [
    { rule: 'unique', column: 'shipment_id' },
    { rule: 'notNull', column: 'order_id' },
    { rule: 'acceptedValues', column: 'carrier', values: ['dhl', 'ups', 'dpd', 'postnl'] },
    { rule: 'range', column: 'weight_grams', min: 0, max: 31_500, exclusive: false },
    { rule: 'freshness', column: 'shipped_at', within: '3 hours' },
  ],
  access: { visibility: 'mesh' },
  inputs: ['sales/orders@1'],
});
