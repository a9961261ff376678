/**
 * Fits a plain-text table to the terminal: when the columns are wider than the screen, the widest ones are
 * narrowed first and their cells end in `…`, so every row stays on one line. Pipes (no width) get the table whole.
 */

/** Space between columns, as formatTable (bin/commands/shared.ts) prints it. */
const GAP = 2;
/** No column is narrowed below this (or its header). */
const MIN_WIDTH = 8;

function cut(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`;
}

/** Rows whose cells fit columns narrowed to `width` characters in all; unchanged when they fit or width is unknown. */
export function fitRows(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width: number | undefined,
): string[][] {
  const copy = rows.map((r) => [...r]);
  if (!width || width <= 0) return copy;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const floor = headers.map((h) => Math.max(h.length, MIN_WIDTH));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break; // every column at its floor: let the terminal wrap
    // Down to the next widest column at most, so the width is taken from the widest columns evenly.
    const next = Math.max(floor[widest], ...widths.filter((_, i) => i !== widest && widths[i] < widths[widest]));
    widths[widest] -= Math.max(1, Math.min(total() - width, widths[widest] - next));
  }
  return copy.map((r) => r.map((cell, i) => cut(cell, widths[i] ?? cell.length)));
}
