/**
 * Options of a watch, their defaults and why, and the check that rejects bad ones before any request.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Cadence } from './cadence/createCadence.js';
import type { RunwareError } from './errors/RunwareError.js';
import type { PushSource } from './push/PushSource.js';
import type { SharedHub } from './push/SharedHub.js';
import type { ConnectionOptions } from './transport/transportFor.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Every option of {@link watchTask}. All durations are milliseconds.
 *
 * @example
 * ```ts
 * import { watchTask, type WatchOptions } from 'runware-rx';
 *
 * declare const taskUUID: string;
 *
 * // A 4-video task: first look after 30 s, then every 5 s growing to 15 s; give up after 30 minutes.
 * const options: WatchOptions = { numberResults: 4, initialDelay: 30_000, interval: 5_000, maxInterval: 15_000, timeout: 30 * 60_000 };
 * watchTask(taskUUID, { ...options, onAttempt: (attempt) => console.debug(attempt.attempt, attempt.reason, attempt.outcome) }).subscribe();
 * ```
 */
export interface WatchOptions extends ConnectionOptions {
  /**
   * Scheduler for every delay and clock read; pass a `TestScheduler` to test in virtual time.
   * @defaultValue `asyncScheduler`
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Generations expected (the task's `numberResults`). Without it the watch completes as soon as at
   * least one generation is known and none is processing.
   */
  readonly numberResults?: number;
  /**
   * Also emit a generation's `processing` event again each time its `progress` (0 to 100) changes, for
   * the few models that report it. Without it a generation has one `processing` event (the first
   * `progress` it showed) and one terminal event. Matched by position among the processing items, as the
   * official SDKs do. @defaultValue false
   */
  readonly progress?: boolean;
  /**
   * End the watch at the first failed generation, as the official SDKs do: that generation's `error`
   * event, then an `error` event for every generation not finished, carrying the same failure with
   * `inferred: 'failFast'`, and the watch completes. Without it every generation is followed to its own
   * end, and a task the service ended is recognised on two replies in a row (docs/protocol.md). @defaultValue false
   */
  readonly failFast?: boolean;
  /** Delay before the first poll. @defaultValue 1000 */
  readonly initialDelay?: number;
  /** Gap between the first and the second poll. @defaultValue 1000 */
  readonly interval?: number;
  /** Each later gap is the previous one times this (at least 1). @defaultValue 1.5 */
  readonly multiplier?: number;
  /** Cap on the gap between polls, before jitter. @defaultValue 10000 */
  readonly maxInterval?: number;
  /** 0..1: a gap `d` becomes `d * (1 - jitter + 2 * jitter * random())`. @defaultValue 0.1 */
  readonly jitter?: number;
  /** Source of randomness for jitter, returning [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
  /** Deadline counted from subscription; then the watch errors with `RunwareTimeoutError`. @defaultValue 1200000 (20 min) */
  readonly timeout?: number;
  /** Deadline of one HTTP request; a request that outlives it is aborted and counts as a transient failure. @defaultValue 30000 */
  readonly requestTimeout?: number;
  /** Consecutive transient failures tolerated; the next one ends the watch with that error. @defaultValue 5 */
  readonly retries?: number;
  /**
   * Longest `Retry-After` the watch waits for. A failure whose `Retry-After` asks for longer, or reaches
   * past the `timeout` deadline, ends the watch at once with that `RunwareHttpError` (its `status` and
   * `retryAfter` say why) instead of waiting silently. @defaultValue 60000
   */
  readonly maxRetryAfter?: number;
  /**
   * Called after every poll with what happened: the delay chosen and why, latency, outcome. Use it to
   * log or count retries instead of guessing. Called synchronously; an exception thrown here ends the watch.
   * A poll cut short by the `timeout` deadline or by unsubscribing is not reported: the watch's
   * `RunwareTimeoutError` or its end says what happened.
   */
  readonly onAttempt?: (attempt: AttemptReport) => void;
  /**
   * Where pushed replies come from (a webhook receiver of `runware-rx/server`, or any {@link PushSource}):
   * its bodies for this task are decoded and reconciled like polled replies, and polling becomes a sparse
   * safety net (`pushPollDelay`, then every `pushPollInterval`). With a learned cadence for the task
   * (`cadence` and `cadenceKey`), the safety-net polls go where 90 % and then 99 % of such tasks have
   * finished, as learned when the watch starts (reason `safety-net-learned`), at most
   * `pushPollInterval` and at least `pushPollFloor` apart, and the pushes teach the cadence when each
   * generation finished. A body that does not decode is ignored.
   */
  readonly push?: PushSource;
  /** With `push`: delay before the first (safety-net) poll, instead of `initialDelay`. @defaultValue 60000 */
  readonly pushPollDelay?: number;
  /** With `push`: gap between safety-net polls after a reply, jittered like every gap; also the longest learned gap. @defaultValue 120000 */
  readonly pushPollInterval?: number;
  /** With `push` and a learned cadence: the shortest gap before a safety-net poll placed by the learned durations. @defaultValue 10000, or `pushPollInterval` if shorter */
  readonly pushPollFloor?: number;
  /**
   * A hub shared by the instances of a service (`createRedisHub` of `runware-rx/redis`, or any
   * {@link SharedHub}): the watch reads the task's bodies from it (webhooks received by any instance,
   * replies polled by any instance) instead of `push`, and publishes the polled replies that tell it
   * something new. Only the instance holding the task's polling lease polls it (at its own cadence, or
   * the safety net's with `push`); the others do not poll at all (reason `following`) and take over at
   * once when the lease comes to them (its holder stopped watching or died). Until the lease first
   * answers the watch polls as the safety net; while the hub is unreachable the lease says `true` and
   * every instance polls on its own. With `push` too, `push` only gives the webhook URL.
   */
  readonly hub?: SharedHub;
  /**
   * Called each time the watch decides when its next poll goes out: the delay and why (`learned` when
   * the cadence placed it, `safety-net-learned` when it placed a safety-net poll of a watch with push). For a progress line ("next poll in 12 s"). Called synchronously; an
   * exception thrown here ends the watch.
   */
  readonly onSchedule?: (next: ScheduledPoll) => void;
  /**
   * A store of learned durations (`createCadence()`): with `cadenceKey`, the gaps between polls come
   * from what it learned of that key's generations, and the watch teaches it the durations it sees.
   * Without history for the key the schedule is exactly the backoff above. `false`: no learned
   * schedule, even when a client has a store.
   */
  readonly cadence?: Cadence | false;
  /** Which of the store's learned durations this task's generations share (see `cadenceKey()`). */
  readonly cadenceKey?: string;
  /**
   * When the task was submitted, on the scheduler's clock (epoch milliseconds for the default scheduler).
   * The learned schedule counts a task's age from it. Without it the watch takes its own start as the
   * task's: right for a watch begun at submission, as `run`'s is; for an older task a watch without
   * `startedAt` would teach the store durations that are too short, so give it or leave `cadenceKey` out.
   */
  readonly startedAt?: number;
}

