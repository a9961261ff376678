/**
 * One test per row of the breaking-change rules (design reference): the locked contract of orders v2 against
 * a definition changed in one way.
 */

import type { ChangeImpact, ChangeKind } from '../../lib/contracts/change';
import { compareContracts } from '../../lib/contracts/compatibility';
import { contractOf } from '../../lib/contracts/contract';
import type { ContractVersion } from '../../lib/contracts/contract-schema';
import type { ProductDefinitionInput } from '../../lib/definition/schema';
import { ordersInput, productOf } from './fixtures';

type Input = ProductDefinitionInput;
type ColumnInput = Input['schema']['columns'][number];

function contractFor(input: Input): ContractVersion {
  const product = productOf(input);
  return contractOf(product, product.versions[0]);
}

/** The base definition with its columns passed through `edit`. */
function withColumns(edit: (columns: ColumnInput[]) => ColumnInput[], overrides: Partial<Input> = {}): Input {
  const base = ordersInput();
  return ordersInput({ ...overrides, schema: { ...base.schema, columns: edit([...base.schema.columns]) } });
}

function setColumn(name: string, patch: Partial<ColumnInput>, overrides: Partial<Input> = {}): Input {
  return withColumns((cols) => cols.map((c) => (c.name === name ? { ...c, ...patch } : c)), overrides);
}

function withRule(rule: string, column: string, patch: Record<string, unknown> | undefined): Input {
  const quality = (ordersInput().quality ?? []).flatMap((r) =>
    r.rule === rule && 'column' in r && r.column === column ? (patch ? [{ ...r, ...patch } as typeof r] : []) : [r],
  );
  return ordersInput({ quality });
}

interface Row {
  readonly change: string;
  readonly before?: Input;
  readonly after: Input | ((base: ContractVersion) => ContractVersion);
  readonly kind: ChangeKind;
  readonly path: string;
  readonly impact: ChangeImpact;
}

