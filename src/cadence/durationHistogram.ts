/**
 * How long a cadence key's generations take, as a decaying histogram on log-spaced bins: constant memory
 * (two arrays of {@link HISTOGRAM_EDGES} numbers, about 4.5 KB), relative resolution everywhere (a bin is
 * 3.5 % of its start: 1.6 s wide at 45 s, 6.3 s at 180 s), and recent generations weigh more.
 *
 * A histogram is immutable: {@link observeDuration} returns a new one, so a schedule computed from it is a
 * pure function of its inputs. Mass is spread uniformly in linear time inside each bin, so the histogram's
 * CDF is piecewise linear between edges and its integral piecewise quadratic, which the schedule solves in
 * closed form.
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// layout
// -------------------------------------------------------------------------------------

/** Start of the first log-spaced bin; everything before it is bin 0, `[0, 250 ms)`. */
export const FIRST_EDGE_MS = 250;
/** Bins per doubling of the duration: 2^(1/20) = 3.5 % per bin. */
export const BINS_PER_DOUBLING = 20;
/** Doublings covered: 250 ms to 4 096 s (68 min), past the 20-minute default deadline. */
export const DOUBLINGS = 14;
/** Number of bins; a duration past the last edge counts in the last bin. */
export const HISTOGRAM_BINS = DOUBLINGS * BINS_PER_DOUBLING + 1;
/** Number of edges (bins + 1). */
export const HISTOGRAM_EDGES = HISTOGRAM_BINS + 1;

/** Edge k in ms: 0, then 250 ms x 2^((k - 1) / 20). */
export const EDGES: Float64Array = /* @__PURE__ */ Float64Array.from({ length: HISTOGRAM_EDGES }, (_, k) => (k === 0 ? 0 : FIRST_EDGE_MS * 2 ** ((k - 1) / BINS_PER_DOUBLING)));
/** The last edge: 4 096 000 ms. */
export const LAST_EDGE_MS = EDGES[HISTOGRAM_BINS] as number;

/** The bin holding `ms`: `EDGES[k] <= ms < EDGES[k + 1]`, clamped to the first and last bins. */
export function binOf(ms: number): number {
  if (!(ms >= FIRST_EDGE_MS)) return 0;
  if (ms >= LAST_EDGE_MS) return HISTOGRAM_BINS - 1;
  let k = Math.floor(BINS_PER_DOUBLING * Math.log2(ms / FIRST_EDGE_MS)) + 1;
  // log2 may round across an edge: settle on the bin whose edges hold `ms`.
  if ((EDGES[k] as number) > ms) k -= 1;
  else if ((EDGES[k + 1] as number) <= ms) k += 1;
  return Math.min(k, HISTOGRAM_BINS - 1);
}

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A cadence key's learned durations. `cdf[k]` is the (decayed) mass of generations that finished before
 * `EDGES[k]`, `cdfIntegral[k]` its integral from 0 to `EDGES[k]` (in ms x mass), `weight` the total mass
 * (`cdf[last]`), `observations` how many generations were observed (not decayed).
 */
export interface DurationHistogram {
  readonly observations: number;
  /** Changes of speed detected for the key so far (see `detectSpeedShift`): a watch holding an older count reads the store again. */
  readonly shifts: number;
  readonly weight: number;
  readonly cdf: Float64Array;
  readonly cdfIntegral: Float64Array;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The histogram after one more generation that finished between `from` and `to` ms after its task
 * started (the poll before and the poll that saw it finished), with every earlier generation's weight
 * multiplied by `decay` (in (0, 1]). The new generation's unit of mass is spread uniformly over the
 * interval, so a wide interval (a sparse schedule) teaches less than a narrow one.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration } from './durationHistogram.js';
 *
 * const once = observeDuration(undefined, 40_000, 42_000, 0.9);
 * const twice = observeDuration(once, 44_000, 46_000, 0.9);
 * assert.equal(twice.observations, 2);
 * assert.ok(Math.abs(twice.weight - 1.9) < 1e-12); // the older generation weighs 0.9
 * ```
 */
export function observeDuration(previous: DurationHistogram | undefined, from: number, to: number, decay: number, shifts = previous?.shifts ?? 0): DurationHistogram {
  let a = Math.max(0, Math.min(from, to));
  let b = Math.max(0, from, to);
  if (a >= LAST_EDGE_MS) {
    // Longer than the histogram reaches: it counts in the last bin.
    a = EDGES[HISTOGRAM_BINS - 1] as number;
    b = LAST_EDGE_MS;
  }
  b = Math.min(b, LAST_EDGE_MS);
  const cdf = new Float64Array(HISTOGRAM_EDGES);
  const keep = previous === undefined ? 0 : decay;
  const before = previous?.cdf;
  for (let k = 0; k < HISTOGRAM_EDGES; k += 1) {
    const edge = EDGES[k] as number;
    // The new generation's CDF at this edge: 0 before the interval, 1 after it, linear across it.
    const added = edge >= b ? 1 : edge <= a ? 0 : (edge - a) / (b - a);
    cdf[k] = (before === undefined ? 0 : keep * (before[k] as number)) + added;
  }
  return fromCdf(cdf, (previous?.observations ?? 0) + 1, shifts);
}

/** A histogram from its CDF at the edges (non-decreasing, from 0); the integral is derived bin by bin. */
export function fromCdf(cdf: Float64Array, observations: number, shifts = 0): DurationHistogram {
  return { observations, shifts, weight: cdf[HISTOGRAM_BINS] as number, cdf, cdfIntegral: integrate(cdf) };
}

/** The integral of a CDF that is linear inside each bin, at every edge (trapezoids). */
export function integrate(cdf: Float64Array): Float64Array {
  const integral = new Float64Array(HISTOGRAM_EDGES);
  for (let k = 1; k < HISTOGRAM_EDGES; k += 1) {
    integral[k] = (integral[k - 1] as number) + (((EDGES[k] as number) - (EDGES[k - 1] as number)) * ((cdf[k - 1] as number) + (cdf[k] as number))) / 2;
  }
  return integral;
}

/**
 * The duration by which a share `q` (0..1) of the histogram's mass has finished: the CDF inverted,
 * linear inside a bin like the CDF itself (0 for an empty histogram).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration, quantileOf } from './durationHistogram.js';
 *
 * // One generation that finished somewhere between 40 and 50 s: its median is 45 s.
 * assert.equal(Math.round(quantileOf(observeDuration(undefined, 40_000, 50_000, 1), 0.5)), 45_000);
 * ```
 */
