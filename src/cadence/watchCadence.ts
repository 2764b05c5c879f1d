/**
 * One watch's link to a cadence store: what it teaches the store and the delay it plans from it.
 *
 * @module
 */
import type { BackoffSchedule } from '../schedule/backoff.js';
import type { Cadence } from './createCadence.js';
import type { DurationHistogram } from './durationHistogram.js';
import { planNextPoll, type CadenceSettings, type NextPollPlan } from './planNextPoll.js';
import { nextSafetyNetGap, safetyNetRungs } from './planSafetyNet.js';

/** What the plan reads of a watch's settings. */
export interface WatchScheduleSettings extends BackoffSchedule {
  readonly random: () => number;
}

/**
 * Learns from one watch and plans its polls, on the watch's clock: `origin` is the task's start (the
 * watch's start for a watch that begins at submission), and every time below is a `scheduler.now()`.
 *
 * A class because a watch holds one for its whole life: two numbers and three references, methods on the
 * prototype (thousands of live watches are the point).
 */
export class WatchCadence {
  /** Send time of the latest poll, from the origin. */
  private sentAt = 0;
  /** Send time of the latest poll that was answered, from the origin: 0 before the first. */
  private answeredAt = 0;
  /** The safety net's rungs (with push), placed at the first plan and kept. */
  private rungs: number[] | undefined = undefined;
  private readonly settings: CadenceSettings;
  /**
   * What the store had learned when the watch started, kept: a store that learns from tasks still
   * running (a batch submitted together) has seen only the shorter ones so far, and read again at each
   * poll it would keep putting finishes just ahead of a survivor, which would then poll at the floor,
   * poll after poll. The safety net's rungs are read from it too: one rule for both.
   */
  private durations: DurationHistogram | undefined;

  constructor(
    private readonly cadence: Cadence,
    private readonly key: string,
    private readonly origin: number,
    deadline: number,
    settings: WatchScheduleSettings,
  ) {
    this.settings = planSettings(settings, cadence, deadline - origin);
    this.durations = cadence.summary(key);
  }

  /** A poll goes out at `now`. */
  sent(now: number): void {
    this.sentAt = now - this.origin;
  }

  /**
   * `finished` generations were first seen finished. In a reply (`pushedAt` undefined) to the poll sent
   * last: each finished between the previous answered poll and this one. In a pushed body at `pushedAt`:
   * a webhook lands at the finish, so each is learned as finished then (a point, not an interval between
   * two polls); a watch with push thus teaches the store as precisely as it could wish while polling
   * sparsely. Each is learned with the task's start (see `Cadence.observe`).
   */
  learn(finished: number, pushedAt?: number): void {
    const from = pushedAt === undefined ? this.answeredAt : pushedAt - this.origin;
    const to = pushedAt === undefined ? this.sentAt : from;
    for (let index = 0; index < finished; index += 1) this.cadence.observe(this.key, from, to, this.origin);
    if (pushedAt === undefined) this.answeredAt = this.sentAt;
  }

  /**
   * The gap to the next safety-net poll of a watch with push, at the learned late quantiles (see
   * `safetyNetRungs`: read at the first call, with the `pending` generations then, and kept), from
   * `floor` to `cap`; `undefined` without history or once past them.
   */
  safetyNet(pending: number, now: number, floor: number, cap: number): number | undefined {
    this.rungs ??= safetyNetRungs(this.durations, pending, floor);
    return nextSafetyNetGap(this.rungs, now - this.origin, floor, cap, this.settings);
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
    // Read once, except after the store noticed the model change speed: what it held at the start is stale.
    const latest = this.cadence.summary(this.key);
    if (latest !== undefined && latest.shifts > (this.durations?.shifts ?? 0)) this.durations = latest;
    const plan = planNextPoll(this.durations, now - this.origin, pending, attempt, this.settings);
    return plan.reason === 'backoff' ? plan : { delay: Math.round(plan.delay), reason: plan.reason, chance: plan.chance };
  }
}

/** Plan settings shared by the watches of one settings object and store (a client's thousands of runs). */
const shared = new WeakMap<WatchScheduleSettings, WeakMap<Cadence, CadenceSettings>>();

/** The plan's settings: the watch's schedule and the store's tuning, `timeout` counted from the task's start. */
function planSettings(settings: WatchScheduleSettings, cadence: Cadence, timeout: number): CadenceSettings {
  const byStore = shared.get(settings) ?? new WeakMap<Cadence, CadenceSettings>();
  shared.set(settings, byStore);
  const known = byStore.get(cadence);
  if (known !== undefined && known.timeout === timeout) return known;
  const { interval, multiplier, maxInterval, jitter, random } = settings;
  const made: CadenceSettings = { interval, multiplier, maxInterval, jitter, random, timeout, ...cadence.tuning };
  // Only the common case is kept: a watch with its own startedAt has a timeout of its own.
  if (known === undefined) byStore.set(cadence, made);
  return made;
}
