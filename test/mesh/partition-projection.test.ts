import { parseColumnType } from '../../lib/definition/column-type';
import { checkPartitionProjection } from '../../lib/definition/partition-projection';
import { PartitionProjectionSchema } from '../../lib/definition/schema';
import { tryLoadMesh } from '../../lib/mesh/load';
import { formatProblem } from '../../lib/mesh/problems';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';

/** Problems of one partition setting on a column of `type`, as `field: message`. */
function problemsOf(settings: Record<string, unknown>, type = 'string'): string[] {
  const projection = PartitionProjectionSchema.parse(settings);
  return checkPartitionProjection(projection, parseColumnType(type)).map((p) => `${p.field}: ${p.message}`);
}

const date = (range: string, extra: Record<string, unknown> = {}) => ({ projection: 'date', range, ...extra });
const NOW_HELP =
  'NOW, NOW-<n><unit> or NOW+<n><unit> with unit YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES or SECONDS (singular too), e.g. NOW-3YEARS';

describe('partition projection settings Athena accepts', () => {
  test.each<[string, Record<string, unknown>, string?]>([
    ['relative range', date('NOW-3YEARS,NOW')],
    ['singular unit and spaces in a NOW expression', date(' NOW - 1 YEAR , NOW+1DAY')],
    ['absolute start, NOW end', date('2019-01-01,NOW')],
    ['leap day', date('2020-02-29,2020-03-01')],
    ['Firehose-style hourly format', date('2021/01/01/00,NOW', { format: 'yyyy/MM/dd/HH', unit: 'HOURS' })],
    ['monthly format', date('201701,201812', { format: 'yyyyMM', unit: 'MONTHS' })],
    ['day-month-year format', date('01-01-2010,31-12-2018', { format: 'dd-MM-yyyy' })],
    [
      'quoted literal and seconds',
      date('2019-01-01T00:00:00,NOW', { format: "yyyy-MM-dd'T'HH:mm:ss", unit: 'SECONDS' }),
    ],
    ['month names', date('Jan-2019,NOW', { format: 'MMM-yyyy', unit: 'MONTHS' })],
    ['coarser step than the format', date('NOW-1YEARS,NOW', { unit: 'WEEKS', interval: 2 })],
    ['date column with yyyy-MM-dd', date('NOW-1YEARS,NOW'), 'date'],
    ['integer range', { projection: 'integer', range: [0, 23], digits: 2 }, 'int'],
    ['negative integer range', { projection: 'integer', range: [-1, 8675309] }, 'bigint'],
    ['enum values', { projection: 'enum', values: ['ams1', 'ber1', 'mad1'] }],
    ['injected', { projection: 'injected' }],
  ])('%s', (_name, settings, type = 'string') => {
    expect(problemsOf(settings, type)).toEqual([]);
  });
});

