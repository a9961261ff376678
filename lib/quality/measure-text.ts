/** How measured values and limits read in reports: `3 rows`, `0.52 %`, `5.2 hours`. */

/** What a check's measured value counts. */
export type MeasureUnit = 'rows' | 'percent' | 'seconds' | 'number';

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A number with thousands separators and at most two decimals. */
export function formatNumber(value: number): string {
  return GROUPED.format(value);
}

/** `1 row`, `3 rows`, `0.52 %`, `5.2 hours`, `42`. */
export function formatMeasured(value: number | null, unit: MeasureUnit): string {
  if (value === null) return 'no value';
  switch (unit) {
    case 'rows':
      return `${formatNumber(value)} ${value === 1 ? 'row' : 'rows'}`;
    case 'percent':
      return `${formatPercent(value)} %`;
    case 'seconds':
      return formatAge(value);
    case 'number':
      return formatNumber(value);
  }
}

/** Percent with enough digits to tell a few bad rows in millions from none. */
function formatPercent(value: number): string {
  if (value === 0 || Math.abs(value) >= 0.01) return formatNumber(value);
  return value.toPrecision(2);
}

/** An age, in the largest unit that keeps it readable: `45 seconds`, `12.5 minutes`, `5.2 hours`, `3.1 days`. */
export function formatAge(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 120) return plural(Math.round(seconds), 'second');
  if (abs < 2 * 3600) return `${(seconds / 60).toFixed(1)} minutes`;
  if (abs < 48 * 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** A limit in seconds, in the unit it was most likely written in: `26 hours`, `7 days`. */
export function formatDurationSeconds(seconds: number): string {
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const) {
    if (seconds % size === 0) return plural(seconds / size, unit);
  }
  return plural(seconds, 'second');
}

function plural(count: number, unit: string): string {
  return `${formatNumber(count)} ${unit}${count === 1 ? '' : 's'}`;
}

/** Bytes in binary units, as Athena's console shows them: `12.3 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
