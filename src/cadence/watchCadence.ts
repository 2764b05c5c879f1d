/**
 * One watch's link to a cadence store: what it teaches the store and the delay it plans from it.
 *
 * @module
 */
import type { BackoffSchedule } from '../schedule/backoff.js';
import type { DurationHistogram } from './durationHistogram.js';
import { planNextPoll, type CadenceSettings, type CadenceTuning, type NextPollPlan } from './planNextPoll.js';
import { nextSafetyNetGap, safetyNetRungs } from './planSafetyNet.js';
import { overdueAfter } from './detectSpeedShift.js';

/** What the plan reads of a watch's settings. */
export interface WatchScheduleSettings extends BackoffSchedule {
  readonly random: () => number;
  /** The shortest gap before a safety-net poll placed by the learned durations. */
  readonly pushPollFloor: number;
  /** The longest gap between two safety-net polls. */
  readonly pushPollInterval: number;
}

/** What a watch asks of its learned cadence: the part a store plugs into a watch (`Cadence.plannerFor`). */
export interface CadencePlanner {
  /** The gap after poll number `attempt` with `pending` generations unfinished, at `now`, and why. */
  plan(attempt: number, pending: number, now: number): NextPollPlan;
  /** The gap to the next safety-net poll at `now`, or `undefined` without history or past the learned rungs. */
  safetyNet(now: number): number | undefined;
  /**
   * The first poll's delay from `now` where the learned durations put it (never sooner than
   * `initialDelay`, the fixed delay still to wait), or `undefined` without history.
   */
  first(pending: number, now: number, initialDelay: number): number | undefined;
  /** `finished` generations finished between `from` (undefined: the task's start) and `to`, on the watch's clock. */
  learn(finished: number, from: number | undefined, to: number): void;
}

/**
 * A watch's `cadence` option given with a store, checked when the watch is called: `key` a string and
 * `startedAt` a finite time on the scheduler's clock, when given. The store carries it
 * (`Cadence.checkOption`), so a watch given no store does not.
 */
export function checkCadenceOption(option: { readonly key?: unknown; readonly startedAt?: unknown }): void {
  const { key, startedAt } = option;
  if (key !== undefined && typeof key !== 'string') throw new TypeError('watchTask: option cadence.key must be a string');
  if (startedAt !== undefined && (typeof startedAt !== 'number' || !Number.isFinite(startedAt))) {
    throw new RangeError(`watchTask: option cadence.startedAt must be a finite number (the scheduler's clock), got ${String(startedAt)}`);
  }
}

/** What a watch's cadence needs of the store: what it learned, how to teach it, how to plan from it. */
export interface CadenceStoreView {
  observe(key: string, from: number, to: number, startedAt?: number): void;
  overdue(key: string, age: number, startedAt: number): void;
  summary(key: string): DurationHistogram | undefined;
  readonly tuning: CadenceTuning;
}

/**
 * Learns from one watch and plans its polls, on the watch's clock: `origin` is the task's start (the
 * watch's start for a watch that begins at submission), and every time below is a `scheduler.now()`.
 *
 * A class because a watch holds one for its whole life: a few references, methods on the prototype
 * (thousands of live watches are the point). It keeps no time of its own: the watch says when each
 * generation finished (`learn`), so a reply another instance polled teaches what that poll would.
 */
export class WatchCadence implements CadencePlanner {
  /** The safety net's rungs (with push), placed when the watch starts and kept. */
  private readonly rungs: number[] | undefined;
  private readonly settings: PlanSettings;
  /**
   * What the store had learned when the watch started, kept: a store that learns from tasks still
   * running (a batch submitted together) has seen only the shorter ones so far, and read again at each
   * poll it would keep putting finishes just ahead of a survivor, which would then poll at the floor,
   * poll after poll. The safety net's rungs are read from it too: one rule for both.
   */
  private durations: DurationHistogram | undefined;
  /** The age past which the task, still running, is overdue for `durations`; `undefined` once said (or never overdue). */
  private overdueAt: number | undefined;

