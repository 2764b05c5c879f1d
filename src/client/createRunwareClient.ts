/**
 * `createRunwareClient`: submit tasks and watch many of them over one shared, polite connection.
 *
 * @module
 */
import { asyncScheduler, concat, defer, EMPTY, from, mergeMap, Observable, Subscription, take, throwError, type SchedulerLike } from 'rxjs';
import { cadenceKey } from '../cadence/cadenceKey.js';
import { createCadence, type Cadence } from '../cadence/createCadence.js';
import type { GenerationEvent } from '../events/events.js';
import type { CadenceOption, ClientWatchOptions } from '../watch/options.js';
import { resolveWatchSettings, type WatchSettings } from '../watch/settings.js';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareValidationError } from '../errors/RunwareValidationError.js';
import { checkWholeNumber } from '../errors/checkWholeNumber.js';
import { assertTaskUUID, isTaskUUID, randomTaskUUID } from '../protocol/taskUUID.js';
import { createMemoryTaskStore } from '../store/createMemoryTaskStore.js';
import { requestFingerprint } from '../store/requestFingerprint.js';
import { answerOf } from '../store/storeAnswer.js';
import type { TaskRecord, TaskStore } from '../store/TaskStore.js';
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
import { recordDeliveries } from './recordDeliveries.js';
import { endingUnknown, resumedWatchOptions } from './resumedWatch.js';
import { shareLearning } from './sharedLearning.js';
import { submitForReply, submitWithTransport, type Ack, type WireTask } from './submitTask.js';
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
  /**
   * Where `run` records each task before sending it and each generation as it delivers it, and where
   * `resume` finds what is left: `createFileTaskStore(path)` (`runware-rx/server`), `createRedisTaskStore`
   * (`runware-rx/redis`) or any {@link TaskStore}. The client's learned durations are kept there too
   * (unless `cadence: false`), so a new process starts with what the earlier ones learned.
   * @defaultValue a memory store that forgets a task when it ends (`resume` then finishes, within this process, what a failed watch left)
   */
  readonly store?: TaskStore;
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
   * of its task type (a video is first polled 3 s after the ack: RUN_WATCH_DEFAULTS), on the schedule the client's cadence learned
   * for tasks like it (`cadenceKey(task)`). `options` override all three. With `push` (the client's or
   * the call's), a task without its own `webhookURL` is submitted with `webhookURL: push.urlFor(taskUUID)`
   * and its events come from pushes and sparse safety-net polls.
   */
  run<K extends string>(task: RunwareTask<K>, options?: ClientWatchOptions): Observable<GenerationEvent>;
  /**
   * Watches every task the store holds as unfinished (recorded by this process or one before it) and
   * emits the generations not delivered yet; never submits anything. Each task is polled at once, then
   * on the schedule learned from its original submission; a task Runware does not know (recorded, but the
   * process died before it was sent; or expired) ends with an error event per generation left, with
   * Runware's code. Completes when every task has ended; if some watch failed, errors with the first
   * failure once the others have ended (the failed task stays unfinished in the store). Tasks this client
   * is watching already are left to their watch. `options` override the client's defaults.
   */
  resume(options?: ClientWatchOptions): Observable<GenerationEvent>;
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
  const uuid = options.uuid ?? randomTaskUUID;
  if (typeof uuid !== 'function') throw new TypeError('createRunwareClient: option uuid must be a function returning a UUID');
  const store = options.store ?? createMemoryTaskStore({ retention: 0, scheduler });
  checkStore(store);
  const ownCadence = options.cadence === false ? false : (options.cadence?.store ?? createCadence());
  // Learned durations go through a store the app gave (a file, Redis): the default one would only echo them.
  const learning = ownCadence === false || options.store === undefined ? undefined : shareLearning(ownCadence, store, uuid(), scheduler);
  const cadence = learning?.cadence ?? ownCadence;
  /** The client's `cadence` option with the store its watches use (the recording one, with a task store). */
  const clientCadence: ClientWatchOptions['cadence'] = cadence === false ? false : { ...(options.cadence === undefined ? {} : options.cadence), store: cadence };
  // The options are the watches' defaults as they are: the watch settings read the watch options, the
  // transport the connection options, each by its own names, so no list of keys splits them.
  const clientSettings = resolveWatchSettings({ ...options, cadence: clientCadence, scheduler });
  const submitRetries = options.submitRetries ?? 0;
  checkWholeNumber('createRunwareClient', 'submitRetries', submitRetries, 0);

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
    if (callOptions !== undefined) return resolveWatchSettings({ ...typeDefaults, ...options, ...callOptions, cadence: withStore(callOptions.cadence ?? clientCadence, cadence), scheduler });
    if (taskType === undefined || typeDefaults === undefined) return clientSettings;
    const shared = sharedSettings.get(taskType) ?? resolveWatchSettings({ ...typeDefaults, ...options, cadence: clientCadence, scheduler });
    sharedSettings.set(taskType, shared);
    return shared;
  };

  const submitSettings = { ...clientSettings, submitRetries, uuid };
  const submit = <K extends string>(task: RunwareTask<K>): Observable<Ack> => submitWithTransport(task, limited, submitSettings);
  /** Tasks this client watches with their deliveries recorded (lower case): `resume` leaves them be. */
  const watching = new Set<string>();
  /** `then`, once what the store learned from other processes is read (at most once a minute). */
  const afterRefresh = <T>(then: Observable<T>): Observable<T> => (learning === undefined ? then : followedBy(defer(() => learning.refresh()), () => then));

  /** Records a task about to be sent. */
  const recordTask = (wire: WireTask, numberResults: number, cadenceKey: string | undefined): Observable<void> =>
    answerOf(store.recordTask({ taskUUID: wire.taskUUID, taskType: wire.taskType, model: typeof wire['model'] === 'string' ? wire['model'] : undefined, numberResults, cadenceKey, fingerprint: requestFingerprint(wire), submittedAt: scheduler.now() }));
  /** A recorded task watched again: see `resume`. */
  const resumed = (record: TaskRecord, callOptions: ClientWatchOptions | undefined): Observable<GenerationEvent> => {
    if (record.endedAt !== undefined || record.delivered.length >= record.numberResults) {
      return record.endedAt === undefined ? answerOf(store.recordEnd(record.taskUUID, scheduler.now())).pipe(mergeMap(() => EMPTY)) : EMPTY;
    }
    const { polls, settings } = pollsOf(settingsFor(resumedWatchOptions(record, callOptions, options), record.taskType));
    const watch = endingUnknown(watchWithTransport(record.taskUUID, polls, settings, record.numberResults, record.cadenceKey), record);
    return recordDeliveries(watch, record.taskUUID, store, scheduler, watching);
  };

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
      const own = (task as { taskUUID?: unknown }).taskUUID;
      /** The task sent and watched, recorded in the store before it is sent and as its generations are delivered. */
      const fresh = (): Observable<GenerationEvent> =>
        new Observable<GenerationEvent>((subscriber) =>
          // Cold like submit: nothing is sent before subscription. Hand-made rather than `concatMap`, whose
          // subscribers would stay alive beside the watch for its whole life (about 0.7 KB per watch): once the
          // ack is in, the recorded watch is subscribed with the caller's subscriber and nothing else remains.
          submitForReply(withWebhook(task, settings.push, uuid), limited, submitSettings, (wire) => recordTask(wire, numberResults, key)).subscribe({
            next: ({ ack, reply }) => {
              answerOf(store.recordAck(ack.taskUUID)).subscribe({ error: (error: unknown) => subscriber.error(error) });
              // Results the submit reply already holds come first (recorded as delivered like the watch's); the watch goes on from there.
              let early: ReturnType<typeof ackResults>;
              try {
                early = ackResults(ack.taskUUID, reply, settings, numberResults);
              } catch (error) {
                return subscriber.error(error); // the reply decoded as an ack, so only a bug of ours lands here
              }
              const watch = early === undefined ? watchWithTransport(ack.taskUUID, polls, settings, numberResults, key) : concat(from(early.events), isSettled(early.state, numberResults) ? EMPTY : watchWithTransport(ack.taskUUID, polls, settings, numberResults, key, early.state));
              recordDeliveries(watch, ack.taskUUID, store, scheduler, watching).subscribe(subscriber);
            },
            error: (error: unknown) => {
              // Refused: Runware created nothing, so nothing is left to resume. Any other failure may hide a
              // created task (a lost ack): it stays unfinished, and a resume polls it.
              const taskUUID = (error as { taskUUID?: unknown }).taskUUID;
              if (!(error instanceof RunwareApiError) || error.retryable || typeof taskUUID !== 'string') return subscriber.error(error);
              answerOf(store.recordEnd(taskUUID, scheduler.now())).subscribe({ complete: () => subscriber.error(error), error: () => subscriber.error(error) });
            },
          }),
        );
      // A task with its own taskUUID may be in the store already (the app runs it again after a restart):
      // then it is not sent again, only watched for what was not delivered yet, if it is the same request.
      const run = typeof own === 'string' && isTaskUUID(own)
        ? followedBy(defer(() => answerOf(store.task(own))), (record) => (record === undefined ? fresh() : sameRequest(record, task) ? resumed(record, callOptions) : refused(record)))
        : fresh();
      return afterRefresh(run);
    },
    resume: (callOptions) =>
      afterRefresh(
        defer(() => answerOf(store.unfinished())).pipe(
          mergeMap((records) => allSettled(records.filter((record) => !watching.has(record.taskUUID.toLowerCase())).map((record) => resumed(record, callOptions)))),
        ),
      ),
    getResponse: (taskUUID) => {
      assertTaskUUID(taskUUID, 'client.getResponse');
      const { polls, settings } = pollsOf(clientSettings);
      return getResponseOnce(taskUUID, polls, settings);
    },
  };
  return Object.freeze(client);
}

