/**
 * The learned poll schedule as a pure function: no RxJS, no clock, randomness passed in.
 *
 * @module
 */
import { backoffDelay, type BackoffSchedule } from '../schedule/backoff.js';
import { binOf, cdfBetweenEdges, EDGES, HISTOGRAM_BINS, PRIOR, type DurationHistogram } from './durationHistogram.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The tuning of the learned schedule. */
export interface CadenceTuning {
  /**
   * What one poll is worth in notification lag, in ms: the next poll goes where the lag expected to have
   * built up since the last one, summed over the pending generations, reaches this. Lower polls more and
   * lags less. The default meets the bench's target (mean lag <= 1 s at <= 12 polls per video task).
   * @defaultValue 190
   */
  readonly pollPrice: number;
  /**
   * 0..1: share of the prior (durations log-uniform from 250 ms to 68 min) mixed into the learned
   * durations. It keeps a few polls where nothing was seen yet (a model that gets faster is noticed) and
   * spaces the polls out like a backoff once the learned durations are exhausted (a model that gets
   * slower causes no burst).
   * @defaultValue 0.02
   */
  readonly priorShare: number;
  /**
   * A learned gap never exceeds `maxInterval` times this (before jitter), so even a confident schedule
   * looks at the task now and then.
   * @defaultValue 6
   */
  readonly maxIntervalFactor: number;
  /**
   * A learned gap never exceeds the larger of `maxLag` and `maxLagShare` times the task's age at the
   * poll before it: a generation that finishes where the learned durations put no mass (a tail, or a
   * model that got faster) is still seen within `maxLag` ms of its finish, or within a `maxLagShare` of
   * its duration, whichever is more: never much later than the backoff would have seen it. It costs
   * polls where nothing was learned (a 3-minute video is looked at about nine times before its
   * learned finish); `Infinity` turns the bound off.
   * @defaultValue 12000
   */
  readonly maxLag: number;
  /**
   * See `maxLag`: 0..1, the share of the task's age a learned gap may reach.
   * @defaultValue 0.25
   */
  readonly maxLagShare: number;
}

/** What the schedule reads of a watch's settings, plus its own tuning. */
export interface CadenceSettings extends BackoffSchedule, CadenceTuning {
  /** Source of randomness for jitter, returning [0, 1). */
  readonly random: () => number;
  /** Deadline of the watch in ms from the task's start: no poll is planned past it. */
  readonly timeout: number;
}

/**
 * The next poll and why: `backoff` when there is no history (the delay is exactly `backoffDelay`, or
 * the learned durations and the prior are both behind the task), `learned` when the histogram placed it,
 * then `floor`, `cap` or `deadline` when a bound moved it.
 */
export interface NextPollPlan {
  /** Milliseconds from the poll just made to the next one. */
  readonly delay: number;
  readonly reason: 'backoff' | 'learned' | 'floor' | 'cap' | 'deadline';
  /**
   * 0..1: the learned chance that at least one pending generation has finished by the next poll;
   * `undefined` for `backoff`.
   */
  readonly chance: number | undefined;
}

// -------------------------------------------------------------------------------------
// defaults
// -------------------------------------------------------------------------------------

/**
 * Defaults of {@link CadenceTuning}, each with its reason:
 * - `pollPrice` 190 ms: tuned on the bench's three video models to a mean lag under 1 s at under 12
 *   polls per task, and no more polls than the backoff on uniform 30-240 s durations (docs/performance.md,
 *   "Learned cadence").
 * - `priorShare` 0.02: enough to space polls like a backoff past the learned durations, too little
 *   to add polls before them.
 * - `maxIntervalFactor` 6: with the default `maxInterval`, a learned gap of at most 60 s: a 3-minute
 *   video costs three polls before its likely finish, and a model that got much faster is seen within a minute.
 */
export const DEFAULT_CADENCE_TUNING: CadenceTuning = Object.freeze({ pollPrice: 190, priorShare: 0.02, maxIntervalFactor: 6, maxLag: 12_000, maxLagShare: 0.25 });

/**
 * The tuning with defaults filled in; a RangeError names an option that is not a finite number in its
 * range (`pollPrice` above 0, `priorShare` 0..1, `maxIntervalFactor` at least 1, `maxLag` above 0 or
 * Infinity, `maxLagShare` 0..1).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { resolveCadenceTuning } from './planNextPoll.js';
 *
 * assert.deepEqual(resolveCadenceTuning({ pollPrice: 90 }), { pollPrice: 90, priorShare: 0.02, maxIntervalFactor: 6, maxLag: 12_000, maxLagShare: 0.25 });
 * assert.throws(() => resolveCadenceTuning({ priorShare: 2 }), RangeError);
 * ```
 */
