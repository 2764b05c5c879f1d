/**
 * `createRunwareClient`: submit tasks and watch many of them over one shared, polite connection.
 *
 * @module
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { cadenceKey } from '../cadence/cadenceKey.js';
import { createCadence, type Cadence } from '../cadence/createCadence.js';
import type { GenerationEvent } from '../events/events.js';
import type { CadenceOption, ClientWatchOptions } from '../watch/options.js';
import { resolveWatchSettings, type WatchSettings } from '../watch/settings.js';
import { assertTaskUUID, randomTaskUUID } from '../protocol/taskUUID.js';
import type { PushSource } from '../push/PushSource.js';
import type { Transport } from '../transport/Transport.js';
import { transportFor, type ConnectionOptions } from '../transport/transportFor.js';
import { isSettled } from '../watch/reconcile.js';
import { watchWithTransport } from '../watch/watchTask.js';
import { batchGetResponses, type BatchOptions } from './batchGetResponses.js';
import { getResponseOnce, type TaskSnapshot } from './getResponseOnce.js';
import { limitConcurrency } from './limitConcurrency.js';
import { RUN_WATCH_DEFAULTS } from './runWatchDefaults.js';
import { ackResults } from './ackResults.js';
import { submitForReply, submitWithTransport, type Ack } from './submitTask.js';
import type { RunwareTask } from './tasks/RunwareTask.js';

/** Every option of {@link createRunwareClient}; the watch options are the defaults of its watches. All durations are milliseconds. */
export interface RunwareClientOptions extends ConnectionOptions, ClientWatchOptions {
  /**
   * Scheduler for every delay and clock read of the client (watches, batching window, submit retries).
   * @defaultValue `asyncScheduler`
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Coalesce the `getResponse` polls of this client's watches: `true` for the defaults
   * (`{ maxTasks: 100, window: 1000 }`), or the options. Off by default: that Runware answers several
   * getResponse tasks in one request is not yet confirmed against the live service (docs/client.md).
   * @defaultValue false
   */
  readonly batch?: boolean | BatchOptions;
  /**
   * Most HTTP requests in flight at once across all watches, submits and snapshots of this client;
   * the others wait their turn (the wait counts towards `requestTimeout`). `Infinity` for no limit.
   * @defaultValue 16 (thousands of unbatched watches stay on a handful of sockets)
   */
  readonly concurrency?: number;
  /**
   * Transient failures (429, 5xx, network, timeout, unreadable ack) after which a submit is sent again
   * with the same taskUUID. Safe only if Runware deduplicates a resubmitted taskUUID, which no source
   * confirms: a lost ack may mean the task was created, and a resend could create (and bill) it twice.
   * @defaultValue 0 (never resend; the error carries the taskUUID so the task can still be watched)
   */
  readonly submitRetries?: number;
  /**
   * The learned schedule of the client's watches: `{ store }` names the store of learned durations they
   * share (`createCadence({ from })`, to share it between clients or keep it across restarts with
   * `store.snapshot()`); `run` schedules every task by what it learned of tasks like it
   * (`cadenceKey(task)`), and teaches it; `watchTask` does when given `cadence: { key }`. `false` for
   * the plain backoff.
   * @defaultValue a new store per client
   */
  readonly cadence?: CadenceOption | false;
  /**
   * Draws the taskUUID of a submitted task that has none. Must return a UUID.
   * @defaultValue a UUID v4 from `crypto.randomUUID`
   */
  readonly uuid?: () => string;
}

/** What {@link createRunwareClient} returns. Every method is cold: nothing is sent before subscription. */
export interface RunwareClient {
  /**
   * Exactly `watchTask` over this client's connection; `options` override the client's defaults. Throws
   * like `watchTask` at call. The task's age and kind are unknown here, so the watch neither plans from
   * the client's cadence nor teaches it, unless `options.cadence.key` says what the task is (its age then
   * counts from `options.cadence.startedAt`, or from this call's subscription).
   */
  watchTask(taskUUID: string, options?: ClientWatchOptions): Observable<GenerationEvent>;
  /**
   * Sends the task with `deliveryMethod: "async"` (and a fresh UUID v4 taskUUID when absent) and emits
   * the ack once. A validation error from Runware errors with `RunwareApiError` (code, parameter),
   * never retried; an invalid task errors with `RunwareValidationError` and nothing is sent.
   */
  submit<K extends string>(task: RunwareTask<K>): Observable<Ack>;
  /**
   * Submits, then watches with `numberResults` taken from the task (default 1) and the watch defaults
   * of its task type (a video is first polled after 20 s), on the schedule the client's cadence learned
   * for tasks like it (`cadenceKey(task)`). `options` override all three. With `push` (the client's or
   * the call's), a task without its own `webhookURL` is submitted with `webhookURL: push.urlFor(taskUUID)`
   * and its events come from pushes and sparse safety-net polls.
   */
  run<K extends string>(task: RunwareTask<K>, options?: ClientWatchOptions): Observable<GenerationEvent>;
  /** One decoded poll: the task as one `getResponse` reply shows it. Throws a TypeError at call for a taskUUID that is not a UUID. */
  getResponse(taskUUID: string): Observable<TaskSnapshot>;
}