export function quantileOf(histogram: DurationHistogram, q: number): number {
  const { cdf } = histogram;
  const target = q * histogram.weight;
  // The first edge the CDF reaches the target at; the quantile lies in the bin before it.
  let low = 1;
  let high = HISTOGRAM_BINS;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cdf[middle] as number) >= target) high = middle;
    else low = middle + 1;
  }
  const before = cdf[high - 1] as number;
  const mass = (cdf[high] as number) - before;
  const start = EDGES[high - 1] as number;
  return mass > 0 ? start + (((EDGES[high] as number) - start) * (target - before)) / mass : start;
}

/**
 * A CDF known at the edges (`atEdge(k)`: its value at `EDGES[k]`) read at any `ms`: linear inside a bin,
 * as mass is spread in a bin; past the last edge, its value there. Used for one histogram and for mixes.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { cdfBetweenEdges, EDGES, LAST_EDGE_MS, observeDuration } from './durationHistogram.js';
 *
 * const durations = observeDuration(undefined, 40_000, 50_000, 1);
 * const at = (k: number) => durations.cdf[k] as number;
 * assert.equal(cdfBetweenEdges(at, EDGES[3] as number), at(3));
 * assert.equal(cdfBetweenEdges(at, LAST_EDGE_MS + 1), durations.weight);
 * assert.ok(Math.abs(cdfBetweenEdges(at, 45_000) - 0.5) < 1e-9);
 * ```
 */
export function cdfBetweenEdges(atEdge: (k: number) => number, ms: number): number {
  if (ms >= LAST_EDGE_MS) return atEdge(HISTOGRAM_BINS);
  const k = binOf(ms);
  const start = EDGES[k] as number;
  return atEdge(k) + ((atEdge(k + 1) - atEdge(k)) * (ms - start)) / ((EDGES[k + 1] as number) - start);
}

/** Mass per bin (what a snapshot stores): the CDF's steps. */
export function massOf(histogram: DurationHistogram): number[] {
  const mass = new Array<number>(HISTOGRAM_BINS);
  for (let k = 0; k < HISTOGRAM_BINS; k += 1) mass[k] = Math.max(0, (histogram.cdf[k + 1] as number) - (histogram.cdf[k] as number));
  return mass;
}

/** The histogram holding `mass` per bin (the inverse of {@link massOf}). */
export function fromMass(mass: ReadonlyArray<number>, observations: number, shifts = 0): DurationHistogram {
  const cdf = new Float64Array(HISTOGRAM_EDGES);
  for (let k = 0; k < HISTOGRAM_BINS; k += 1) cdf[k + 1] = (cdf[k] as number) + (mass[k] as number);
  return fromCdf(cdf, observations, shifts);
}

// -------------------------------------------------------------------------------------
// prior
// -------------------------------------------------------------------------------------

/**
 * The prior: durations log-uniform from 250 ms to 68 min (equal mass per log-spaced bin, none in bin 0),
 * as a unit-mass histogram. Scale-free like a backoff: it expects a finish as much between 1 and 2 s as
 * between 1 and 2 min. The schedule mixes a small share of it into every learned histogram.
 */
export const PRIOR: DurationHistogram = /* @__PURE__ */ fromCdf(
  Float64Array.from({ length: HISTOGRAM_EDGES }, (_, k) => (k === 0 ? 0 : (k - 1) / (HISTOGRAM_BINS - 1))),
  0,
);