/** When the next poll goes out, as reported to `onSchedule`. */
export interface ScheduledPoll {
  readonly taskUUID: string;
  /** 1-based number of the poll this wait leads to. */
  readonly attempt: number;
  /** Milliseconds from now to that poll (the deadline may cut it short). */
  readonly delay: number;
  readonly reason: DelayReason;
}

/** The tuning options of one watch: everything of `watchTask`'s options but the connection and scheduler (a client's own). */
export type ClientWatchOptions = Omit<WatchOptions, keyof ConnectionOptions | 'scheduler'>;

/** Why the watch waited as long as it did before a poll. */
export type DelayReason = 'initial' | 'backoff' | 'learned' | 'retry' | 'retry-after' | 'safety-net' | 'safety-net-learned' | 'takeover' | 'following';

/** One poll, as reported to `onAttempt`. */
export interface AttemptReport {
  readonly taskUUID: string;
  /** 1-based poll number. */
  readonly attempt: number;
  /** Milliseconds waited before this poll. */
  readonly delay: number;
  /** `initial`: the initial delay (`pushPollDelay` with push); `backoff`: the schedule after a reply; `learned`: the learned cadence's gap after a reply (`cadence`); `safety-net`: `pushPollInterval` after a reply, with push; `safety-net-learned`: with push and a learned cadence, the gap to where 90 % or 99 % of such tasks have finished (the first poll's too); `takeover`: at once, the `hub`'s lease just came to this instance; `following`: not before the deadline, the `hub`'s lease is another instance's (the wait ends when the lease comes here); `retry`: the schedule after a failure; `retry-after`: the server's Retry-After, longer than the schedule. */
  readonly reason: DelayReason;
  /** Milliseconds from sending the request to its reply or failure, by the watch's scheduler. */
  readonly latency: number;
  /** `reply`: a reply was read; `retrying`: a transient failure the watch rides out; `failed`: the failure that ends the watch. */
  readonly outcome: 'reply' | 'retrying' | 'failed';
  /** Status changes this reply produced. */
  readonly events: number;
  /** The failure, for `retrying` and `failed`. */
  readonly error?: RunwareError;
  /** Consecutive transient failures so far (0 after a reply). */
  readonly failures: number;
  /**
   * For a `reply`: statuses its items used that runware-rx does not know (`"completed"`, ...). An item with
   * such a status was read as a success when it carried a result (a URL, text, files), else as processing.
   */
  readonly unknownStatuses?: ReadonlyArray<string>;
}

