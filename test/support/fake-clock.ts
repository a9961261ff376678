/** A clock for code that polls: it moves only when the code sleeps, and records every wait. */
import type { Clock } from '../../lib/quality/athena-query';

export function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
