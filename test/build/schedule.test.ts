import { describeMinutes, parseSchedule, runGaps } from '../../lib/build/schedule';
import { checkTimeZone } from '../../lib/build/timezone';

const HOUR = 60;
const DAY = 1440;

describe('EventBridge Scheduler expressions', () => {
  test.each([
    ['rate(1 minute)', 1],
    ['rate(5 minutes)', 5],
    ['rate(1 hour)', HOUR],
    ['rate(12 hours)', 12 * HOUR],
    ['rate(1 day)', DAY],
    ['rate(7 days)', 7 * DAY],
  ])('%s runs every %d minutes', (expression, minutes) => {
    const parsed = parseSchedule(expression);
    if (!('schedule' in parsed)) throw new Error(parsed.error);
    expect(runGaps(parsed.schedule)).toEqual({ shortest: minutes, longest: minutes });
  });

  test.each([
    ['rate(1 hours)', 'write rate(1 hour): a value of 1 takes the singular unit'],
    ['rate(2 hour)', 'write rate(2 hours): a value above 1 takes the plural unit'],
    ['rate(0 minutes)', 'a rate must be at least 1, got rate(0 minutes)'],
    ['rate(1 week)', 'unknown rate unit "week" in rate(1 week) (allowed: minute, minutes, hour, hours, day, days)'],
    ['cron(0 5 * * *)', 'a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got 5'],
    ['cron(0 5 * * * *)', 'exactly one of day-of-month ("*") and day-of-week ("*") must be "?"'],
    ['cron(0 5 ? * ? *)', 'exactly one of day-of-month ("?") and day-of-week ("?") must be "?"'],
    ['cron(60 5 * * ? *)', 'minutes "60" is not valid (values 0-59; wildcards , - * /)'],
    ['cron(0 24 * * ? *)', 'hours "24" is not valid (values 0-23; wildcards , - * /)'],
    ['cron(0 5 32 * ? *)', 'day-of-month "32" is not valid (values 1-31; wildcards , - * ? / L W)'],
    ['cron(0 5 * FOO ? *)', 'month "FOO" is not valid (values 1-12 or JAN-DEC; wildcards , - * /)'],
    ['cron(0 5 ? * 8 *)', 'day-of-week "8" is not valid (values 1-7 or SUN-SAT; wildcards , - * ? L #)'],
    ['cron(0 5 ? * 2#6 *)', 'day-of-week "2#6" is not valid'],
    ['cron(0 5 * * ? 1969)', 'year "1969" is not valid (values 1970-2199'],
    ['cron(0 5-3 * * ? *)', 'hours "5-3" is not valid'],
    ['at(2027-02-30T10:00:00)', 'at(2027-02-30T10:00:00) is not a real date and time'],
    [
      'every day',
      '"every day" is not an EventBridge Scheduler expression (rate(<n> minute|minutes|hour|hours|day|days) or cron(',
    ],
    ['rate(daily)', 'rate(daily) is not a valid expression'],
  ])('refuses %s', (expression, message) => {
    const parsed = parseSchedule(expression);
    expect('error' in parsed && parsed.error).toContain(message);
  });

  test.each([
    ['cron(0 5 * * ? *)', DAY, DAY],
    ['cron(0/15 * * * ? *)', 15, 15],
    ['cron(0 6,18 * * ? *)', 12 * HOUR, 12 * HOUR],
    ['cron(0 1,23 * * ? *)', 2 * HOUR, 22 * HOUR],
    ['cron(30 2 ? * MON *)', 7 * DAY, 7 * DAY],
    ['cron(0 5 ? * MON-FRI *)', DAY, 3 * DAY],
    ['cron(0 3 1 * ? *)', 28 * DAY, 31 * DAY],
    ['cron(0 3 L * ? *)', 28 * DAY, 31 * DAY],
    ['cron(0 3 ? * 2#1 *)', 28 * DAY, 35 * DAY],
    ['cron(0 3 ? * 6L *)', 28 * DAY, 35 * DAY],
    ['cron(0 3 15W * ? *)', 28 * DAY, 32 * DAY],
    ['cron(0 4 1 JAN,JUL ? *)', 181 * DAY, 184 * DAY],
  ])('%s runs between %d and %d minutes apart', (expression, shortest, longest) => {
    const parsed = parseSchedule(expression);
    if (!('schedule' in parsed)) throw new Error(parsed.error);
    expect(runGaps(parsed.schedule)).toEqual({ shortest, longest });
  });

  test('at() is an expression of a one-off run, with no gaps', () => {
    const parsed = parseSchedule('at(2027-01-31T23:59:00)');
    if (!('schedule' in parsed)) throw new Error(parsed.error);
    expect(parsed.schedule.kind).toBe('at');
    expect(runGaps(parsed.schedule)).toBeUndefined();
  });

  test('a cron pinned to one year is read in that year', () => {
    const parsed = parseSchedule('cron(0 0 29 2 ? 2028)');
    if (!('schedule' in parsed)) throw new Error(parsed.error);
    expect(runGaps(parsed.schedule)).toBeUndefined();
  });

  test.each([
    [1, '1 minute'],
    [90, '1.5 hours'],
    [DAY, '1 day'],
    [3 * DAY, '3 days'],
  ])('%d minutes read as %s', (minutes, text) => {
    expect(describeMinutes(minutes)).toBe(text);
  });
});

describe('time zones', () => {
  test.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+1', 'EST'])('%s is accepted', (zone) => {
    expect(checkTimeZone(zone)).toBeUndefined();
  });

  test.each([
    ['europe/berlin', 'time zone "europe/berlin" must be written "Europe/Berlin" (IANA names are case-sensitive)'],
    ['Europe/Berln', 'unknown time zone "Europe/Berln", did you mean "Europe/Berlin"?'],
    ['+01:00', 'unknown time zone "+01:00"'],
    ['Mars/Olympus', 'unknown time zone "Mars/Olympus"'],
  ])('%s is refused', (zone, message) => {
    expect(checkTimeZone(zone)).toContain(message);
  });
});