export function resolveCadenceTuning(options: Partial<CadenceTuning>): CadenceTuning {
  const tuning: CadenceTuning = {
    pollPrice: options.pollPrice ?? DEFAULT_CADENCE_TUNING.pollPrice,
    priorShare: options.priorShare ?? DEFAULT_CADENCE_TUNING.priorShare,
    maxIntervalFactor: options.maxIntervalFactor ?? DEFAULT_CADENCE_TUNING.maxIntervalFactor,
    maxLag: options.maxLag ?? DEFAULT_CADENCE_TUNING.maxLag,
    maxLagShare: options.maxLagShare ?? DEFAULT_CADENCE_TUNING.maxLagShare,
  };
  checkTuning('pollPrice', tuning.pollPrice, tuning.pollPrice > 0, 'above 0 ms');
  checkTuning('priorShare', tuning.priorShare, tuning.priorShare >= 0 && tuning.priorShare <= 1, 'from 0 to 1');
  checkTuning('maxIntervalFactor', tuning.maxIntervalFactor, tuning.maxIntervalFactor >= 1 && tuning.maxIntervalFactor <= 1000, 'from 1 to 1000');
  if (tuning.maxLag !== Number.POSITIVE_INFINITY) checkTuning('maxLag', tuning.maxLag, tuning.maxLag > 0, 'above 0 ms (or Infinity)');
  checkTuning('maxLagShare', tuning.maxLagShare, tuning.maxLagShare >= 0 && tuning.maxLagShare <= 1, 'from 0 to 1');
  return tuning;
}

function checkTuning(name: keyof CadenceTuning, value: number, inRange: boolean, range: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange) throw new RangeError(`cadence: option ${name} must be a finite number ${range}, got ${String(value)}`);
}

// -------------------------------------------------------------------------------------
// schedule
// -------------------------------------------------------------------------------------

/**
 * The gap after poll number `attempt` (1-based), made `elapsed` ms after the task started, with
 * `pending` generations still unfinished, given the key's learned `durations`. `elapsed`, `timeout` and
 * the observed intervals share one origin: the task's start, for which a watch that begins at
 * submission (`run`) can take its own start.
 *
 * Without durations (or nothing pending) this is exactly `backoffDelay(attempt, settings, settings.random)`.
 * With them, the next poll goes at the time `x` where `pending x E[lag accrued from elapsed to x | not
 * finished at elapsed] = pollPrice`, the durations being the learned histogram mixed with a `priorShare`
 * of the prior. Then the bounds: jitter moves the poll earlier only (`d * (1 - jitter * random())`: a
 * late poll costs lag, an early one only a poll), then never over `maxInterval * maxIntervalFactor`
 * (`maxInterval` for a key with fewer than {@link YOUNG_KEY_OBSERVATIONS} generations) nor the lag
 * bound `max(maxLag, maxLagShare * elapsed)`, never under `interval`, never past `timeout`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { observeDuration } from './durationHistogram.js';
 * import { DEFAULT_CADENCE_TUNING, planNextPoll } from './planNextPoll.js';
 * import { backoffDelay } from '../schedule/backoff.js';
 *
 * const settings = { interval: 1000, multiplier: 1.5, maxInterval: 10_000, jitter: 0, random: () => 0.5, timeout: 1_200_000, ...DEFAULT_CADENCE_TUNING };
 * // No history: today's backoff.
 * assert.equal(planNextPoll(undefined, 1000, 1, 1, settings).delay, backoffDelay(1, settings, settings.random));
 * // Twelve videos of this model finished between 44 and 46 s: without the lag bound, after a poll at
 * // 1 s, look again just after 44 s...
 * let durations = observeDuration(undefined, 44_000, 46_000, 1);
 * for (let i = 0; i < 11; i += 1) durations = observeDuration(durations, 44_000, 46_000, 1);
 * const plan = planNextPoll(durations, 1000, 1, 1, { ...settings, priorShare: 0, maxLag: Infinity });
 * assert.equal(plan.reason, 'learned');
 * assert.ok(plan.delay > 43_000 && plan.delay < 45_000, String(plan.delay));
 * // ...with the default prior share, take one look on the way there, in case the model got faster...
 * assert.ok(planNextPoll(durations, 1000, 1, 1, { ...settings, maxLag: Infinity }).delay < 40_000);
 * // ...and with the default lag bound, look at least every 12 s until then: a video that fails after
 * // 5 s is seen within 12 s of it.
 * assert.deepEqual(planNextPoll(durations, 1000, 1, 1, settings), { delay: 12_000, reason: 'cap', chance: planNextPoll(durations, 1000, 1, 1, settings).chance });
 * ```
 */
