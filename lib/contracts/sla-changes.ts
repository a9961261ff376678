/**
 * SLA changes. A tightened SLA is informational (consumers only gain); a loosened one is a compatible change
 * that deserves a minor bump so consumers notice it.
 */
import { durationSeconds, parseDuration } from '../definition/duration';
import type { Sla } from '../definition/schema';
import { type ContractChange, change } from './change';

const FREQUENCY_RANK: Record<Sla['updateFrequency'], number> = {
  realtime: 0,
  hourly: 1,
  daily: 2,
  weekly: 3,
  monthly: 4,
  'on-demand': 5,
};

function seconds(text: string | undefined): number | undefined {
  const duration = text === undefined ? undefined : parseDuration(text);
  return duration ? durationSeconds(duration) : undefined;
}

function slaChange(path: string, before: unknown, after: unknown, tightened: boolean, what: string): ContractChange {
  return change(
    'sla-changed',
    path,
    before,
    after,
    tightened ? 'informational' : 'compatible',
    `${what} ${tightened ? 'tightened' : 'loosened'}: ${show(before)} → ${show(after)}`,
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function slaChanges(before: Sla | undefined, after: Sla | undefined): ContractChange[] {
  if (!before && !after) return [];
  if (!before || !after) return [slaChange('sla', before, after, after !== undefined, 'SLA')];
  const changes: ContractChange[] = [];
  if (before.updateFrequency !== after.updateFrequency) {
    const tightened = FREQUENCY_RANK[after.updateFrequency] < FREQUENCY_RANK[before.updateFrequency];
    changes.push(
      slaChange('sla.updateFrequency', before.updateFrequency, after.updateFrequency, tightened, 'update frequency'),
    );
  }
  const oldFresh = before.freshness;
  const newFresh = after.freshness;
  if (oldFresh?.within !== newFresh?.within || oldFresh?.column !== newFresh?.column) {
    const oldSeconds = seconds(oldFresh?.within);
    const newSeconds = seconds(newFresh?.within);
    if (oldSeconds !== undefined && oldSeconds === newSeconds) {
      changes.push(
        change(
          'sla-changed',
          'sla.freshness.column',
          oldFresh?.column,
          newFresh?.column,
          'informational',
          `freshness now measured on ${newFresh?.column} instead of ${oldFresh?.column}`,
        ),
      );
    } else {
      const tightened = newSeconds !== undefined && (oldSeconds === undefined || newSeconds < oldSeconds);
      changes.push(slaChange('sla.freshness', oldFresh, newFresh, tightened, 'freshness'));
    }
  }
  if (before.retention !== after.retention) {
    const tightened = (seconds(after.retention) ?? 0) >= (seconds(before.retention) ?? 0);
    changes.push(slaChange('sla.retention', before.retention, after.retention, tightened, 'retention'));
  }
  if (before.supportHours !== after.supportHours) {
    changes.push(
      change(
        'sla-changed',
        'sla.supportHours',
        before.supportHours,
        after.supportHours,
        'informational',
        `support hours changed: ${show(before.supportHours)} → ${show(after.supportHours)}`,
      ),
    );
  }
  return changes;
}
