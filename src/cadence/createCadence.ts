/**
 * `createCadence`: a store of learned generation durations per cadence key, shared by watches.
 *
 * @module
 */
import { readCadenceSnapshot, type CadenceSnapshot } from './cadenceSnapshot.js';
import { BINS_PER_DOUBLING, FIRST_EDGE_MS, fromMass, HISTOGRAM_BINS, massOf, observeDuration, type DurationHistogram } from './durationHistogram.js';
import { resolveCadenceTuning, type CadenceTuning } from './planNextPoll.js';
import { afterFinish, noteSurprise, SHIFT_KEEP, SHIFT_WINDOW, slowerShift, surpriseOf, type Noted, type Observed, type Overdue } from './detectSpeedShift.js';
import { STRETCH_KEEP, stretchedDurations } from './stretchDurations.js';
import { checkCadenceOption, WatchCadence, type CadencePlanner, type WatchScheduleSettings } from './watchCadence.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link createCadence}; the schedule's tuning ({@link CadenceTuning}: `pollPrice`, `priorShare`, `maxIntervalFactor`) is set here too. */
export interface CadenceOptions extends Partial<CadenceTuning> {
  /** A `store.snapshot()` (parsed JSON is fine) to start from; checked, a bad one is a TypeError. */
  readonly from?: unknown;
  /**
   * Generations after which an observation weighs half as much (counting those of tasks started later:
   * see `observe`): lower follows a model that changes sooner, higher is steadier.
   * @defaultValue 20
   */
  readonly halfLife?: number;
  /**
   * Keys kept; past it, the key observed least recently is forgotten (about 4.5 KB per key).
   * @defaultValue 256
   */
  readonly maxKeys?: number;
}