/** The tuning options of a watch, every one resolved. */
export interface WatchSettings {
  readonly scheduler: SchedulerLike;
  readonly numberResults: number | undefined;
  readonly progress: boolean;
  readonly failFast: boolean;
  readonly initialDelay: number;
  readonly interval: number;
  readonly multiplier: number;
  readonly maxInterval: number;
  readonly jitter: number;
  readonly random: () => number;
  readonly timeout: number;
  readonly requestTimeout: number;
  readonly retries: number;
  readonly maxRetryAfter: number;
  readonly onAttempt: ((attempt: AttemptReport) => void) | undefined;
  readonly onSchedule: ((next: ScheduledPoll) => void) | undefined;
  readonly cadence: Cadence | undefined;
  readonly cadenceKey: string | undefined;
  readonly startedAt: number | undefined;
  readonly push: PushSource | undefined;
  readonly hub: SharedHub | undefined;
  readonly pushPollDelay: number;
  readonly pushPollInterval: number;
  readonly pushPollFloor: number;
}

// -------------------------------------------------------------------------------------
// defaults
// -------------------------------------------------------------------------------------

/**
 * Defaults, each with its reason (README "Options" says the same):
 * - `initialDelay` 1000: no Runware model finishes sooner (the official SDK's first wait).
 * - `interval` 1000: Runware's polling guide says start at 1 to 2 s.
 * - `multiplier` 1.5 and `maxInterval` 10000: the official SDKs' growth and cap; a 4-minute video costs
 *   about 30 polls and is seen at most ~10 s after it finishes.
 * - `jitter` 0.1: spreads watches started together (a storyboard of 50 videos) without blurring cadence.
 * - `timeout` 1200000: the official SDKs' 20-minute poll deadline; every watch ends.
 * - `requestTimeout` 30000: a getResponse answers in well under a second; 30 s rides out a slow proxy.
 * - `retries` 5: with the backoff, about 20 s of consecutive 429/5xx before giving up.
 * - `maxRetryAfter` 60000: a minute is the longest pause a rate limit should ask of a poll; a server that
 *   asks for more is told no, and the caller hears why at once.
 * - `pushPollDelay` 60000 and `pushPollInterval` 120000 (only with `push`): the safety net. A webhook lands
 *   within milliseconds of the finish; the polls only bound the lag of a lost one (about 2 minutes at
 *   most) at about one request per task for videos of up to 4 minutes, instead of about 30.
 * - `pushPollFloor` 10000 (only with `push` and a learned cadence): the default `maxInterval`, so a safety
 *   net placed by learned durations never polls more often than a plain watch at its sparsest (or
 *   `pushPollInterval` when that is shorter: a safety net asked to be dense stays so).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { DEFAULT_WATCH_SETTINGS, type WatchOptions } from 'runware-rx';
 *
 * assert.equal(DEFAULT_WATCH_SETTINGS.timeout, 20 * 60 * 1000);
 * // Options for a long video: the default schedule, twice the default deadline.
 * const longVideo: WatchOptions = { numberResults: 4, timeout: 2 * DEFAULT_WATCH_SETTINGS.timeout };
 * console.log(DEFAULT_WATCH_SETTINGS, longVideo);
 * ```
 */
