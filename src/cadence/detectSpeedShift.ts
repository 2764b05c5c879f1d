/**
 * Noticing that a model changed speed: pure functions over a key's recent observations, like
 * {@link planNextPoll}. A decaying histogram follows a change only as fast as its half-life lets it
 * (20 generations by default), while every watch keeps what it read at its start; a model 30 % faster
 * from one day to the next would be polled on its old durations for dozens of tasks.
 *
 * @module
 */
import { quantileOf, type DurationHistogram } from './durationHistogram.js';

/** A generation learned: it finished between `from` and `to` ms after its task started. */
export interface Observed {
  readonly from: number;
  readonly to: number;
}

/**
 * An observation is surprising when it lies wholly outside the learned durations: seen finished
 * before the learned 1 % quantile (`to` below it: early) or still running past the 99 % one (`from`
 * above it: late). Two in a hundred of a steady model are; a model that changed speed makes most of
 * its generations so.
 */
export const SURPRISE_QUANTILES: readonly [number, number] = [0.01, 0.99];

/** Observations considered: the latest this many of a key's later tasks. */
export const SHIFT_WINDOW = 8;

/** A change of speed is declared when this many of the window are surprising in one direction (a steady model: about 1 in 100 000 windows). */
export const SHIFT_SURPRISES = 4;

/** On a change of speed, what was learned before weighs this much beside the surprising observations. */
export const SHIFT_KEEP = 1 / 16;

/** Learned generations needed before any observation can surprise: a young histogram has no tails to stand outside of. */
export const SHIFT_MIN_OBSERVATIONS = 12;

/** -1: finished before the learned durations, 1: after them, 0: within (see {@link SURPRISE_QUANTILES}). */
export type Surprise = -1 | 0 | 1;

/**
 * How surprising `observed` is for `durations`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration } from './durationHistogram.js';
 * import { surpriseOf } from './detectSpeedShift.js';
 *
 * let durations = observeDuration(undefined, 40_000, 50_000, 1);
 * for (let n = 0; n < 20; n += 1) durations = observeDuration(durations, 40_000, 50_000, 1);
 * assert.equal(surpriseOf(durations, { from: 20_000, to: 30_000 }), -1);
 * assert.equal(surpriseOf(durations, { from: 38_000, to: 42_000 }), 0);
 * assert.equal(surpriseOf(durations, { from: 60_000, to: 61_000 }), 1);
 * ```
 */
export function surpriseOf(durations: DurationHistogram | undefined, observed: Observed): Surprise {
  const late = overdueAfter(durations);
  if (late === undefined) return 0;
  if (observed.to < quantileOf(durations as DurationHistogram, SURPRISE_QUANTILES[0])) return -1;
  return observed.from > late ? 1 : 0;
}

/**
 * The age past which a task still running is overdue for `durations`: the learned 99 % quantile, where
 * a generation finishing later would be a late surprise ({@link surpriseOf}); `undefined` while no
 * observation can surprise (a young key, or none).
 */
export function overdueAfter(durations: DurationHistogram | undefined): number | undefined {
  if (durations === undefined || durations.observations < SHIFT_MIN_OBSERVATIONS || !(durations.weight > 0)) return undefined;
  return quantileOf(durations, SURPRISE_QUANTILES[1]);
}

/** An observation in the recent window: a surprising one is held there, not yet learned. */
export type Noted = Observed & { readonly surprise: Surprise };

/**
 * The recent window after one more observation with its surprise. A surprising observation is held in
 * the window rather than learned: learned at once, it would widen the learned durations so that the
 * next one like it no longer surprises, and a change of speed would never show. The result says what to
 * learn now:
 * - `shift`: the observations surprising in one direction once {@link SHIFT_SURPRISES} of the window
 *   are (a change of speed: learn them over what was learned before, which then weighs little);
 * - `released`: held observations leaving the window (past {@link SHIFT_WINDOW}, or of the other
 *   direction at a shift) with no change of speed declared: tails, learned like any other;
 * - `learn`: whether the new observation itself is learned now (it is unless held or in `shift`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { noteSurprise, type Noted } from './detectSpeedShift.js';
 *
 * let window: ReadonlyArray<Noted> = [];
 * const seen = [];
 * for (const surprise of [-1, 0, -1, -1, -1] as const) {
 *   const noted = noteSurprise(window, { from: 30_000, to: 31_000 }, surprise);
 *   window = noted.window;
 *   seen.push(noted.shift?.length ?? noted.learn);
 * }
 * assert.deepEqual(seen, [false, true, false, false, 4]);
 * ```
 */