  /** `safetyNetPending`: the generations a watch with a safety net (push) waits for; without it, no rungs. */
  constructor(
    private readonly store: CadenceStoreView,
    private readonly key: string,
    private readonly origin: number,
    deadline: number,
    settings: WatchScheduleSettings,
    safetyNetPending: number | undefined,
  ) {
    this.settings = planSettings(settings, store, deadline - origin);
    this.durations = store.summary(key);
    this.overdueAt = overdueAfter(this.durations);
    this.rungs = safetyNetPending === undefined ? undefined : safetyNetRungs(this.durations, safetyNetPending, settings.pushPollFloor);
  }

  /**
   * `finished` generations were first seen finished by a poll sent at `to`, the poll answered before it
   * sent at `from` (undefined: none, the task's start): each finished in between. A webhook lands at the
   * finish: `from` and `to` are then its arrival (a point, not an interval); a watch with push thus
   * teaches the store as precisely as it could wish while polling sparsely. Each is learned with the
   * task's start (see `Cadence.observe`).
   */
  learn(finished: number, from: number | undefined, to: number): void {
    const since = from === undefined ? 0 : from - this.origin;
    for (let index = 0; index < finished; index += 1) this.store.observe(this.key, since, to - this.origin, this.origin);
  }

  /**
   * The gap to the next safety-net poll of a watch with push, at the learned late quantiles (see
   * `safetyNetRungs`: read when the watch started, and kept), from `pushPollFloor` to
   * `pushPollInterval`; `undefined` without history or once past them.
   */
  safetyNet(now: number): number | undefined {
    const { settings } = this;
    return this.rungs === undefined ? undefined : nextSafetyNetGap(this.rungs, now - this.origin, settings.pushPollFloor, settings.pushPollInterval, settings);
  }

  /**
   * The first poll's delay from `now` when the store had learned durations for the key: where the
   * learned schedule puts it (within the lag bound), never sooner than `initialDelay`; `undefined`
   * without history (the watch then waits `initialDelay`).
   */
  first(pending: number, now: number, initialDelay: number): number | undefined {
    const plan = this.plan(0, pending, now);
    return plan.reason === 'backoff' ? undefined : Math.max(initialDelay, plan.delay);
  }

  /**
   * The gap after poll number `attempt` with `pending` generations unfinished, at `now`. Without history,
   * exactly the backoff; a learned gap is rounded to whole ms (a timer's resolution), so virtual-time
   * tests see whole frames.
   */
  plan(attempt: number, pending: number, now: number): NextPollPlan {
    const age = now - this.origin;
    if (attempt > 0 && this.overdueAt !== undefined && age > this.overdueAt) {
      // Said after a poll (not for the first poll's plan), once per reading: the store counts this task
      // among the late ones until it finishes; with it, the store may notice the model got slower.
      this.overdueAt = undefined;
      this.store.overdue(this.key, age, this.origin);
    }
    // Read once, except after the store noticed the model change speed: what it held at the start is stale.
    const latest = this.store.summary(this.key);
    if (latest !== undefined && latest.shifts > (this.durations?.shifts ?? 0)) {
      this.durations = latest;
      this.overdueAt = overdueAfter(latest);
    }
    const plan = planNextPoll(this.durations, age, pending, attempt, this.settings);
    return plan.reason === 'backoff' ? plan : { delay: Math.round(plan.delay), reason: plan.reason, chance: plan.chance };
  }
}

/** Plan settings shared by the watches of one settings object and store (a client's thousands of runs). */
const shared = new WeakMap<WatchScheduleSettings, WeakMap<CadenceStoreView, PlanSettings>>();

type PlanSettings = CadenceSettings & Pick<WatchScheduleSettings, 'pushPollFloor' | 'pushPollInterval'>;

/** The plan's settings: the watch's schedule and the store's tuning, `timeout` counted from the task's start. */
function planSettings(settings: WatchScheduleSettings, cadence: CadenceStoreView, timeout: number): PlanSettings {
  const byStore = shared.get(settings) ?? new WeakMap<CadenceStoreView, PlanSettings>();
  shared.set(settings, byStore);
  const known = byStore.get(cadence);
  if (known !== undefined && known.timeout === timeout) return known;
  const { interval, multiplier, maxInterval, jitter, random, pushPollFloor, pushPollInterval } = settings;
  const made: PlanSettings = { interval, multiplier, maxInterval, jitter, random, timeout, pushPollFloor, pushPollInterval, ...cadence.tuning };
  // Only the common case is kept: a watch with its own startedAt has a timeout of its own.
  if (known === undefined) byStore.set(cadence, made);
  return made;
}