export function planNextPoll(durations: DurationHistogram | undefined, elapsed: number, pending: number, attempt: number, settings: CadenceSettings): NextPollPlan {
  if (durations === undefined || !(durations.weight > 0) || !(pending > 0)) return plan(backoffDelay(attempt, settings, settings.random), 'backoff', undefined);
  const now = Math.max(0, elapsed);
  const mix = new Mixture(durations, settings.priorShare);

  // The mixture at `now`: the CDF (linear in the bin) and its integral (quadratic in the bin).
  const bin = binOf(now);
  const offset = now - (EDGES[bin] as number);
  const slope = (mix.cdf(bin + 1) - mix.cdf(bin)) / ((EDGES[bin + 1] as number) - (EDGES[bin] as number));
  const cdfNow = Math.min(1, mix.cdf(bin) + slope * offset);
  const integralNow = mix.integral(bin) + mix.cdf(bin) * offset + (slope * offset * offset) / 2;
  const survival = 1 - cdfNow;
  // Nothing learned or assumed lies ahead (past the histogram's 68 minutes): back to the backoff.
  if (!(survival > 1e-12)) return plan(backoffDelay(attempt, settings, settings.random), 'backoff', undefined);

  // Lag accrued from `now` to edge k, unconditioned: integral(k) - integralNow - (EDGES[k] - now) * cdfNow.
  // It grows with k; find the first edge where it reaches the price's share, then solve inside that bin.
  const target = (settings.pollPrice * survival) / pending;
  const accrued = (k: number): number => mix.integral(k) - integralNow - ((EDGES[k] as number) - now) * cdfNow;
  let low = bin + 1;
  const cap = learnedCap(now, durations.observations, settings);
  let high = Math.min(HISTOGRAM_BINS, binOf(now + cap) + 1);
  let at: number;
  if (accrued(high) < target) {
    at = Number.POSITIVE_INFINITY;
  } else {
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (accrued(middle) >= target) high = middle;
      else low = middle + 1;
    }
    at = solveInBin(mix, high - 1, now, cdfNow, integralNow, target);
  }
  return bound(at - now, cap, now, survival, pending, mix, settings);
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

/** The learned histogram mixed with a share of the prior, normalised to unit mass, read at edges. */
class Mixture {
  private readonly learned: number;
  private readonly prior: number;

  constructor(
    private readonly durations: DurationHistogram,
    priorShare: number,
  ) {
    this.learned = (1 - priorShare) / durations.weight;
    this.prior = priorShare;
  }

  cdf(k: number): number {
    return this.learned * (this.durations.cdf[k] as number) + this.prior * (PRIOR.cdf[k] as number);
  }

  integral(k: number): number {
    return this.learned * (this.durations.cdfIntegral[k] as number) + this.prior * (PRIOR.cdfIntegral[k] as number);
  }

  /** The CDF anywhere, linear inside a bin. */
  cdfAt(ms: number): number {
    return cdfBetweenEdges((k) => this.cdf(k), ms);
  }
}

/**
 * Below this many observations a key's durations are too few to trust a gap longer than the backoff's
 * (`maxInterval`): the first finishers of a new key are the short ones, and a longer task, in the tail
 * of what was learned so far, must not wait longer than the backoff would have made it.
 */
export const YOUNG_KEY_OBSERVATIONS = 12;

/**
 * The longest learned gap after a poll at `now`: `maxInterval * maxIntervalFactor` (`maxInterval` for
 * a young key), and within the lag bound (`maxLag`, `maxLagShare`).
 */
function learnedCap(now: number, observations: number, settings: CadenceSettings): number {
  const longest = observations < YOUNG_KEY_OBSERVATIONS ? settings.maxInterval : settings.maxInterval * settings.maxIntervalFactor;
  return Math.min(longest, Math.max(settings.maxLag, settings.maxLagShare * now));
}

/** The time x in bin `k` where the lag accrued from `now` reaches `target` (the quadratic's larger root). */
function solveInBin(mix: Mixture, k: number, now: number, cdfNow: number, integralNow: number, target: number): number {
  const start = EDGES[k] as number;
  const slope = (mix.cdf(k + 1) - mix.cdf(k)) / ((EDGES[k + 1] as number) - start);
  // With y = x - start: slope / 2 * y^2 + (cdf(k) - cdfNow) * y + (integral(k) - integralNow - (start - now) * cdfNow - target) = 0
  const linear = mix.cdf(k) - cdfNow;
  const rest = target - (mix.integral(k) - integralNow - (start - now) * cdfNow);
  const root = Math.sqrt(Math.max(0, linear * linear + 2 * slope * rest));
  // Two forms of one root, each free of cancellation on its side of zero.
  const y = linear > 0 ? (2 * rest) / (linear + root) : slope > 0 ? (root - linear) / slope : 0;
  return start + Math.max(0, y);
}

function bound(raw: number, cap: number, now: number, survival: number, pending: number, mix: Mixture, settings: CadenceSettings): NextPollPlan {
  let reason: NextPollPlan['reason'] = 'learned';
  // Jitter before the cap: a capped gap is the lag bound itself, and an earlier poll there is one more poll.
  let delay = settings.jitter > 0 ? raw * (1 - settings.jitter * settings.random()) : raw;
  if (delay > cap) {
    delay = cap;
    reason = 'cap';
  }
  if (delay < settings.interval) {
    delay = settings.interval;
    reason = 'floor';
  }
  const remaining = settings.timeout - now;
  if (delay > remaining) {
    delay = Math.max(0, remaining);
    reason = 'deadline';
  }
  const stillPending = (1 - mix.cdfAt(now + delay)) / survival;
  return plan(delay, reason, 1 - Math.max(0, stillPending) ** pending);
}

// One literal for every plan: one hidden class.
function plan(delay: number, reason: NextPollPlan['reason'], chance: number | undefined): NextPollPlan {
  return { delay, reason, chance };
}