export function noteSurprise(
  window: ReadonlyArray<Noted>,
  observed: Observed,
  surprise: Surprise,
): { window: ReadonlyArray<Noted>; shift: Observed[] | undefined; released: Observed[]; learn: boolean } {
  const all = [...window, { from: observed.from, to: observed.to, surprise }];
  const kept = all.slice(Math.max(0, all.length - SHIFT_WINDOW));
  const released = all.slice(0, all.length - kept.length).filter((each) => each.surprise !== 0);
  if (surprise === 0) return { window: kept, shift: undefined, released: released.map(observedOf), learn: true };
  const same = kept.filter((each) => each.surprise === surprise);
  if (same.length < SHIFT_SURPRISES) return { window: kept, shift: undefined, released: released.map(observedOf), learn: false };
  for (const each of kept) if (each.surprise !== 0 && each.surprise !== surprise) released.push(each);
  return { window: [], shift: same.map(observedOf), released: released.map(observedOf), learn: false };
}

function observedOf({ from, to }: Observed): Observed {
  return { from, to };
}

/**
 * A task of a later cohort seen still running past the learned durations ({@link overdueAfter}): a late
 * surprise known before it finishes. A model that got slower shows there first: its tasks outlive the
 * learned durations one after the other, long before the first of them finishes.
 */
export interface Overdue {
  /** The task's start: its finish, learned with it, settles it. */
  readonly startedAt: number;
  /** Its age at the poll that saw it running past the learned durations. */
  readonly age: number;
  /** Finishes noted since: it counts for {@link SHIFT_WINDOW} of them (a watch that stops never reports a finish). */
  readonly finishesSince: number;
}

/**
 * The overdue tasks after a finish of a task started at `startedAt`: that task's entry leaves (its
 * finish is noted in the window, as itself), and the others count one more finish, leaving at
 * {@link SHIFT_WINDOW}: the window covers the latest finishes and the tasks overdue meanwhile.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { afterFinish } from './detectSpeedShift.js';
 *
 * const overdue = [{ startedAt: 10, age: 60_000, finishesSince: 0 }, { startedAt: 20, age: 61_000, finishesSince: 7 }];
 * assert.deepEqual(afterFinish(overdue, 10), []);
 * assert.deepEqual(afterFinish(overdue, 30), [{ startedAt: 10, age: 60_000, finishesSince: 1 }]);
 * ```
 */
export function afterFinish(overdue: ReadonlyArray<Overdue>, startedAt: number | undefined): ReadonlyArray<Overdue> {
  const left: Overdue[] = [];
  let settled = false;
  for (const { startedAt: started, age, finishesSince } of overdue) {
    if (!settled && started === startedAt) settled = true;
    else if (finishesSince + 1 < SHIFT_WINDOW) left.push({ startedAt: started, age, finishesSince: finishesSince + 1 });
  }
  return left;
}

/**
 * Whether the late surprises of the window and the overdue tasks together declare a model slower: at
 * least {@link SHIFT_SURPRISES} of them, one at least still running (four finished ones declare it
 * through {@link noteSurprise}).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { slowerShift } from './detectSpeedShift.js';
 *
 * const late = { from: 60_000, to: 62_000, surprise: 1 } as const;
 * const overdue = (startedAt: number) => ({ startedAt, age: 55_000, finishesSince: 0 });
 * assert.equal(slowerShift([late, late], [overdue(1), overdue(2)]), true);
 * assert.equal(slowerShift([late, late], [overdue(1)]), false);
 * assert.equal(slowerShift([late, late, late, late], []), false);
 * ```
 */
export function slowerShift(window: ReadonlyArray<Noted>, overdue: ReadonlyArray<Overdue>): boolean {
  return overdue.length > 0 && window.filter((each) => each.surprise === 1).length + overdue.length >= SHIFT_SURPRISES;
}
