import * as fs from 'node:fs';
import * as path from 'node:path';
import { contractHash } from '../../lib/contracts/hash';
import { lockFilePath, parseLockText, planLock, readLockFile, serializeLock } from '../../lib/contracts/lock';
import { formatProblem } from '../../lib/mesh/problems';
import { ordersInput, PROJECT_ROOT, productOf } from './fixtures';

const TODAY = '2026-11-22';
const FILE = 'domains/sales/products/orders.contract.lock.json';

/** orders at 2.0.0 with v1 (sunset `sunset`) beside it. */
function twoMajors(sunset = '2027-03-31', overrides = {}) {
  const v1Columns = ordersInput().schema.columns.filter((c) => c.name !== 'note');
  return productOf(
    ordersInput({
      previousVersions: [{ version: '1.3.0', sunset, schema: { format: 'parquet', columns: v1Columns } }],
      ...overrides,
    }),
  );
}

function problemsOf(text: string): string[] {
  return parseLockText(FILE, text, 'sales/orders').problems.map(formatProblem);
}

describe('lock file round trip', () => {
  test('serialize → parse → serialize gives the same text, and every hash verifies', () => {
    const plan = planLock(twoMajors(), undefined, TODAY);
    const text = serializeLock(plan.lock);
    const read = parseLockText(FILE, text, 'sales/orders');
    expect(read.problems).toEqual([]);
    expect(read.lock).toEqual(JSON.parse(text));
    expect(serializeLock(read.lock!)).toBe(text);
    for (const entry of read.lock!.majors) expect(entry.hash).toBe(contractHash(entry));
  });

  test('holds both majors, ascending, with the sunset of the earlier one', () => {
    const { lock } = planLock(twoMajors(), undefined, TODAY);
    expect(lock.majors.map((m) => [m.major, m.version, m.sunset, m.table, m.location])).toEqual([
      [1, '1.3.0', '2027-03-31', 'orders_v1', 'products/orders/v1/'],
      [2, '2.0.0', undefined, 'orders_v2', 'products/orders/v2/'],
    ]);
  });

  test('records columns, partitioning, format, classification and constraints from quality rules', () => {
    const [v2] = planLock(productOf(ordersInput()), undefined, TODAY).lock.majors;
    expect(v2).toMatchObject({ format: 'parquet', classification: 'internal', partitionKeys: ['order_date'] });
    const column = (name: string) => v2.columns.find((c) => c.name === name);
    expect(column('order_id')).toMatchObject({
      type: 'string',
      required: true,
      unique: true,
      primaryKey: true,
      constraints: { patterns: ['^ORD-[0-9]+$'] },
    });
    expect(column('channel')?.constraints).toEqual({ acceptedValues: ['phone', 'store', 'web'] });
    expect(column('net_amount')?.constraints).toEqual({ range: { min: -100, max: 100, exclusive: false } });
    expect(column('country')).toMatchObject({ type: 'varchar(2)', constraints: { length: { min: 1, max: 3 } } });
    expect(column('order_date')?.partition).toMatchObject({ projection: 'date', range: '2019-01-01,NOW' });
  });

  test('a second lock of an unchanged definition changes nothing', () => {
    const first = planLock(twoMajors(), undefined, TODAY).lock;
    const again = planLock(twoMajors(), first, TODAY);
    expect(again.changed).toBe(false);
    expect(again.blockers).toEqual([]);
  });

  test('the committed lock of the example orders product holds v1 (sunset 2027-03-31) and v2', () => {
    const product = { file: 'domains/sales/products/orders.ts' };
    const read = readLockFile(PROJECT_ROOT, lockFilePath(product), 'sales/orders');
    expect(read.problems).toEqual([]);
    expect(read.lock?.majors.map((m) => [m.major, m.version, m.sunset ?? null])).toEqual([
      [1, '1.3.0', '2027-03-31'],
      [2, '2.0.0', null],
    ]);
  });
});

