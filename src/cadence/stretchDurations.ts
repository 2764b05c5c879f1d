/**
 * What a store holds once a model is seen slower: the learned shape stretched over every slowdown the
 * overdue tasks allow. A pure function like {@link planNextPoll}.
 *
 * The overdue tasks (see `detectSpeedShift`) say only that the new durations are longer: each outlived
 * the learned durations, none says by how much. Durations of a model usually scale when it slows (30 %
 * slower: each about x1.3), so the learned shape is kept and stretched; the stretch is not known, so
 * every one from 1x to {@link MAX_STRETCH}x is kept, each weighed by the chance it gives every overdue
 * task of running past the age it was seen at. What the watches then plan from is spread over the
 * slowdowns still possible: they look as the lag bound and the spread make them, not densely where the
 * model used to finish, until the finishes of the slower tasks are learned over it.
 *
 * @module
 */
import { BINS_PER_DOUBLING, cdfBetweenEdges, fromMass, HISTOGRAM_BINS, LAST_EDGE_MS, massOf, type DurationHistogram } from './durationHistogram.js';

/** The largest slowdown considered (x4): past it, a model is better learned anew than stretched. */
export const MAX_STRETCH = 4;

/** What the stretched shape weighs beside what was learned before: the finishes of the slower tasks soon outweigh it. */
export const STRETCH_KEEP = 1 / 4;

/** Stretches considered: one bin apart (3.5 %), from none to {@link MAX_STRETCH}x. */
const STRETCH_BINS = Math.round(BINS_PER_DOUBLING * Math.log2(MAX_STRETCH));

/**
 * `durations` (its mass times `keep`) stretched by every factor from 1 to {@link MAX_STRETCH} in steps
 * of one bin, each weighed by the chance it gives every task of `overdueAges` (ms, each seen running at
 * that age) of being still running then; `shifts` is the result's count of speed changes. A duration
 * stretched past the histogram's last bin counts in it.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration, quantileOf } from './durationHistogram.js';
 * import { stretchedDurations } from './stretchDurations.js';
 *
 * let durations = observeDuration(undefined, 44_000, 46_000, 1);
 * for (let n = 0; n < 11; n += 1) durations = observeDuration(durations, 44_000, 46_000, 1);
 * // Four tasks seen running at 50 s: every stretch that moves 44-46 s past 50 s is still possible.
 * const stretched = stretchedDurations(durations, [50_000, 50_000, 50_000, 50_000], 1 / 4, 1);
 * assert.ok(Math.abs(stretched.weight - durations.weight / 4) < 1e-9);
 * assert.equal(stretched.shifts, 1);
 * assert.ok(quantileOf(stretched, 0.01) > 49_000 && quantileOf(stretched, 0.99) > 170_000);
 * ```
 */
export function stretchedDurations(durations: DurationHistogram, overdueAges: ReadonlyArray<number>, keep: number, shifts: number): DurationHistogram {
  const likelihood: number[] = [];
  let total = 0;
  for (let stretch = 0; stretch <= STRETCH_BINS; stretch += 1) {
    let chance = 1;
    for (const age of overdueAges) chance *= 1 - shareBefore(durations, age / 2 ** (stretch / BINS_PER_DOUBLING));
    likelihood.push(chance);
    total += chance;
  }
  const mass = massOf(durations);
  const stretched = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const [stretch, chance] of likelihood.entries()) {
    // Without a stretch that explains them (not expected: the bins past the learned durations hold the
    // prior's share), the shape is spread over every stretch alike.
    const weight = total > 0 ? (keep * chance) / total : keep / likelihood.length;
    // A log-spaced bin stretched by a whole number of bins lands on a bin; bin 0 ([0, 250 ms)) stays.
    for (let k = 0; k < HISTOGRAM_BINS; k += 1) {
      const to = k && Math.min(HISTOGRAM_BINS - 1, k + stretch);
      stretched[to] = (stretched[to] as number) + weight * (mass[k] as number);
    }
  }
  return fromMass(stretched, durations.observations, shifts);
}

/** The share of `durations` finished by `ms`: its CDF, linear inside a bin, over its weight. */
function shareBefore(durations: DurationHistogram, ms: number): number {
  if (!(ms > 0)) return 0;
  if (ms >= LAST_EDGE_MS) return 1;
  return cdfBetweenEdges((k) => durations.cdf[k] as number, ms) / durations.weight;
}