const rows: Row[] = [
  // column removed, renamed, type changed → breaking
  {
    change: 'column removed',
    after: withColumns((cols) => cols.filter((c) => c.name !== 'note')),
    kind: 'column-removed',
    path: 'schema.columns.note',
    impact: 'breaking',
  },
  {
    change: 'column renamed',
    after: setColumn('note', { name: 'remark' }),
    kind: 'column-renamed',
    path: 'schema.columns.note',
    impact: 'breaking',
  },
  {
    change: 'column type changed',
    after: setColumn('net_amount', { type: 'double' }),
    kind: 'column-type-changed',
    path: 'schema.columns.net_amount.type',
    impact: 'breaking',
  },
  // column added: optional → compatible, required → breaking
  {
    change: 'optional column added',
    after: withColumns((cols) => [...cols, { name: 'coupon', type: 'string' }]),
    kind: 'column-added',
    path: 'schema.columns.coupon',
    impact: 'compatible',
  },
  {
    change: 'required column added',
    after: withColumns((cols) => [...cols, { name: 'coupon', type: 'string', required: true }]),
    kind: 'column-added',
    path: 'schema.columns.coupon',
    impact: 'breaking',
  },
  // tightened → breaking
  {
    change: 'required false → true',
    after: setColumn('note', { required: true }),
    kind: 'required-changed',
    path: 'schema.columns.note.required',
    impact: 'breaking',
  },
  {
    change: 'unique tightened',
    after: setColumn('note', { unique: true }),
    kind: 'unique-changed',
    path: 'schema.columns.note.unique',
    impact: 'breaking',
  },
  {
    change: 'enum value removed',
    after: withRule('acceptedValues', 'channel', { values: ['web', 'store'] }),
    kind: 'accepted-values-changed',
    path: 'schema.columns.channel.acceptedValues',
    impact: 'breaking',
  },
  {
    change: 'range tightened',
    after: withRule('range', 'net_amount', { min: 0, max: 100 }),
    kind: 'range-changed',
    path: 'schema.columns.net_amount.range',
    impact: 'breaking',
  },
  {
    change: 'range made exclusive (tightened)',
    after: withRule('range', 'net_amount', { exclusive: true }),
    kind: 'range-changed',
    path: 'schema.columns.net_amount.range',
    impact: 'breaking',
  },
  {
    change: 'pattern tightened',
    after: withRule('pattern', 'order_id', { pattern: '^ORD-[0-9]{10}$' }),
    kind: 'pattern-changed',
    path: 'schema.columns.order_id.pattern',
    impact: 'breaking',
  },
  {
    change: 'length tightened',
    after: withRule('length', 'country', { min: 2, max: 2 }),
    kind: 'length-changed',
    path: 'schema.columns.country.length',
    impact: 'breaking',
  },
  {
    change: 'enum introduced on a column that had none',
    after: ordersInput({
      quality: [...(ordersInput().quality ?? []), { rule: 'acceptedValues', column: 'note', values: ['a'] }],
    }),
    kind: 'accepted-values-changed',
    path: 'schema.columns.note.acceptedValues',
    impact: 'breaking',
  },
  // loosened → compatible
  {
    change: 'required true → false',
    after: setColumn('channel', { required: false }),
    kind: 'required-changed',
    path: 'schema.columns.channel.required',
    impact: 'compatible',
  },
  {
    change: 'unique loosened',
    after: setColumn('order_id', { unique: false }),
    kind: 'unique-changed',
    path: 'schema.columns.order_id.unique',
    impact: 'compatible',
  },
  {
    change: 'enum value added',
    after: withRule('acceptedValues', 'channel', { values: ['web', 'store', 'phone', 'app'] }),
    kind: 'accepted-values-changed',
    path: 'schema.columns.channel.acceptedValues',
    impact: 'compatible',
  },
  {
    change: 'range loosened',
    after: withRule('range', 'net_amount', { min: -1000, max: 1000 }),
    kind: 'range-changed',
    path: 'schema.columns.net_amount.range',
    impact: 'compatible',
  },
  {
    change: 'pattern dropped (loosened)',
    after: withRule('pattern', 'order_id', undefined),
    kind: 'pattern-changed',
    path: 'schema.columns.order_id.pattern',
    impact: 'compatible',
  },
  {
    change: 'length loosened',
    after: withRule('length', 'country', { min: 0, max: 5 }),
    kind: 'length-changed',
    path: 'schema.columns.country.length',
    impact: 'compatible',
  },
  // partition keys, format, location changed → breaking
  {
    change: 'partition keys changed',
    after: withColumns((cols) =>
      cols.map((c) =>
        c.name === 'channel' ? { ...c, partition: { projection: 'enum', values: ['web', 'store', 'phone'] } } : c,
      ),
    ),
    kind: 'partition-keys-changed',
    path: 'schema.partitionKeys',
    impact: 'breaking',
  },
  {
    change: 'partition layout changed',
    after: setColumn('order_date', { partition: { projection: 'date', range: '20190101,NOW', format: 'yyyyMMdd' } }),
    kind: 'partition-projection-changed',
    path: 'schema.columns.order_date.partition',
    impact: 'breaking',
  },
  {
    change: 'format changed',
    after: ordersInput({ schema: { ...ordersInput().schema, format: 'json' } }),
    kind: 'format-changed',
    path: 'schema.format',
    impact: 'breaking',
  },
  {
    change: 'location changed',
    after: (base) => ({ ...base, location: 'products/orders/v2-archive/' }),
    kind: 'location-changed',
    path: 'location',
    impact: 'breaking',
  },
  {
    change: 'table name changed',
    after: (base) => ({ ...base, table: 'orders_v2_new' }),
    kind: 'table-changed',
    path: 'table',
    impact: 'breaking',
  },
  // classification lowered → breaking (governance approval)
  {
    change: 'product classification lowered (restricted → internal)',
    before: ordersInput({ classification: 'restricted', access: { visibility: 'consumers', consumers: [] } }),
    after: ordersInput({ classification: 'internal', access: { visibility: 'consumers', consumers: [] } }),
    kind: 'classification-lowered',
    path: 'classification',
    impact: 'breaking',
  },
  {
    change: 'column classification lowered (confidential → internal)',
    before: setColumn('note', { classification: 'confidential' }),
    after: setColumn('note', { classification: 'internal' }),
    kind: 'classification-lowered',
    path: 'schema.columns.note.classification',
    impact: 'breaking',
  },
  {
    change: 'pii flag removed',
    before: setColumn('note', { pii: true }, { access: { visibility: 'consumers', consumers: [] } }),
    after: setColumn('note', { pii: false }, { access: { visibility: 'consumers', consumers: [] } }),
    kind: 'pii-changed',
    path: 'schema.columns.note.pii',
    impact: 'breaking',
  },
  {
    change: 'classification raised',
    after: ordersInput({ classification: 'confidential' }),
    kind: 'classification-raised',
    path: 'classification',
    impact: 'compatible',
  },
  // descriptions, tags, quality rules, SLA tightened → compatible (informational)
  {
    change: 'product description changed',
    after: ordersInput({ description: { purpose: 'Every order ever placed.', usage: 'Filter on order_date.' } }),
    kind: 'description-changed',
    path: 'description.purpose',
    impact: 'informational',
  },
  {
    change: 'column description changed',
    after: setColumn('note', { description: 'Free text from the customer.' }),
    kind: 'description-changed',
    path: 'schema.columns.note.description',
    impact: 'informational',
  },
  {
    change: 'tags changed',
    after: ordersInput({ tags: ['orders', 'revenue'] }),
    kind: 'tags-changed',
    path: 'tags',
    impact: 'informational',
  },
  {
    change: 'quality rule added',
    after: ordersInput({ quality: [...(ordersInput().quality ?? []), { rule: 'rowCount', mustBeGreaterThan: 10 }] }),
    kind: 'quality-changed',
    path: 'quality.rowCount',
    impact: 'informational',
  },
  {
    change: 'SLA freshness tightened',
    after: ordersInput({
      sla: { updateFrequency: 'hourly', freshness: { within: '1 hour', column: 'ordered_at' }, retention: '10 years' },
    }),
    kind: 'sla-changed',
    path: 'sla.freshness',
    impact: 'informational',
  },
  {
    change: 'SLA retention lengthened (tightened)',
    after: ordersInput({
      sla: { updateFrequency: 'hourly', freshness: { within: '2 hours', column: 'ordered_at' }, retention: '12 years' },
    }),
    kind: 'sla-changed',
    path: 'sla.retention',
    impact: 'informational',
  },
  {
    change: 'SLA loosened (daily instead of hourly)',
    after: ordersInput({
      sla: { updateFrequency: 'daily', freshness: { within: '2 hours', column: 'ordered_at' }, retention: '10 years' },
    }),
    kind: 'sla-changed',
    path: 'sla.updateFrequency',
    impact: 'compatible',
  },
];

