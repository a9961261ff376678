/** IANA time zone names, as EventBridge Scheduler's ScheduleExpressionTimezone takes them. */
import { closest } from '../mesh/problems';

/** How IANA writes a zone: segments starting with a capital or a digit (`America/New_York`, `UTC`, `Etc/GMT+1`). */
const IANA_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;

/** What is wrong with a time zone name, or undefined when Scheduler accepts it. */
export function checkTimeZone(zone: string): string | undefined {
  const known = Intl.supportedValuesOf('timeZone');
  if (known.includes(zone)) return undefined;
  let canonical: string | undefined;
  try {
    // Intl also takes offsets (+01:00) and any letter case; Scheduler takes IANA names as written.
    canonical = /^[A-Za-z]/.test(zone)
      ? new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone
      : undefined;
  } catch {
    canonical = undefined;
  }
  if (canonical !== undefined && IANA_SPELLING.test(zone)) return undefined;
  if (canonical !== undefined) {
    const spelled = known.find((k) => k.toLowerCase() === zone.toLowerCase()) ?? canonical;
    return `time zone "${zone}" must be written "${spelled}" (IANA names are case-sensitive)`;
  }
  const suggestion = closest(zone, known);
  return `unknown time zone "${zone}"${suggestion ? `, did you mean "${suggestion}"?` : ''} (an IANA name such as UTC, Europe/Berlin or America/New_York)`;
}
