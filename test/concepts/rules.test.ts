/**
 * The concept rules: MESH-CPT-001 (columns named like a concept reference it), MESH-CPT-002 (amounts name
 * their currency) and MESH-CPT-003 (day partitions in one format), on the example mesh, on a copy of it whose
 * join keys reference no concept, and on products built to break each rule.
 */
import type { ProductDefinitionInput } from '../../lib/definition';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { amountsNameCurrency } from '../../lib/policies/rules/concepts/currency';
import { datePartitionsOneFormat } from '../../lib/policies/rules/concepts/date-partitions';
import { conceptsReferenced } from '../../lib/policies/rules/concepts/referenced';
import { PLATFORM_RULES } from '../../lib/policies/rules/index';
import { buildMesh, domainSpec, productSpec } from '../policies/support/mesh-builder';
import { exampleMesh, findingsOf, withoutConceptReferences } from './support';

const RULES = [conceptsReferenced, amountsNameCurrency, datePartitionsOneFormat];

/** Findings of a rule on one product of domain `lab`, as `[finding] message. Fix: fix`. */
function check(rule: (typeof RULES)[number], product: ProductDefinitionInput): string[] {
  const mesh = buildMesh([{ domain: domainSpec('lab'), products: [product] }]);
  const [built] = mesh.domains[0].products;
  return (rule.checkProduct?.(built, { mesh, today: '2026-06-01' }) ?? []).map(
    (v) => `[${v.finding}] ${v.message}. Fix: ${v.fix}`,
  );
}

type ColumnInput = ProductDefinitionInput['schema']['columns'][number];
const column = (extra: Record<string, unknown>) => ({ description: 'A column.', ...extra }) as ColumnInput;
const withColumns = (name: string, columns: Record<string, unknown>[]) =>
  productSpec(name, { schema: { columns: columns as ProductDefinitionInput['schema']['columns'] } });

describe('the rules are registered', () => {
  test('each once, with the severity the guild set for unreferenced lookalikes', () => {
    const ids = PLATFORM_RULES.map((r) => r.id);
    for (const rule of RULES) expect(ids.filter((id) => id === rule.id)).toEqual([rule.id]);
    expect(conceptsReferenced.severity).toBe(CONCEPT_REGISTRY.unreferencedSeverity);
    expect(amountsNameCurrency.severity).toBe('error');
    expect(datePartitionsOneFormat.severity).toBe('warning');
  });
});

describe('the example mesh', () => {
  test('complies with every concept rule', () => {
    for (const rule of RULES) expect(findingsOf(rule, exampleMesh())).toEqual([]);
  });

  test('without its concept references, every join key of every live major is a finding', () => {
    expect(findingsOf(conceptsReferenced, withoutConceptReferences(exampleMesh()))).toEqual([
      'customers/customer_profiles [Column::customer_id] column "customer_id" is named like concept "customer_id" but does not reference it',
      'customers/customer_profiles [Column::country] column "country" is named like concept "country_code" but does not reference it',
      'customers/customer_segments [Column::customer_id] column "customer_id" is named like concept "customer_id" but does not reference it',
      'customers/customer_segments [v1::Column::customer_id] column "customer_id" of v1 is named like concept "customer_id" but does not reference it',
      'fulfillment/shipments [Column::order_id] column "order_id" is named like concept "order_id" but does not reference it',
      'marketing/ad_clicks [Column::customer_id] column "customer_id" is named like concept "customer_id" but does not reference it',
      'sales/orders [Column::order_id] column "order_id" is named like concept "order_id" but does not reference it',
      'sales/orders [Column::customer_id] column "customer_id" is named like concept "customer_id" but does not reference it',
      'sales/orders [v1::Column::order_id] column "order_id" of v1 is named like concept "order_id" but does not reference it',
      'sales/orders [v1::Column::customer_id] column "customer_id" of v1 is named like concept "customer_id" but does not reference it',
    ]);
  });
});

describe('MESH-CPT-001: columns named like a shared concept reference it', () => {
  test('the fix names the concept, the field and what the column inherits', () => {
    expect(check(conceptsReferenced, withColumns('keys', [column({ name: 'cust_id', type: 'string' })]))).toEqual([
      `[Column::cust_id] column "cust_id" is named like concept "customer_id" but does not reference it. Fix: set concept: 'customer_id' on schema.columns[0] and drop type string: the column inherits type string, pattern ^C-[0-9]{6}$ (checked as a quality rule), the concept's description where the column has none. If the column means something else, rename it`,
    ]);
  });

  test('a lookalike of another type is told that its type changes', () => {
    const [finding] = check(conceptsReferenced, withColumns('typed', [column({ name: 'country', type: 'string' })]));
    expect(finding).toContain(
      "set concept: 'country_code' on schema.columns[0] and drop type string (its type becomes varchar(2): consumers see a new type): the column inherits type varchar(2), pattern ^[A-Z]{2}$",
    );
  });

  test('an amount keeps its decimal and is asked for its currency', () => {
    const [finding] = check(
      conceptsReferenced,
      withColumns('paid', [column({ name: 'amount', type: 'decimal(9,2)' })]),
    );
    expect(finding).toContain(
      "set concept: 'money_amount' on schema.columns[0], keep type decimal(9,2) (the concept admits any decimal(p,s)) and name its currency (currency: 'EUR') or add a currency_code column",
    );
    const [double] = check(conceptsReferenced, withColumns('floaty', [column({ name: 'amount', type: 'double' })]));
    expect(double).toContain('change type double to a decimal(p,s)');
  });

  test('a column named like one concept that references another is a finding for the one it looks like', () => {
    expect(
      check(conceptsReferenced, withColumns('crossed', [column({ name: 'customer_id', concept: 'order_id' })])),
    ).toEqual([
      expect.stringMatching(
        /^\[Column::customer_id\] column "customer_id" is named like concept "customer_id" but references "order_id"\./,
      ),
    ]);
  });

  test('a column that references its concept, or means none, is fine', () => {
    const product = withColumns('fine', [
      column({ name: 'customer_id', concept: 'customer_id' }),
      column({ name: 'client_key', type: 'string' }),
      column({ name: 'buyer', concept: 'customer_id' }),
    ]);
    expect(check(conceptsReferenced, product)).toEqual([]);
  });

  test('earlier live majors are checked too', () => {
    const product = productSpec('versioned', {
      version: '2.0.0',
      schema: { columns: [column({ name: 'customer_id', concept: 'customer_id' })] },
      previousVersions: [
        {
          version: '1.2.0',
          sunset: '2027-01-31',
          schema: { columns: [column({ name: 'client_id', type: 'string' })] },
        },
      ],
    });
    expect(check(conceptsReferenced, product)).toEqual([
      expect.stringMatching(
        /^\[v1::Column::client_id\] column "client_id" of v1 is named like concept "customer_id" but does not reference it\. Fix: set concept: 'customer_id' on previousVersions\[0\]\.schema\.columns\[0\]/,
      ),
    ]);
  });
});

