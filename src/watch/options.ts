/**
 * Options of a watch, as its users write them, and what it reports back (`onAttempt`, `onSchedule`).
 * Their defaults and checks are in `settings.ts`.
 *
 * @module
 */
import type { SchedulerLike } from 'rxjs';
import type { Cadence } from '../cadence/createCadence.js';
import type { RunwareError } from '../errors/RunwareError.js';
import type { GenerationErrorEvent, SuccessEvent } from '../events/events.js';
import type { PushSource } from '../push/PushSource.js';
import type { SharedHub } from '../push/SharedHub.js';
import type { ConnectionOptions } from '../transport/transportFor.js';

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
  /** Delay before the first poll. With a learned cadence the first poll goes where the learned durations put it, never sooner; `0` polls at once whatever was learned. @defaultValue 1000 */
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
   * Called each time the watch decides when its next poll goes out: the delay and why (`learned` when
   * the cadence placed it, `safety-net-learned` when it placed a safety-net poll of a watch with push). For a progress line ("next poll in 12 s"). Called synchronously; an
   * exception thrown here ends the watch.
   */
  readonly onSchedule?: (next: ScheduledPoll) => void;
  /**
   * The learned schedule: with a store of learned durations (`createCadence()`) and the task's key in
   * it (`cadenceKey(task)`), the gaps between polls come from what the store learned of that key's
   * generations, and the watch teaches it the durations it sees. Without history for the key the
   * schedule is exactly the backoff above. `false` (or absent): no learned schedule. Only a watch
   * given a store carries the learned schedule's code.
   */
  readonly cadence?: CadenceOption | false;
  /**
   * Where pushed replies come from (a webhook receiver of `runware-rx/server`, or any {@link PushSource}),
   * alone or with the safety net's settings: its bodies for this task are decoded and reconciled like
   * polled replies, and polling becomes a sparse safety net (`pollDelay`, then every `pollInterval`).
   * With a learned cadence for the task, the safety-net polls go where 90 % and then 99 % of such tasks
   * have finished, as learned when the watch starts (reason `safety-net-learned`), at most
   * `pollInterval` and at least `pollFloor` apart, and the pushes teach the cadence when each
   * generation finished. A body that does not decode is ignored.
   */
  readonly push?: PushSource | PushOption;
  /**
   * A hub shared by the instances of a service (`createRedisHub` of `runware-rx/redis`, or any
   * {@link SharedHub}): the watch reads the task's bodies from it (webhooks received by any instance,
   * replies polled by any instance) instead of `push`, and publishes the polled replies that tell it
   * something new, with when they were polled, so that every instance's cadence learns the same
   * interval. Only the instance holding the task's polling lease polls it (at its own cadence, or
   * the safety net's with `push`); the others do not poll at all (reason `following`) and take over at
   * once when the lease comes to them (its holder stopped watching or died). Until the lease first
   * answers the watch polls as the safety net; while the hub is unreachable the lease says `true` and
   * every instance polls on its own. With `push` too, `push` only gives the webhook URL and the safety
   * net's settings, and its receiver must publish to this hub (`createWebhookReceiver({ pushHub })`).
   */
  readonly sharedHub?: SharedHub;
  /**
   * Generations the app already has (the terminal events of an earlier watch of this task, as a task
   * store recorded them): the watch starts knowing them, emits nothing for them again, and gives the
   * generations it finds new the indices these left free. `client.resume()` passes what its store holds.
   */
  readonly delivered?: ReadonlyArray<SuccessEvent | GenerationErrorEvent>;
}

/**
 * The `cadence` option: a store, the task's key in it, and when the task started. The learned schedule
 * needs the store and the key; a client's watches take the client's store where they name none, and
 * `run` the task's key (`cadenceKey(task)`).
 */
export interface CadenceOption {
  /** The store of learned durations (`createCadence()`), shared by the watches that learn together. Needed outside a client. */
  readonly store?: Cadence;
  /** Which of the store's learned durations this task's generations share (see `cadenceKey()`). Without it the watch neither plans from the store nor teaches it. */
  readonly key?: string;
  /**
   * When the task was submitted, on the scheduler's clock (epoch milliseconds for the default scheduler).
   * The learned schedule counts a task's age from it. Without it the watch takes its own start as the
   * task's: right for a watch begun at submission, as `run`'s is; for an older task a watch without
   * `startedAt` would teach the store durations that are too short, so give it or leave `cadence` out.
   */
  readonly startedAt?: number;
}

/** The `push` option with the safety net's settings. All durations are milliseconds. */
export interface PushOption {
  /**
   * Where the task's pushed bodies come from. Left out, only the safety net's settings are given: for
   * a watch with a `sharedHub` alone, which polls as the safety net until its lease first answers.
   */
  readonly source?: PushSource;
  /** Delay before the first (safety-net) poll, instead of `initialDelay`. @defaultValue 60000 */
  readonly pollDelay?: number;
  /** Gap between safety-net polls after a reply, jittered like every gap; also the longest learned gap. @defaultValue 120000 */
  readonly pollInterval?: number;
  /** With a learned cadence: the shortest gap before a safety-net poll placed by the learned durations. @defaultValue 10000, or `pollInterval` if shorter */
  readonly pollFloor?: number;
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
  /** `initial`: the initial delay (`push.pollDelay` with push); `backoff`: the schedule after a reply; `learned`: the learned cadence's gap after a reply (`cadence`); `safety-net`: `push.pollInterval` after a reply, with push; `safety-net-learned`: with push and a learned cadence, the gap to where 90 % or 99 % of such tasks have finished (the first poll's too); `takeover`: at once, the `sharedHub`'s lease just came to this instance; `following`: not before the deadline, the `sharedHub`'s lease is another instance's (the wait ends when the lease comes here); `retry`: the schedule after a failure; `retry-after`: the server's Retry-After, longer than the schedule. */
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