export const DEFAULT_WATCH_SETTINGS: Omit<WatchSettings, 'scheduler' | 'random' | 'numberResults' | 'onAttempt' | 'onSchedule' | 'cadence' | 'cadenceKey' | 'startedAt' | 'push' | 'hub'> = Object.freeze({
  progress: false,
  failFast: false,
  initialDelay: 1000,
  interval: 1000,
  multiplier: 1.5,
  maxInterval: 10_000,
  jitter: 0.1,
  timeout: 1_200_000,
  requestTimeout: 30_000,
  retries: 5,
  maxRetryAfter: 60_000,
  pushPollDelay: 60_000,
  pushPollInterval: 120_000,
  pushPollFloor: 10_000,
});

/** The longest delay a timer can honour: browsers and Node fire longer ones at once. */
export const MAX_DELAY = 2_147_483_647;

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** Resolves defaults and rejects a negative, non-finite or out-of-range option with a RangeError naming it. */
export function resolveWatchSettings(options: WatchOptions): WatchSettings {
  const settings: WatchSettings = {
    scheduler: options.scheduler ?? asyncScheduler,
    numberResults: options.numberResults,
    progress: options.progress ?? DEFAULT_WATCH_SETTINGS.progress,
    failFast: options.failFast ?? DEFAULT_WATCH_SETTINGS.failFast,
    initialDelay: options.initialDelay ?? DEFAULT_WATCH_SETTINGS.initialDelay,
    interval: options.interval ?? DEFAULT_WATCH_SETTINGS.interval,
    multiplier: options.multiplier ?? DEFAULT_WATCH_SETTINGS.multiplier,
    maxInterval: options.maxInterval ?? Math.max(DEFAULT_WATCH_SETTINGS.maxInterval, options.interval ?? 0),
    jitter: options.jitter ?? DEFAULT_WATCH_SETTINGS.jitter,
    random: options.random ?? Math.random,
    timeout: options.timeout ?? DEFAULT_WATCH_SETTINGS.timeout,
    requestTimeout: options.requestTimeout ?? DEFAULT_WATCH_SETTINGS.requestTimeout,
    retries: options.retries ?? DEFAULT_WATCH_SETTINGS.retries,
    maxRetryAfter: options.maxRetryAfter ?? DEFAULT_WATCH_SETTINGS.maxRetryAfter,
    onAttempt: options.onAttempt,
    onSchedule: options.onSchedule,
    cadence: options.cadence === false ? undefined : options.cadence,
    cadenceKey: options.cadenceKey,
    startedAt: options.startedAt,
    push: options.push,
    hub: options.hub,
    pushPollDelay: options.pushPollDelay ?? DEFAULT_WATCH_SETTINGS.pushPollDelay,
    pushPollInterval: options.pushPollInterval ?? DEFAULT_WATCH_SETTINGS.pushPollInterval,
    pushPollFloor: options.pushPollFloor ?? Math.min(DEFAULT_WATCH_SETTINGS.pushPollFloor, options.pushPollInterval ?? DEFAULT_WATCH_SETTINGS.pushPollInterval),
  };
  checkDelay('initialDelay', settings.initialDelay, 0);
  checkDelay('interval', settings.interval, 1);
  checkDelay('maxInterval', settings.maxInterval, settings.interval);
  checkDelay('timeout', settings.timeout, 1);
  checkDelay('requestTimeout', settings.requestTimeout, 1);
  checkDelay('maxRetryAfter', settings.maxRetryAfter, 0);
  checkDelay('pushPollDelay', settings.pushPollDelay, 0);
  checkDelay('pushPollInterval', settings.pushPollInterval, 1);
  checkDelay('pushPollFloor', settings.pushPollFloor, 0);
  checkRange('multiplier', settings.multiplier, 1, 1000);
  checkRange('jitter', settings.jitter, 0, 1);
  checkInteger('retries', settings.retries, 0);
  if (settings.numberResults !== undefined) checkInteger('numberResults', settings.numberResults, 1);
  if (typeof settings.progress !== 'boolean') throw new TypeError('watchTask: option progress must be true or false');
  if (typeof settings.failFast !== 'boolean') throw new TypeError('watchTask: option failFast must be true or false');
  if (settings.onAttempt !== undefined && typeof settings.onAttempt !== 'function') throw new TypeError('watchTask: option onAttempt must be a function');
  if (settings.onSchedule !== undefined && typeof settings.onSchedule !== 'function') throw new TypeError('watchTask: option onSchedule must be a function');
  checkCadence(settings);
  if (settings.push !== undefined && (typeof settings.push !== 'object' || settings.push === null || typeof settings.push.watch !== 'function' || typeof settings.push.urlFor !== 'function')) {
    throw new TypeError('watchTask: option push must be a push source with urlFor and watch (a webhook receiver)');
  }
  checkHub(settings);
  if (typeof settings.random !== 'function') throw new TypeError('watchTask: option random must be a function returning a number in [0, 1)');
  return settings;
}

