/**
 * The safety net of a watch with push, placed by the learned durations: pure functions, like
 * {@link planNextPoll}.
 *
 * @module
 */
import { quantileOf, type DurationHistogram } from './durationHistogram.js';

/**
 * Where the safety-net polls go: the durations by which 90 % and then 99 % of the pending generations
 * have finished. A webhook brings each finish; a poll is only there for a webhook that was lost, so it
 * goes where nearly every generation is done: a lost webhook then costs the gap from the finish to the
 * next of these quantiles, not a whole `push.pollInterval`.
 */
export const SAFETY_NET_QUANTILES: ReadonlyArray<number> = [0.9, 0.99];

/** What the safety net reads of a watch's settings. */
export interface SafetyNetJitter {
  /** 0..1: a learned gap `d` becomes `d * (1 + jitter * random())`. */
  readonly jitter: number;
  readonly random: () => number;
}

/**
 * The safety net's rungs for a task with `pending` generations, in ms from its start: the learned
 * {@link SAFETY_NET_QUANTILES} of the last of them to finish (for `n` generations of the learned
 * durations, the quantile `q ** (1 / n)` of one), a rung less than `floor` after the one before left
 * out. Empty without learned durations.
 *
 * A watch reads them once, when it starts, and keeps them: a store that learns from tasks still running
 * (a batch submitted together) has seen only the shorter ones so far, and quantiles read again at each
 * poll would move ahead with the clock and be chased, poll after poll.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration } from './durationHistogram.js';
 * import { safetyNetRungs } from './planSafetyNet.js';
 *
 * // Videos of this model finished between 30 and 90 s: 90 % by 84 s, 99 % by 89.8 s (as the 3.5 % bins hold them).
 * const durations = observeDuration(undefined, 30_000, 90_000, 1);
 * assert.deepEqual(safetyNetRungs(durations, 1, 1000).map(Math.round), [84_000, 89_791]);
 * assert.deepEqual(safetyNetRungs(durations, 1, 10_000).map(Math.round), [84_000]); // the 99 % is within the floor
 * assert.deepEqual(safetyNetRungs(undefined, 1, 1000), []);
 * ```
 */
export function safetyNetRungs(durations: DurationHistogram | undefined, pending: number, floor: number): number[] {
  const rungs: number[] = [];
  if (durations === undefined || !(durations.weight > 0) || !(pending > 0)) return rungs;
  for (const quantile of SAFETY_NET_QUANTILES) {
    const at = quantileOf(durations, quantile ** (1 / pending));
    const previous = rungs[rungs.length - 1];
    if (previous === undefined || at - previous >= floor) rungs.push(at);
  }
  return rungs;
}

/**
 * The gap to the next safety-net poll `elapsed` ms after the task started: to the first of `rungs` still
 * ahead, or `undefined` once every rung is behind (the watch then falls back to `push.pollInterval`).
 * Jitter only delays the poll (an early one would land before its rung and aim at it again); then no gap
 * is longer than `cap` (`push.pollInterval`: a lost webhook never costs more lag than without the learned
 * durations), and none shorter than `floor` (`push.pollFloor`, which wins if they cross). The result is
 * in whole ms (a timer's resolution), rounded up so that the poll lands on or after its rung.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { nextSafetyNetGap } from './planSafetyNet.js';
 *
 * const jitter = { jitter: 0, random: () => 0 };
 * const rungs = [84_000, 89_791.4];
 * assert.equal(nextSafetyNetGap(rungs, 0, 1000, 120_000, jitter), 84_000); // the 90 % rung
 * assert.equal(nextSafetyNetGap(rungs, 84_000, 1000, 120_000, jitter), 5792); // the 99 % rung
 * assert.equal(nextSafetyNetGap(rungs, 89_792, 1000, 120_000, jitter), undefined); // past both: push.pollInterval
 * assert.equal(nextSafetyNetGap(rungs, 89_000, 1000, 120_000, jitter), 1000); // never sooner than the floor
 * assert.equal(nextSafetyNetGap(rungs, 0, 1000, 30_000, jitter), 30_000); // never sparser than the cap
 * ```
 */
export function nextSafetyNetGap(rungs: ReadonlyArray<number>, elapsed: number, floor: number, cap: number, settings: SafetyNetJitter): number | undefined {
  for (const at of rungs) {
    // A rung less than a millisecond ahead was reached: its poll has just been made.
    if (!(at - elapsed >= 1)) continue;
    const gap = (at - elapsed) * (1 + settings.jitter * settings.random());
    return Math.ceil(Math.max(floor, Math.min(cap, gap)));
  }
  return undefined;
}