describe('breaking-change rules', () => {
  test.each(rows.map((row) => [row.change, row] as const))('%s', (_name, row) => {
    const before = contractFor(row.before ?? ordersInput());
    const after = typeof row.after === 'function' ? row.after(before) : contractFor(row.after);
    const changes = compareContracts(before, after);
    const found = changes.find((c) => c.kind === row.kind && c.path === row.path);
    expect(found).toBeDefined();
    expect(found).toMatchObject({ impact: row.impact, breaking: row.impact === 'breaking' });
    expect(found?.message.length).toBeGreaterThan(10);
    // Nothing else may be breaking when the row itself is not.
    if (row.impact !== 'breaking') expect(changes.filter((c) => c.breaking)).toEqual([]);
  });

  test('an unchanged definition has no changes', () => {
    expect(compareContracts(contractFor(ordersInput()), contractFor(ordersInput()))).toEqual([]);
  });

  test('reordering quality rules or accepted values is not a change', () => {
    const quality = [...(ordersInput().quality ?? [])]
      .reverse()
      .map((r) => (r.rule === 'acceptedValues' ? { ...r, values: [...r.values].reverse() } : r));
    expect(compareContracts(contractFor(ordersInput()), contractFor(ordersInput({ quality })))).toEqual([]);
  });

  test('a change records before and after', () => {
    const changes = compareContracts(
      contractFor(ordersInput()),
      contractFor(setColumn('net_amount', { type: 'double' })),
    );
    expect(changes).toEqual([
      {
        kind: 'column-type-changed',
        path: 'schema.columns.net_amount.type',
        before: 'decimal(12,2)',
        after: 'double',
        breaking: true,
        impact: 'breaking',
        message: expect.stringContaining('from decimal(12,2) to double'),
      },
    ]);
  });

  test('columns of a CSV product are read by position: reordering is breaking, elsewhere informational', () => {
    const columns = ordersInput().schema.columns;
    const reordered = [columns[1], columns[0], ...columns.slice(2)];
    for (const [format, impact] of [
      ['csv', 'breaking'],
      ['parquet', 'informational'],
    ] as const) {
      const before = contractFor(ordersInput({ schema: { format, columns } }));
      const after = contractFor(ordersInput({ schema: { format, columns: reordered } }));
      expect(compareContracts(before, after)).toEqual([
        expect.objectContaining({ kind: 'column-order-changed', path: 'schema.columns', impact }),
      ]);
    }
  });
});