function checkHub({ hub, push }: WatchSettings): void {
  if (hub === undefined) return;
  if (typeof hub !== 'object' || hub === null || typeof hub.watch !== 'function' || typeof hub.publish !== 'function' || typeof hub.acquire !== 'function') {
    throw new TypeError('watchTask: option hub must be a shared hub with watch, publish and acquire (createRedisHub)');
  }
  // A receiver that publishes to another hub than the watch reads would lose every webhook.
  const receiverHub = (push as { readonly hub?: unknown } | undefined)?.hub;
  if (receiverHub !== undefined && receiverHub !== hub) throw new TypeError('watchTask: option push publishes to another hub than option hub: create the webhook receiver with { hub }');
}

function checkCadence(settings: WatchSettings): void {
  const { cadence, cadenceKey, startedAt } = settings;
  if (cadence !== undefined && (typeof cadence !== 'object' || cadence === null || typeof cadence.observe !== 'function' || typeof cadence.summary !== 'function')) {
    throw new TypeError('watchTask: option cadence must be a store from createCadence() or false');
  }
  if (cadenceKey !== undefined && typeof cadenceKey !== 'string') throw new TypeError('watchTask: option cadenceKey must be a string');
  if (startedAt !== undefined && (typeof startedAt !== 'number' || !Number.isFinite(startedAt))) {
    throw new RangeError(`watchTask: option startedAt must be a finite number (the scheduler's clock), got ${String(startedAt)}`);
  }
}

function checkDelay(name: string, value: number, min: number): void {
  checkRange(name, value, min, MAX_DELAY, ' ms');
}

function checkRange(name: string, value: number, min: number, max: number, unit = ''): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`watchTask: option ${name} must be a finite number from ${min}${unit} to ${max}${unit}, got ${String(value)}`);
  }
}

function checkInteger(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`watchTask: option ${name} must be a whole number of at least ${min}, got ${String(value)}`);
  }
}
