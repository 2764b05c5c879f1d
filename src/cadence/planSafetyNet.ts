/**
 * The safety net of a watch with push, placed by the learned durations: a pure function, like
 * {@link planNextPoll}.
 *
 * @module
 */
import { quantileOf, type DurationHistogram } from './durationHistogram.js';

/**
 * Where the safety-net polls go: the durations by which 90 % and then 99 % of the pending generations
 * have finished. A webhook brings each finish; a poll is only there for a webhook that was lost, so it
 * goes where nearly every generation is done: a lost webhook then costs the gap from the finish to the
 * next of these quantiles, not a whole `pushPollInterval`.
 */
export const SAFETY_NET_QUANTILES: ReadonlyArray<number> = Object.freeze([0.9, 0.99]);

/** What the safety net reads of a watch's settings. */
export interface SafetyNetSettings {
  /** The shortest gap between two safety-net polls (`pushPollFloor`). */
  readonly floor: number;
  /**
   * The longest (`pushPollInterval`): a lost webhook never costs more lag than without the learned
   * durations, whatever they say.
   */
  readonly cap: number;
  /** 0..1: a learned gap `d` becomes `d * (1 + jitter * random())`. */
  readonly jitter: number;
  readonly random: () => number;
}

/**
 * The gap to the next safety-net poll, `elapsed` ms after the task started with `pending` generations
 * unfinished, or `undefined` without learned durations or once every late quantile is behind (the watch
 * then falls back to `pushPollInterval`).
 *
 * The quantiles are those of the last of the pending generations to finish: for `n` generations of the
 * learned durations, the quantile `q ** (1 / n)` of one. Jitter only delays the poll (an early one would
 * land before its quantile and be planned again); then no gap is longer than `cap`, and none shorter
 * than `floor` (which wins if they cross). The result is in whole ms (a timer's resolution), rounded up
 * so that the poll lands on or after its quantile and the next plan moves on to the next one.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration } from './durationHistogram.js';
 * import { planSafetyNet } from './planSafetyNet.js';
 *
 * // Videos of this model finished between 40 and 50 s (as the histogram's 3.5 % bins hold them: 39.9 to 50.2 s).
 * const durations = observeDuration(undefined, 40_000, 50_000, 1);
 * const settings = { floor: 1000, cap: 120_000, jitter: 0, random: () => 0 };
 * const first = planSafetyNet(durations, 0, 1, settings) ?? 0; // the 90 % quantile
 * assert.ok(first > 48_000 && first < 50_000, String(first));
 * const second = planSafetyNet(durations, first, 1, settings) ?? 0; // the 99 % quantile, about a second on
 * assert.ok(second >= 1000 && second < 2000, String(second));
 * assert.equal(planSafetyNet(durations, first + second, 1, settings), undefined); // past both: pushPollInterval
 * assert.equal(planSafetyNet(durations, first, 1, { ...settings, floor: 5000 }), 5000); // never sooner than the floor
 * assert.equal(planSafetyNet(undefined, 0, 1, settings), undefined); // nothing learned
 * assert.equal(planSafetyNet(durations, 0, 1, { ...settings, cap: 30_000 }), 30_000); // never sparser than the cap
 * ```
 */
export function planSafetyNet(durations: DurationHistogram | undefined, elapsed: number, pending: number, settings: SafetyNetSettings): number | undefined {
  if (durations === undefined || !(durations.weight > 0) || !(pending > 0)) return undefined;
  for (const quantile of SAFETY_NET_QUANTILES) {
    const at = quantileOf(durations, quantile ** (1 / pending));
    // A quantile less than a millisecond ahead was reached: its poll has just been made.
    if (!(at - elapsed >= 1)) continue;
    const gap = (at - elapsed) * (1 + settings.jitter * settings.random());
    return Math.ceil(Math.max(settings.floor, Math.min(settings.cap, gap)));
  }
  return undefined;
}
