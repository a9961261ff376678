/**
 * What an Athena query costs: USD 5 per TB scanned, bytes rounded up to the next MB, at least 10 MB per
 * query (REFERENCE.md). Binary units are assumed; the figure is an estimate, the bill is the authority.
 */

const MB = 1024 ** 2;
const TB = 1024 ** 4;

/** Price of one TB scanned, USD. */
export const ATHENA_USD_PER_TB = 5;
/** Athena bills every query for at least this many bytes. */
export const ATHENA_MINIMUM_BILLED_BYTES = 10 * MB;

/** Bytes Athena bills for a query that scanned `scannedBytes`. */
export function athenaBilledBytes(scannedBytes: number): number {
  return Math.max(ATHENA_MINIMUM_BILLED_BYTES, Math.ceil(scannedBytes / MB) * MB);
}

/** Estimated price of a query that scanned `scannedBytes`, USD. */
export function athenaCostUsd(scannedBytes: number): number {
  return (athenaBilledBytes(scannedBytes) / TB) * ATHENA_USD_PER_TB;
}