describe('hand-edited lock files', () => {
  const valid = () => JSON.parse(serializeLock(planLock(productOf(ordersInput()), undefined, TODAY).lock));

  test('a wrong type names the file and the field', () => {
    const lock = valid();
    lock.majors[0].columns[2].type = 12;
    expect(problemsOf(JSON.stringify(lock))).toEqual([
      `${FILE}:majors[0].columns[2].type: expected string, got number 12`,
    ]);
  });

  test('an unknown field is named, with the allowed ones', () => {
    const lock = valid();
    lock.majors[0].colums = [];
    expect(problemsOf(JSON.stringify(lock))[0]).toMatch(
      new RegExp(`^${FILE}:majors\\[0\\]\\.colums: unknown field "colums", did you mean "columns"\\?`),
    );
  });

  test('a bad enum value lists what is allowed', () => {
    const lock = valid();
    lock.majors[0].format = 'orc';
    expect(problemsOf(JSON.stringify(lock))).toEqual([
      `${FILE}:majors[0].format: must be one of "parquet", "json", "csv", "iceberg", got "orc"`,
    ]);
  });

  test('content edited without the hash is detected', () => {
    const lock = valid();
    lock.majors[0].columns[1].required = false;
    expect(problemsOf(JSON.stringify(lock))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${FILE}:majors\\[0\\]\\.hash: does not match the entry's content \\(expected sha256:[0-9a-f]{64}\\); the entry was edited by hand$`,
        ),
      ),
    ]);
  });

  test('broken JSON says so', () => {
    expect(problemsOf('{ "lockVersion": 1,')[0]).toMatch(new RegExp(`^${FILE}: is not valid JSON: `));
  });

  test('a lock naming another product is rejected', () => {
    const lock = valid();
    lock.product = 'sales/refunds';
    expect(problemsOf(JSON.stringify(lock))).toEqual([
      `${FILE}:product: names "sales/refunds" but the file belongs to "sales/orders"`,
    ]);
  });

  test('a missing lock file reads as no lock and no problem', () => {
    expect(readLockFile(PROJECT_ROOT, 'domains/sales/products/nothing.contract.lock.json')).toEqual({ problems: [] });
  });
});

describe('planLock', () => {
  const locked = (product = twoMajors()) => planLock(product, undefined, TODAY).lock;

  test('a major removed after its sunset is kept as retired, never deleted', () => {
    const lock = locked(twoMajors('2026-10-31'));
    const plan = planLock(productOf(ordersInput()), lock, TODAY);
    expect(plan.blockers).toEqual([]);
    expect(plan.lock.majors.map((m) => [m.major, m.retired ?? false])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(plan.lock.majors[0].columns).toEqual(lock.majors[0].columns);
  });

  test('a major removed before its sunset blocks the lock as a breaking change', () => {
    const plan = planLock(productOf(ordersInput()), locked(), TODAY);
    expect(plan.blockers).toEqual([
      { kind: 'breaking', major: 1, message: expect.stringContaining('v1 removed before its sunset (2027-03-31)') },
    ]);
  });

  test('a breaking change in a published major blocks; in a draft it does not', () => {
    const breaking = ordersInput({ schema: { ...ordersInput().schema, format: 'json' } });
    const plan = planLock(productOf(breaking), planLock(productOf(ordersInput()), undefined, TODAY).lock, TODAY);
    expect(plan.blockers).toEqual([
      { kind: 'breaking', major: 2, message: expect.stringContaining('storage format changed from parquet to json') },
    ]);
    const draftBase = planLock(productOf(ordersInput({ status: 'draft' })), undefined, TODAY).lock;
    const draft = planLock(productOf({ ...breaking, status: 'draft' }), draftBase, TODAY);
    expect(draft.blockers).toEqual([]);
  });

  test('a retired major cannot come back: its data prefix still holds the old files', () => {
    const lock = locked(twoMajors('2026-10-31'));
    const retired = planLock(productOf(ordersInput()), lock, TODAY).lock;
    const plan = planLock(twoMajors('2027-12-31'), retired, TODAY);
    expect(plan.blockers).toEqual([
      {
        kind: 'breaking',
        major: 1,
        message: expect.stringContaining('v1 was retired; its data prefix products/orders/v1/'),
      },
    ]);
  });

  test('a version downgrade blocks the lock', () => {
    const lock = planLock(productOf(ordersInput({ version: '2.1.0' })), undefined, TODAY).lock;
    const plan = planLock(productOf(ordersInput({ version: '2.0.5' })), lock, TODAY);
    expect(plan.blockers).toEqual([
      {
        kind: 'version',
        major: 2,
        message:
          'version 2.0.5 is below the locked 2.1.0; a published version never goes backwards; set the version to 2.1.0 or higher',
      },
    ]);
  });

  test('writes into the file beside the definition', () => {
    expect(lockFilePath({ file: 'domains/sales/products/orders.ts' })).toBe(FILE);
    expect(fs.existsSync(path.join(PROJECT_ROOT, FILE))).toBe(true);
  });
});
