/**
 * Value-constraint rules (accepted values, range, pattern, length): tightening shrinks the set of values a
 * consumer may see, which the design reference counts as breaking; loosening is compatible.
 */
import { type ContractChange, change } from './change';
import type { ColumnConstraints } from './contract-schema';
import { canonicalJson } from './hash';

/** Changes of one column's constraints; `at` is the column's path. */
export function constraintChanges(
  at: string,
  column: string,
  old: ColumnConstraints,
  now: ColumnConstraints,
): ContractChange[] {
  const changes: ContractChange[] = [];
  const verdict = (tightened: boolean, loosened: boolean) =>
    tightened ? ('breaking' as const) : loosened ? ('compatible' as const) : ('informational' as const);

  if (canonicalJson(old.acceptedValues) !== canonicalJson(now.acceptedValues)) {
    const removed =
      old.acceptedValues && now.acceptedValues
        ? old.acceptedValues.filter((v) => !now.acceptedValues?.includes(v))
        : [];
    const added = now.acceptedValues ? now.acceptedValues.filter((v) => !old.acceptedValues?.includes(v)) : [];
    const tightened = (old.acceptedValues === undefined && now.acceptedValues !== undefined) || removed.length > 0;
    const parts = [
      old.acceptedValues === undefined ? 'an accepted-values list was introduced' : '',
      now.acceptedValues === undefined ? 'the accepted-values list was dropped' : '',
      removed.length ? `removed ${removed.join(', ')}` : '',
      added.length && old.acceptedValues ? `added ${added.join(', ')}` : '',
    ].filter(Boolean);
    changes.push(
      change(
        'accepted-values-changed',
        `${at}.acceptedValues`,
        old.acceptedValues,
        now.acceptedValues,
        verdict(tightened, true),
        `${column} accepted values: ${parts.join('; ')}`,
      ),
    );
  }
  if (canonicalJson(old.range) !== canonicalJson(now.range)) {
    const { tightened, loosened } = compareBounds(old.range, now.range);
    changes.push(
      change(
        'range-changed',
        `${at}.range`,
        old.range,
        now.range,
        verdict(tightened, loosened),
        `${column} range ${describeBounds(old.range)} → ${describeBounds(now.range)}${tightened ? ' (tightened)' : loosened ? ' (loosened)' : ''}`,
      ),
    );
  }
  if (canonicalJson(old.patterns) !== canonicalJson(now.patterns)) {
    const oldSet = old.patterns ?? [];
    const nowSet = now.patterns ?? [];
    // A changed regular expression cannot be proven looser, so any new pattern counts as tightening.
    const tightened = nowSet.some((p) => !oldSet.includes(p));
    const loosened = oldSet.some((p) => !nowSet.includes(p));
    changes.push(
      change(
        'pattern-changed',
        `${at}.pattern`,
        old.patterns,
        now.patterns,
        verdict(tightened, loosened),
        `${column} pattern ${oldSet.join(' & ') || 'none'} → ${nowSet.join(' & ') || 'none'}${tightened ? ' (new or changed pattern)' : ' (pattern dropped)'}`,
      ),
    );
  }
  if (canonicalJson(old.length) !== canonicalJson(now.length)) {
    const asRange = (l: ColumnConstraints['length']) => (l ? { min: l.min, max: l.max, exclusive: false } : undefined);
    const { tightened, loosened } = compareBounds(asRange(old.length), asRange(now.length));
    changes.push(
      change(
        'length-changed',
        `${at}.length`,
        old.length,
        now.length,
        verdict(tightened, loosened),
        `${column} length ${describeBounds(asRange(old.length))} → ${describeBounds(asRange(now.length))}${tightened ? ' (tightened)' : loosened ? ' (loosened)' : ''}`,
      ),
    );
  }
  return changes;
}

type Bounds = ColumnConstraints['range'];

/** Whether the allowed interval lost values (tightened) and/or gained values (loosened) on either side. */
export function compareBounds(old: Bounds, now: Bounds): { tightened: boolean; loosened: boolean } {
  const lower = compareSide(old?.min, old?.exclusive ?? false, now?.min, now?.exclusive ?? false, 1);
  const upper = compareSide(old?.max, old?.exclusive ?? false, now?.max, now?.exclusive ?? false, -1);
  return { tightened: lower > 0 || upper > 0, loosened: lower < 0 || upper < 0 };
}

/** +1 when the new bound admits fewer values, -1 when more, 0 when equal. `direction` is 1 for a lower bound. */
function compareSide(
  oldBound: number | undefined,
  oldExclusive: boolean,
  newBound: number | undefined,
  newExclusive: boolean,
  direction: 1 | -1,
): number {
  if (oldBound === undefined && newBound === undefined) return 0;
  if (oldBound === undefined) return 1;
  if (newBound === undefined) return -1;
  if (oldBound !== newBound) return (newBound - oldBound) * direction > 0 ? 1 : -1;
  if (oldExclusive === newExclusive) return 0;
  return newExclusive ? 1 : -1;
}

function describeBounds(bounds: Bounds): string {
  if (!bounds) return 'none';
  const [open, close] = bounds.exclusive ? ['(', ')'] : ['[', ']'];
  return `${open}${bounds.min ?? '-∞'}, ${bounds.max ?? '∞'}${close}`;
}