/** Learned durations per cadence key (see `cadenceKey`). */
export interface Cadence {
  /**
   * Learns that a generation under `key` finished between `from` and `to` ms after its task started:
   * the poll before the one that saw it finished (0 for the first poll) and that poll. `startedAt`, the
   * task's start on the watches' clock, orders the decay: only a task started after every task learned
   * before it under `key` makes the earlier ones weigh less, so the tasks of a batch started together
   * weigh alike though they finish in the order of their durations. Without it, each observation is the
   * latest.
   */
  observe(key: string, from: number, to: number, startedAt?: number): void;
  /**
   * What was learned for `key`, or `undefined` before its first observation. The store never changes a
   * summary it handed out (an observation makes a new one); treat it as read-only.
   */
  summary(key: string): DurationHistogram | undefined;
  /**
   * A task under `key` started at `startedAt` was seen still running at `age` ms, past the learned
   * durations: a watch says so once (see `detectSpeedShift`), so that a model that got slower is noticed
   * before its slower tasks finish. Plumbing between a store and its watches, not for apps.
   *
   * @internal
   */
  overdue(key: string, age: number, startedAt: number): void;
  /** Everything learned, as plain JSON for `createCadence({ from })`. */
  snapshot(): CadenceSnapshot;
  /** How the watches using this store turn what it learned into a schedule. */
  readonly tuning: CadenceTuning;
  /**
   * The learned schedule of one watch (what `watchTask(uuid, { cadence: { store, key } })` plugs in):
   * a task under `key` started at `origin`, with its deadline at `deadline`, on the watch's clock.
   * With `safetyNetPending` (a watch with push waiting for that many generations) it also places the
   * safety net's polls. The store carries this code, so a watch without a store does not. The plumbing
   * between a store and a watch, not for apps: left out of the API reference.
   *
   * @internal
   */
  plannerFor(key: string, origin: number, deadline: number, settings: WatchScheduleSettings, safetyNetPending?: number): CadencePlanner;
  /**
   * Checks the rest of a watch's `cadence` option given with this store (`key`, `startedAt`), when the
   * watch is called: a TypeError or RangeError naming the option. The store carries this code too.
   *
   * @internal
   */
  checkOption(option: { readonly key?: unknown; readonly startedAt?: unknown }): void;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A store of how long generations take, per cadence key, for the learned poll schedule. Memory is
 * constant per key (a decaying histogram of about 4.5 KB) and bounded by `maxKeys`; recent generations
 * weigh more (`halfLife`). Throws a RangeError for a bad option and a TypeError for a bad snapshot.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { createCadence } from 'runware-rx';
 *
 * const cadence = createCadence();
 * // A video first seen finished by the poll at 47 s; the poll before was at 41 s.
 * cadence.observe('videoInference|klingai:5@3|5s', 41_000, 47_000);
 * assert.equal(cadence.summary('videoInference|klingai:5@3|5s')?.observations, 1);
 *
 * // Keep what was learned across restarts.
 * const saved = JSON.stringify(cadence.snapshot());
 * const restored = createCadence({ from: JSON.parse(saved) });
 * assert.equal(restored.summary('videoInference|klingai:5@3|5s')?.observations, 1);
 * assert.throws(() => createCadence({ from: { version: 2 } }), TypeError);
 * ```
 */
export function createCadence(options: CadenceOptions = {}): Cadence {
  const halfLife = options.halfLife ?? 20;
  const maxKeys = options.maxKeys ?? 256;
  if (typeof halfLife !== 'number' || !(halfLife > 0) || !Number.isFinite(halfLife)) {
    throw new RangeError(`createCadence: option halfLife must be a finite number above 0, got ${String(halfLife)}`);
  }
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new RangeError(`createCadence: option maxKeys must be a whole number of at least 1, got ${String(maxKeys)}`);
  const tuning = Object.freeze(resolveCadenceTuning(options));
  const decay = 2 ** (-1 / halfLife);
  // Insertion order is recency order: observing a key moves it to the end, the first one is the oldest.
  const histograms = new Map<string, DurationHistogram>();
  // The latest task start learned per key: what makes an observation a later cohort's.
  const latestStart = new Map<string, number>();
  // The latest observations of later cohorts per key, with their surprise: a change of speed shows there.
  const recent = new Map<string, ReadonlyArray<Noted>>();
  // The earliest task start learned per key: a task started with it (a batch) is its cohort.
  const earliestStart = new Map<string, number>();
  // Tasks of later cohorts seen running past the learned durations, per key, until they finish.
  const overdueTasks = new Map<string, ReadonlyArray<Overdue>>();
  // A model seen slower, by tasks overdue: the learned shape stretched, the late finishes learned over it.
  const stretch = (key: string, learned: DurationHistogram, window: ReadonlyArray<Noted>, overdue: ReadonlyArray<Overdue>): void => {
    let previous = learned;
    for (const each of window) if (each.surprise === -1) previous = observeDuration(previous, each.from, each.to, decay);
    let stretched = stretchedDurations(previous, overdue.map((each) => each.age), STRETCH_KEEP, previous.shifts + 1);
    for (const each of window) if (each.surprise === 1) stretched = observeDuration(stretched, each.from, each.to, 1);
    recent.set(key, []);
    overdueTasks.set(key, []);
    remember(key, stretched);
  };
  const remember = (key: string, histogram: DurationHistogram): void => {
    histograms.delete(key);
    histograms.set(key, histogram);
    if (histograms.size > maxKeys) {
      const oldest = histograms.keys().next().value as string;
      histograms.delete(oldest);
      latestStart.delete(oldest);
      recent.delete(oldest);
      earliestStart.delete(oldest);
      overdueTasks.delete(oldest);
    }
  };
  if (options.from !== undefined) {
    const snapshot = readCadenceSnapshot(options.from);
    for (const [key, entry] of Object.entries(snapshot.keys)) remember(key, fromMass(entry.mass, entry.observations));
  }
  return {
    tuning,
    // `this`: a store wrapped by the app (to log what it learns) is the one the watch teaches.
    plannerFor(key: string, origin: number, deadline: number, settings: WatchScheduleSettings, safetyNetPending?: number): CadencePlanner {
      return new WatchCadence(this, key, origin, deadline, settings, safetyNetPending);
    },
    observe(key: string, from: number, to: number, startedAt?: number): void {
      if (typeof key !== 'string') throw new TypeError('cadence.observe: key must be a string');
      if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`cadence.observe: from and to must be finite ms, got ${String(from)} and ${String(to)}`);
      const latest = latestStart.get(key);
      const later = startedAt === undefined || latest === undefined || !(startedAt <= latest);
      if (startedAt !== undefined && later) latestStart.set(key, startedAt);
      let previous = histograms.get(key);
      const earliest = earliestStart.get(key);
      if (startedAt !== undefined && !(earliest !== undefined && earliest <= startedAt)) earliestStart.set(key, startedAt);
      if (startedAt === undefined || (earliest !== undefined && startedAt > earliest)) {
        // Only a task started after the first one learned can show a change of speed: the long tasks of
        // a batch started together finish after its short ones without the model having changed.
        const observed = { from, to };
        const overdue = afterFinish(overdueTasks.get(key) ?? [], startedAt);
        overdueTasks.set(key, overdue);
        const noted = noteSurprise(recent.get(key) ?? [], observed, surpriseOf(previous, observed));
        recent.set(key, noted.window);
        for (const each of noted.released) previous = observeDuration(previous, each.from, each.to, decay);
        if (noted.shift !== undefined && previous !== undefined) {
          // The model changed speed: what was learned before weighs little beside the surprising generations.
          const [first, ...rest] = noted.shift as [Observed, ...Observed[]];
          let rebased = observeDuration(previous, first.from, first.to, SHIFT_KEEP, previous.shifts + 1);
          for (const each of rest) rebased = observeDuration(rebased, each.from, each.to, 1);
          overdueTasks.set(key, []);
          remember(key, rebased);
          return;
        }
        if (!noted.learn) {
          // Held: a late one may make, with the tasks still overdue, a model seen slower.
          if (previous !== undefined && slowerShift(noted.window, overdue)) stretch(key, previous, noted.window, overdue);
          else if (previous !== undefined) remember(key, previous);
          return;
        }
      }
      remember(key, observeDuration(previous, from, to, later ? decay : 1));
    },
    overdue(key: string, age: number, startedAt: number): void {
      const learned = histograms.get(key);
      const earliest = earliestStart.get(key);
      // As for a finish: only a task started after the first one learned can show a change of speed.
      if (learned === undefined || earliest === undefined || !(startedAt > earliest) || !Number.isFinite(age)) return;
      const overdue = [...(overdueTasks.get(key) ?? []), { startedAt, age, finishesSince: 0 }].slice(-SHIFT_WINDOW);
      overdueTasks.set(key, overdue);
      const window = recent.get(key) ?? [];
      if (slowerShift(window, overdue)) stretch(key, learned, window, overdue);
    },
    summary: (key: string): DurationHistogram | undefined => histograms.get(key),
    checkOption: checkCadenceOption,
    snapshot(): CadenceSnapshot {
      // No prototype: a key named __proto__ stays a key.
      const keys = Object.create(null) as Record<string, { observations: number; mass: number[] }>;
      for (const [key, histogram] of histograms) keys[key] = { observations: histogram.observations, mass: massOf(histogram) };
      return { version: 1, firstEdgeMs: FIRST_EDGE_MS, binsPerDoubling: BINS_PER_DOUBLING, bins: HISTOGRAM_BINS, keys };
    },
  };
}
