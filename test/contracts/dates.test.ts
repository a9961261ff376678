/**
 * Impossible dates (2027-02-30) are refused everywhere a date is read: every date field of the definition
 * language, lock files, partition ranges and the day checks are made on. Nothing rolls over to March.
 */
import { z } from 'zod';
import { checkContracts } from '../../lib/contracts/check';
import { lockFilePath, parseLockText, planLock, serializeLock } from '../../lib/contracts/lock';
import { daysBetween } from '../../lib/contracts/sunset';
import {
  DomainDefinitionSchema,
  isIsoDate,
  type ProductDefinitionInput,
  ProductDefinitionSchema,
} from '../../lib/definition/schema';
import { problemsFromZod } from '../../lib/mesh/problems';
import { domainInput, meshOf, ordersInput, productOf, tempRoot } from './fixtures';

const IMPOSSIBLE = ['2027-02-30', '2027-02-29', '2100-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-01-00'];
const REAL = ['2028-02-29', '2000-02-29', '2027-12-31', '2027-01-01'];

const exception = (expires: string) => ({
  rule: 'MESH-S3-001',
  reason: 'A reason long enough for the auditors to read.',
  approvedBy: 'governance guild',
  expires,
});

/** Every date field of the definition language, with an input that sets it. */
const PRODUCT_DATE_FIELDS: Record<string, (date: string) => ProductDefinitionInput> = {
  sunset: (date) => ordersInput({ status: 'deprecated', sunset: date }),
  'previousVersions[].sunset': (date) =>
    ordersInput({ previousVersions: [{ version: '1.3.0', sunset: date, schema: ordersInput().schema }] }),
  'exceptions[].expires': (date) => ordersInput({ exceptions: [exception(date)] }),
  'privacy.declassification.expires': (date) =>
    ordersInput({
      privacy: {
        declassification: { reason: exception(date).reason, approvedBy: 'governance guild', expires: date },
      },
    }),
};
const DOMAIN_DATE_FIELDS: Record<string, (date: string) => unknown> = {
  'exceptions[].expires': (date) => domainInput('sales', { exceptions: [exception(date)] }),
};

/** Paths of the fields a schema declares as dates (JSON Schema `format: date`). */
function dateFields(schema: z.ZodType): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.format === 'date') found.push(at);
    for (const [key, value] of Object.entries(record)) {
      if (key === 'properties') {
        for (const [name, child] of Object.entries(value as object)) walk(child, at ? `${at}.${name}` : name);
      } else if (key === 'items') walk(value, `${at}[]`);
      else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
        for (const child of value as unknown[]) walk(child, at);
      }
    }
  };
  walk(z.toJSONSchema(schema, { unrepresentable: 'any' }), '');
  return found.sort();
}

describe('every date field of the definition language', () => {
  test('is covered here (a new date field must be added to this test)', () => {
    expect(dateFields(ProductDefinitionSchema)).toEqual(Object.keys(PRODUCT_DATE_FIELDS).sort());
    expect(dateFields(DomainDefinitionSchema)).toEqual(Object.keys(DOMAIN_DATE_FIELDS).sort());
  });

  describe.each(Object.entries(PRODUCT_DATE_FIELDS))('product %s', (field, input) => {
    test.each(IMPOSSIBLE)('refuses %s, naming the field', (date) => {
      const raw = input(date);
      const parsed = ProductDefinitionSchema.safeParse(raw);
      expect(parsed.success).toBe(false);
      const problems = problemsFromZod('p.ts', ProductDefinitionSchema, raw, parsed.error!);
      expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        `${field.replace('[]', '[0]')}: must be a real calendar date`,
      ]);
    });

    test.each(REAL)('accepts %s', (date) => {
      expect(ProductDefinitionSchema.safeParse(input(date)).success).toBe(true);
    });
  });

  describe.each(Object.entries(DOMAIN_DATE_FIELDS))('domain %s', (field, input) => {
    test.each(IMPOSSIBLE)('refuses %s', (date) => {
      const parsed = DomainDefinitionSchema.safeParse(input(date));
      expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        [field.replace('[]', '.0'), 'must be a real calendar date'],
      ]);
    });

    test('accepts a leap day', () => {
      expect(DomainDefinitionSchema.safeParse(input('2028-02-29')).success).toBe(true);
    });
  });

  test('a date that is not written YYYY-MM-DD says so', () => {
    const parsed = ProductDefinitionSchema.safeParse(ordersInput({ exceptions: [exception('31/03/2027')] }));
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['must be a date written YYYY-MM-DD']);
  });
});

describe('partition ranges', () => {
  const withRange = (range: string) => {
    const schema = ordersInput().schema;
    return ordersInput({
      schema: {
        ...schema,
        columns: schema.columns.map((c) =>
          c.name === 'order_date' ? { ...c, partition: { projection: 'date' as const, range } } : c,
        ),
      },
    });
  };

  test('an impossible day in a date projection range is a definition problem', () => {
    expect(() => productOf(withRange('2019-02-30,NOW'))).toThrow(
      'domains/sales/products/orders.ts:schema.columns[6].partition.range: "2019-02-30" is not a real calendar date',
    );
  });

  test('real days and relative ends are fine', () => {
    expect(() => productOf(withRange('2020-02-29,NOW'))).not.toThrow();
    expect(() => productOf(withRange('NOW-3YEARS,NOW'))).not.toThrow();
  });
});

describe('lock files', () => {
  const lockText = (sunset: string) => {
    const product = productOf(
      ordersInput({ previousVersions: [{ version: '1.3.0', sunset: '2027-03-31', schema: ordersInput().schema }] }),
    );
    return serializeLock(planLock(product, undefined, '2026-11-22').lock).replace('"2027-03-31"', `"${sunset}"`);
  };

  test('a sunset that does not exist is refused, naming the file and field', () => {
    expect(parseLockText('orders.contract.lock.json', lockText('2027-02-30')).problems).toEqual([
      expect.objectContaining({ path: 'majors[0].sunset', message: 'must be a real calendar date' }),
    ]);
  });

  test("the product's own sunset in a lock is checked the same way", () => {
    const product = productOf(ordersInput({ status: 'deprecated', sunset: '2027-06-30' }));
    const text = serializeLock(planLock(product, undefined, '2026-11-22').lock).replace('"2027-06-30"', '"2027-06-31"');
    expect(parseLockText(lockFilePath(product), text).problems).toEqual([
      expect.objectContaining({ path: 'sunset', message: 'must be a real calendar date' }),
    ]);
  });
});

describe('the day checks are made on', () => {
  const mesh = meshOf([{ domain: 'sales', input: ordersInput() }]);

  test.each(IMPOSSIBLE)('refuses %s instead of rolling it over', (today) => {
    expect(() => checkContracts(mesh, tempRoot(), today)).toThrow(
      `today must be a real calendar date written YYYY-MM-DD, got "${today}"`,
    );
  });

  test('isIsoDate and daysBetween agree on leap years', () => {
    expect(IMPOSSIBLE.filter(isIsoDate)).toEqual([]);
    expect(REAL.filter(isIsoDate)).toEqual(REAL);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1);
  });
});