/**
 * The stream `next` makes of `first`'s value, subscribed with the caller's subscriber once `first` has
 * emitted: hand-made rather than `concatMap`, whose subscribers would stay alive beside a watch for its
 * whole life (see `run`). `first` errors pass through.
 */
function followedBy<A, T>(first: Observable<A>, next: (value: A) => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) =>
    first.pipe(take(1)).subscribe({
      next: (value) => void next(value).subscribe(subscriber),
      error: (error: unknown) => subscriber.error(error),
    }),
  );
}

/** True when `task` is the request `record` was recorded for (its fingerprint, the taskUUID and delivery aside). */
function sameRequest(record: TaskRecord, task: object): boolean {
  return requestFingerprint(task as Record<string, unknown>) === record.fingerprint;
}

/** The error of a run whose taskUUID the store holds for another request: nothing is sent, nothing reused. */
function refused(record: TaskRecord): Observable<never> {
  return throwError(
    () =>
      new RunwareValidationError({
        taskType: record.taskType,
        issues: [`taskUUID: ${record.taskUUID} is recorded in the task store for another request (fingerprint ${record.fingerprint}); its results would not answer this one: run it under a new taskUUID`],
        taskUUID: record.taskUUID,
      }),
  );
}

/**
 * The watches merged; an error of one waits until the others have ended, and then the first error ends
 * the stream (one task's failure does not stop the others' deliveries).
 */
function allSettled<T>(watches: ReadonlyArray<Observable<T>>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let pending = watches.length;
    let failure: { readonly error: unknown } | undefined;
    const ended = (): void => {
      pending -= 1;
      if (pending > 0) return;
      if (failure === undefined) subscriber.complete();
      else subscriber.error(failure.error);
    };
    if (pending === 0) subscriber.complete();
    const subscription = new Subscription();
    for (const watch of watches) {
      subscription.add(
        watch.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            failure ??= { error };
            ended();
          },
          complete: ended,
        }),
      );
    }
    return subscription;
  });
}

/** Throws a TypeError at `createRunwareClient` for a store that is not a {@link TaskStore}. */
function checkStore(store: unknown): asserts store is TaskStore {
  const methods = ['recordTask', 'recordAck', 'recordDelivery', 'recordEnd', 'task', 'unfinished', 'recordLearned', 'learnedSince'] as const;
  const missing = methods.filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
  if (typeof store !== 'object' || store === null || missing.length > 0) throw new TypeError(`createRunwareClient: option store must be a task store (createFileTaskStore, createRedisTaskStore or a TaskStore), missing ${missing.join(', ')}`);
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