describe('partition projection mistakes read like compiler errors', () => {
  test.each<[string, Record<string, unknown>, string, string?]>([
    // range grammar
    [
      'one value',
      date('NOW-3YEARS'),
      'range: must be "start,end": two values separated by one comma, got "NOW-3YEARS" (e.g. NOW-3YEARS,NOW or 2019-01-01,NOW)',
    ],
    [
      'three values',
      date('2019-01-01,2020-01-01,NOW'),
      'range: must be "start,end": two values separated by one comma, got "2019-01-01,2020-01-01,NOW" (e.g. NOW-3YEARS,NOW or 2019-01-01,NOW)',
    ],
    ['unknown NOW unit', date('NOW-3Y,NOW'), `range: "NOW-3Y" is not a relative date: write ${NOW_HELP}`],
    [
      'MILLISECONDS is a step unit, not a NOW unit',
      date('NOW-3MILLISECONDS,NOW'),
      `range: "NOW-3MILLISECONDS" is not a relative date: write ${NOW_HELP}`,
    ],
    ['lower-case now', date('now-1years,NOW'), `range: "now-1years" is not a relative date: write ${NOW_HELP}`],
    [
      'NOW with a fraction',
      date('NOW-1.5YEARS,NOW'),
      `range: "NOW-1.5YEARS" is not a relative date: write ${NOW_HELP}`,
    ],
    ['empty end', date('NOW-1YEARS,'), `range: end is empty (write a date in the format, or ${NOW_HELP})`],
    [
      'date not in the format',
      date('01/01/2019,NOW'),
      `range: "01/01/2019" does not match the format "yyyy-MM-dd" (write it like 2019-01-01, or as ${NOW_HELP})`,
    ],
    [
      'date in another format than the one given',
      date('2019-01-01,NOW', { format: 'yyyyMMdd' }),
      `range: "2019-01-01" does not match the format "yyyyMMdd" (write it like 20190101, or as ${NOW_HELP})`,
    ],
    [
      'spaces around a date',
      date('2019-01-01 ,NOW'),
      'range: "2019-01-01 " has spaces around it, which Athena reads as part of the date; remove them',
    ],
    ['impossible day', date('2019-02-30,NOW'), 'range: "2019-02-30" is not a real calendar date'],
    ['impossible month', date('NOW-1YEARS,2019-13-01'), 'range: "2019-13-01" is not a real calendar date'],
    [
      'impossible hour',
      date('2019-01-01-24,NOW', { format: 'yyyy-MM-dd-HH', unit: 'HOURS' }),
      'range: "2019-01-01-24" is not a real time of day',
    ],
    [
      'absolute start after end',
      date('2020-01-01,2019-12-31'),
      'range: start "2020-01-01" is after end "2019-12-31" (the range is "start,end", start first)',
    ],
    [
      'relative start after end',
      date('NOW,NOW-3YEARS'),
      'range: start "NOW" is after end "NOW-3YEARS" (the range is "start,end", start first)',
    ],
    // format
    [
      'unknown pattern letter',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-dd-b' }),
      `format: "b" is not a DateTimeFormatter pattern letter (pattern letters include y year, M month, d day, H hour, m minute, s second, S fraction; put other text in quotes, e.g. 'T')`,
    ],
    [
      'unquoted T',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-ddTHH', unit: 'HOURS' }),
      `format: "T" is not a DateTimeFormatter pattern letter (pattern letters include y year, M month, d day, H hour, m minute, s second, S fraction; put other text in quotes, e.g. 'T')`,
    ],
    [
      'too many letters',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-ddd' }),
      'format: "ddd" is not a valid day of month field (d may be written d, dd)',
    ],
    [
      'unclosed quote',
      date('NOW-1YEARS,NOW', { format: "yyyy-MM-dd'T" }),
      "format: the quoted text starting at position 11 is never closed (close it with ', write '' for a quote)",
    ],
    [
      'reserved character',
      date('NOW-1YEARS,NOW', { format: 'yyyy#MM#dd' }),
      `format: "#" is reserved in DateTimeFormatter patterns; quote it: '#'`,
    ],
    [
      'optional section',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-dd[ HH]' }),
      'format: optional sections [ ] give a partition value more than one spelling; write the format without [ ]',
    ],
    [
      'week-based year',
      date('NOW-1YEARS,NOW', { format: 'YYYY-MM-dd' }),
      'format: "YYYY" is the week-based year, which differs from the calendar year around New Year; use yyyy',
    ],
    [
      'day of year instead of day of month',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-DD' }),
      'format: "DD" is the day of the year; use dd for the day of the month',
    ],
    [
      'minute instead of month',
      date('NOW-1YEARS,NOW', { format: 'yyyy-mm-dd' }),
      'format: "mm" is the minute; use MM for the month',
    ],
    [
      'no year',
      date('NOW-1YEARS,NOW', { format: 'MM-dd' }),
      'format: format "MM-dd" has no year (yyyy), so Athena cannot read its values as dates',
    ],
    [
      '12-hour clock without AM/PM',
      date('NOW-1YEARS,NOW', { format: 'yyyy-MM-dd-hh', unit: 'HOURS' }),
      'format: "hh" is the hour of AM/PM, which needs AM/PM (a); use HH for 0-23',
    ],
    [
      'comma in the format',
      date('NOW-1YEARS,NOW', { format: "dd MMM',' yyyy" }),
      'format: a comma in the format splits the range "start,end" in the wrong place; use another separator',
    ],
    [
      'date column with another format',
      date('NOW-1YEARS,NOW', { format: 'yyyy/MM/dd' }),
      'format: a date column holds values written yyyy-MM-dd, so its format must be "yyyy-MM-dd", got "yyyy/MM/dd" (use a string column for other formats)',
      'date',
    ],
    // interval unit
    [
      'step finer than the format',
      date('NOW-1YEARS,NOW', { unit: 'HOURS' }),
      'unit: "HOURS" steps finer than the format "yyyy-MM-dd" writes (days), so every partition value would be projected more than once; use DAYS or a coarser unit, or add the finer field to the format',
    ],
    // integer
    [
      'integer min above max',
      { projection: 'integer', range: [23, 0] },
      'range: min 23 is above max 0 (the range is [min, max], inclusive)',
      'int',
    ],
    [
      'integer range wider than an int column',
      { projection: 'integer', range: [0, 3_000_000_000] },
      'range: [0, 3000000000] does not fit an int column (-2147483648..2147483647); make the column bigint',
      'int',
    ],
    // enum
    [
      'duplicate enum value',
      { projection: 'enum', values: ['ams1', 'ber1', 'ams1'] },
      'values[2]: "ams1" is listed twice; each value names one partition',
    ],
    [
      'enum value with spaces',
      { projection: 'enum', values: ['ams1', ' ber1'] },
      'values[1]: " ber1" has spaces around it, which Athena keeps as part of the value',
    ],
  ])('%s', (_name, settings, message, type = 'string') => {
    expect(problemsOf(settings, type)).toEqual([message]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['interval must be positive', date('NOW-1YEARS,NOW', { interval: 0 }), 'interval'],
    ['unit must be a ChronoUnit name', date('NOW-1YEARS,NOW', { unit: 'DAY' }), 'unit'],
    ['integer bounds must be exact numbers', { projection: 'integer', range: [0, 2 ** 60] }, 'range.1'],
    ['digits must be positive', { projection: 'integer', range: [0, 9], digits: 0 }, 'digits'],
    ['enum needs values', { projection: 'enum', values: [] }, 'values'],
    ['enum values cannot contain commas', { projection: 'enum', values: ['a,b'] }, 'values.0'],
    ['injected takes no range', { projection: 'injected', range: 'NOW-1YEARS,NOW' }, ''],
    ['injected takes no values', { projection: 'injected', values: ['a'] }, ''],
  ])('the schema refuses: %s', (_name, settings, path) => {
    const parsed = PartitionProjectionSchema.safeParse(settings);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  test('the loader reports the file and the field path of the column', () => {
    const product = validProduct('orders');
    const columns = (product.schema as { columns: Record<string, unknown>[] }).columns;
    const root = makeTempProject({
      domains: {
        sales: {
          domain: validDomain('sales'),
          products: {
            orders: {
              ...product,
              schema: {
                columns: [
                  ...columns,
                  { name: 'order_date', type: 'string', description: 'Day.', partition: date('NOW-3YEAR,NOW-3Y') },
                ],
              },
            },
          },
        },
      },
    });
    const result = tryLoadMesh({ root });
    expect(result.mesh).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'domains/sales/products/orders.ts',
        path: 'schema.columns[3].partition.range',
        message: `"NOW-3Y" is not a relative date: write ${NOW_HELP}`,
        line: expect.any(Number),
        column: expect.any(Number),
      }),
    ]);
    expect(formatProblem(result.problems[0])).toMatch(
      /^domains\/sales\/products\/orders\.ts:\d+:\d+: schema\.columns\[3\]\.partition\.range: "NOW-3Y" is not a relative date/,
    );
  });
});
