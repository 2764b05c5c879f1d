/**
 * The poll schedule as a pure function: no RxJS, no clock, randomness passed in.
 *
 * @module
 */

/** The longest delay a timer can honour: browsers and Node fire longer ones at once. */
export const MAX_DELAY = 2_147_483_647;

/** The shape of the gaps between polls, in milliseconds. */
export interface BackoffSchedule {
  /** Gap between the first and the second poll. */
  readonly interval: number;
  /** Each later gap is the previous one times this. */
  readonly multiplier: number;
  /** No gap grows beyond this (before jitter). */
  readonly maxInterval: number;
  /** 0..1: a gap `d` becomes `d * (1 - jitter + 2 * jitter * random())`. */
  readonly jitter: number;
}

/**
 * The gap after poll number `attempt` (1-based) and before the next one:
 * `min(interval * multiplier^(attempt - 1), maxInterval)`, then jittered with `random()` in [0, 1).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { backoffDelay } from './backoff.js';
 *
 * const schedule = { interval: 1000, multiplier: 2, maxInterval: 3000, jitter: 0 };
 * assert.deepEqual([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, schedule, () => 0.5)), [1000, 2000, 3000, 3000]);
 * // jitter 0.1 spreads a gap over ±10%: random() = 0 gives the shortest
 * assert.equal(backoffDelay(1, { ...schedule, jitter: 0.1 }, () => 0), 900);
 * ```
 */
export function backoffDelay(attempt: number, schedule: BackoffSchedule, random: () => number): number {
  const grown = schedule.interval * schedule.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(grown, schedule.maxInterval);
  if (schedule.jitter === 0) return capped;
  return capped * (1 - schedule.jitter + 2 * schedule.jitter * random());
}