describe('MESH-CPT-002: amounts name their currency', () => {
  const amount = column({ name: 'net', concept: 'money_amount', type: 'decimal(12,2)' });

  test('an amount without currency is an error naming both ways to fix it', () => {
    expect(check(amountsNameCurrency, withColumns('bare', [amount]))).toEqual([
      `[Column::net] column "net" is an amount (concept "money_amount") but names no currency. Fix: set currency: 'EUR' (its ISO 4217 code) on schema.columns[0], or add a column with concept: 'currency_code' to the v1 schema`,
    ]);
  });

  test('currency on the column, or a currency_code column in the same major, names it', () => {
    expect(check(amountsNameCurrency, withColumns('eur', [{ ...amount, currency: 'EUR' }]))).toEqual([]);
    expect(
      check(
        amountsNameCurrency,
        withColumns('priced', [amount, column({ name: 'currency', concept: 'currency_code' })]),
      ),
    ).toEqual([]);
  });

  test("a currency column of another major does not name this one's currency", () => {
    const product = productSpec('moved', {
      version: '2.0.0',
      schema: { columns: [amount, column({ name: 'currency', concept: 'currency_code' })] },
      previousVersions: [{ version: '1.0.0', sunset: '2027-01-31', schema: { columns: [amount] } }],
    });
    expect(check(amountsNameCurrency, product)).toEqual([
      expect.stringMatching(/^\[v1::Column::net\] column "net" of v1 is an amount/),
    ]);
  });

  test('a decimal that references no amount concept is not checked', () => {
    expect(check(amountsNameCurrency, withColumns('plain', [column({ name: 'net', type: 'decimal(12,2)' })]))).toEqual(
      [],
    );
  });
});

describe('MESH-CPT-003: day partitions are dates or yyyy-MM-dd strings', () => {
  const day = (name: string, type: string, partition: unknown) => column({ name, type, partition, required: true });
  const projected = (format: string, unit = 'DAYS') => ({ projection: 'date', range: 'NOW-1YEARS,NOW', format, unit });

  test.each<[string, Record<string, unknown>]>([
    ['a date with a date projection', day('event_date', 'date', projected('yyyy-MM-dd'))],
    ['a string with a yyyy-MM-dd projection', day('event_date', 'string', projected('yyyy-MM-dd'))],
    ['an identity-partitioned date named day', day('day', 'date', true)],
    ['an hourly partition', day('event_hour', 'string', projected('yyyy-MM-dd-HH', 'HOURS'))],
    ['a monthly partition named month', day('month', 'string', projected('yyyy-MM', 'MONTHS'))],
    ['an enum partition not named like a day', day('warehouse', 'string', { projection: 'enum', values: ['a', 'b'] })],
  ])('%s is fine', (_name, partition) => {
    expect(check(datePartitionsOneFormat, withColumns('fine', [partition]))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'a compact date format',
      day('event_date', 'string', projected('yyyyMMdd')),
      'day partition "event_date" is written yyyyMMdd, not yyyy-MM-dd',
    ],
    [
      'a monthly string named like a day',
      day('load_date', 'string', projected('yyyy/MM', 'MONTHS')),
      'day partition "load_date" is written yyyy/MM, not yyyy-MM-dd',
    ],
    [
      'a day held as an enum of strings',
      day('business_day', 'string', { projection: 'enum', values: ['2026-01-01'] }),
      'day partition "business_day" is of type string with an enum projection, not a date',
    ],
    [
      'a day held as an integer',
      day('snapshot_date', 'int', { projection: 'integer', range: [20200101, 20301231] }),
      'day partition "snapshot_date" is of type int with an integer projection, not a date',
    ],
  ])('%s is a warning', (_name, partition, says) => {
    expect(check(datePartitionsOneFormat, withColumns('odd', [partition]))).toEqual([
      `[Column::${partition.name}] ${says}. Fix: make schema.columns[0] type date, or a string with partition: { projection: 'date', format: 'yyyy-MM-dd', ... } (a new major: the partition layout changes)`,
    ]);
  });
});