/**
 * Creates a client: one connection (with its API key held in closures only), one request limit, and
 * optionally one poll batcher, shared by every watch, submit and snapshot made through it.
 *
 * Throws at call, before any request, for a bad option or a missing API key (unless a `transport` is
 * given).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { lastValueFrom, merge, toArray } from 'rxjs';
 * import { createRunwareClient, imageInference } from 'runware-rx';
 * import { startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator({ timeScale: 100 }); // an image takes 10 to 60 ms
 * try {
 *   // Against Runware: createRunwareClient({ batch: true }), the API key from RUNWARE_API_KEY.
 *   const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, batch: { window: 20 }, initialDelay: 50 });
 *   const prompts = ['a lighthouse at dusk', 'a fox in snow', 'a paper boat'];
 *   const runs = prompts.map((positivePrompt) => client.run(imageInference({ model: 'runware:101@1', positivePrompt })));
 *   const events = await lastValueFrom(merge(...runs).pipe(toArray()));
 *   assert.equal(events.filter((event) => event.status === 'success').length, 3);
 *   const { requests, polls } = simulator.stats();
 *   console.log(`3 submits, then ${polls} polls in ${requests - 3} requests`); // the three watches' polls travel together
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export function createRunwareClient(options: RunwareClientOptions = {}): RunwareClient {
  const scheduler = options.scheduler ?? asyncScheduler;
  const store = options.cadence === false ? false : (options.cadence?.store ?? createCadence());
  // The options are the watches' defaults as they are: the watch settings read the watch options, the
  // transport the connection options, each by its own names, so no list of keys splits them.
  const clientSettings = resolveWatchSettings({ ...options, cadence: withStore(options.cadence, store), scheduler });
  const submitRetries = options.submitRetries ?? 0;
  if (!Number.isSafeInteger(submitRetries) || submitRetries < 0) {
    throw new RangeError(`createRunwareClient: option submitRetries must be a whole number of at least 0, got ${String(submitRetries)}`);
  }
  const uuid = options.uuid ?? randomTaskUUID;
  if (typeof uuid !== 'function') throw new TypeError('createRunwareClient: option uuid must be a function returning a UUID');

  const limited = limitConcurrency(transportFor(options), options.concurrency ?? 16);
  const batch = options.batch ?? false;
  if (typeof batch !== 'boolean' && (typeof batch !== 'object' || batch === null)) {
    throw new TypeError(`createRunwareClient: option batch must be true, false or { maxTasks?, window? }, got ${typeof batch}`);
  }
  const batcher = batch === false ? undefined : batchGetResponses(limited, { ...(batch === true ? {} : batch), scheduler });
  // A batched poll's request timeout is the batcher's, counted from the batch's send; the watch's own
  // timer also covers the wait in the window, so it only backs the batcher's up.
  const inWindow = new WeakMap<WatchSettings, WatchSettings>();
  const pollsOf = (settings: WatchSettings): { readonly polls: Transport; readonly settings: WatchSettings } => {
    if (batcher === undefined) return { polls: limited, settings };
    const widened = inWindow.get(settings) ?? { ...settings, requestTimeout: settings.requestTimeout + batcher.window };
    inWindow.set(settings, widened);
    return { polls: batcher.transport(settings.requestTimeout), settings: widened };
  };

  // Watches without options of their own share one settings object per task type instead of resolving
  // (and holding) a copy each: a live watch keeps its settings, and thousands of watches are the point.
  const sharedSettings = new Map<string, WatchSettings>();
  const settingsFor = (callOptions: ClientWatchOptions | undefined, taskType?: string): WatchSettings => {
    const typeDefaults = taskType === undefined ? undefined : RUN_WATCH_DEFAULTS[taskType];
    if (callOptions !== undefined) return resolveWatchSettings({ ...typeDefaults, ...options, ...callOptions, cadence: withStore(callOptions.cadence ?? options.cadence, store), scheduler });
    if (taskType === undefined || typeDefaults === undefined) return clientSettings;
    const shared = sharedSettings.get(taskType) ?? resolveWatchSettings({ ...typeDefaults, ...options, cadence: withStore(options.cadence, store), scheduler });
    sharedSettings.set(taskType, shared);
    return shared;
  };

  const submitSettings = { ...clientSettings, submitRetries, uuid };
  const submit = <K extends string>(task: RunwareTask<K>): Observable<Ack> => submitWithTransport(task, limited, submitSettings);

  const client: RunwareClient = {
    watchTask: (taskUUID, callOptions) => {
      assertTaskUUID(taskUUID, 'client.watchTask');
      const { polls, settings } = pollsOf(settingsFor(callOptions));
      return watchWithTransport(taskUUID, polls, settings);
    },
    submit,
    run: (task, callOptions) => {
      const taskType = (task as { taskType?: unknown }).taskType;
      const { polls, settings } = pollsOf(settingsFor(callOptions, typeof taskType === 'string' && Object.hasOwn(RUN_WATCH_DEFAULTS, taskType) ? taskType : undefined));
      // The task's own count wins over client defaults (a watch expecting fewer would end too early); only an
      // explicit per-call option overrides it. It is checked by submit's validation of the task, before the ack.
      const numberResults = callOptions?.numberResults ?? (task as { numberResults?: number }).numberResults ?? 1;
      const key = settings.cadenceKey ?? (typeof taskType === 'string' ? cadenceKey({ ...task, taskType }) : undefined);
      const acked = settings.push === undefined ? submitForReply(task, limited, submitSettings) : undefined;
      // Cold like submit: nothing is sent before subscription. Hand-made rather than `concatMap`, whose
      // subscribers would stay alive beside the watch for its whole life (about 0.7 KB per watch): once the
      // ack is in, the watch is subscribed with the caller's subscriber itself and nothing else remains.
      return new Observable<GenerationEvent>((subscriber) =>
        (acked ?? submitForReply(withWebhook(task, settings.push, uuid), limited, submitSettings)).subscribe({
          next: ({ ack, reply }) => {
            // Results the submit reply already holds are emitted now; the watch goes on from there.
            let early: ReturnType<typeof ackResults>;
            try {
              early = ackResults(ack.taskUUID, reply, settings, numberResults);
            } catch (error) {
              return subscriber.error(error); // the reply decoded as an ack, so only a bug of ours lands here
            }
            for (const event of early?.events ?? []) subscriber.next(event);
            if (early !== undefined && isSettled(early.state, numberResults)) return subscriber.complete();
            watchWithTransport(ack.taskUUID, polls, settings, numberResults, key, early?.state).subscribe(subscriber);
          },
          error: (error: unknown) => subscriber.error(error),
        }),
      );
    },
    getResponse: (taskUUID) => {
      assertTaskUUID(taskUUID, 'client.getResponse');
      const { polls, settings } = pollsOf(clientSettings);
      return getResponseOnce(taskUUID, polls, settings);
    },
  };
  return Object.freeze(client);
}

/** The task with the push source's `webhookURL` (and a taskUUID drawn now, which the URL is bound to), unless it has its own. */
function withWebhook<K extends string>(task: RunwareTask<K>, push: PushSource | undefined, uuid: () => string): RunwareTask<K> {
  const own = task as { taskUUID?: unknown; webhookURL?: unknown };
  if (push === undefined || (own.webhookURL !== undefined && own.webhookURL !== null)) return task;
  const taskUUID = typeof own.taskUUID === 'string' ? own.taskUUID : uuid();
  return { ...task, taskUUID, webhookURL: push.urlFor(taskUUID) };
}

/** A watch's `cadence` option with the client's store where it names none; `false` without a store. */
function withStore(cadence: ClientWatchOptions['cadence'], store: Cadence | false): ClientWatchOptions['cadence'] {
  if (cadence === false) return false;
  const chosen = cadence?.store ?? store;
  return chosen === false ? false : { ...cadence, store: chosen };
}
