/**
 * Poll coalescing: the `getResponse` polls of many watches, sent as one request.
 *
 * @module
 */
import { defer, Observable, Subscription, timer, type SchedulerLike, type Subscriber } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { checkWholeNumber } from '../errors/checkWholeNumber.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { Transport } from '../transport/Transport.js';
import { bindError } from '../errors/bindError.js';

/** How polls are coalesced. All durations are milliseconds. */
export interface BatchOptions {
  /**
   * Most `getResponse` tasks in one request; a batch that reaches it goes out at once.
   * @defaultValue 100 (a request body of about 8 KB; Runware documents no limit)
   */
  readonly maxTasks?: number;
  /**
   * How long the first poll of a batch waits for others to join it. Every poll is delayed by at most
   * this much, so it adds at most `window` ms of notification lag. The wait does not count towards
   * `requestTimeout`, which starts when the batch is sent.
   * @defaultValue 1000 (a tenth of the 10 s poll cap: at 1000 watches a batch fills to ~100 tasks; see docs/client.md)
   */
  readonly window?: number;
}

/** The defaults of {@link BatchOptions}. */
export const DEFAULT_BATCH_OPTIONS: Required<BatchOptions> = Object.freeze({ maxTasks: 100, window: 1000 });

/** The poll batcher of a client: one queue, shared by every watch. */
export interface PollBatcher {
  /**
   * The transport a watch polls through. Its single-task `getResponse` requests join the queue; each
   * fails with a `RunwareHttpError` timeout when its batch got no reply `requestTimeout` ms after the
   * batch was **sent** (the time spent waiting in the window does not count). Without `requestTimeout`,
   * the batcher sets no timer of its own. Any other request passes straight through.
   */
  readonly transport: (requestTimeout?: number) => Transport;
  /** The longest a poll waits in the window before it is sent, in ms. */
  readonly window: number;
}

/**
 * Refusals of the request itself, whatever tasks it holds (key, balance, permission: HTTP 401, 402, 403
 * in Runware's status table): polling each task alone would only be refused again, so every poll fails.
 */
const REQUEST_WIDE: ReadonlySet<number> = new Set([401, 402, 403]);

/** One poll waiting for its share of a reply. */
interface Waiter {
  /** As the watch spells it: errors are bound to this spelling. */
  readonly taskUUID: string;
  /** Lower case: Runware's UUIDs match regardless of case. */
  readonly key: string;
  readonly requestTimeout: number | undefined;
  readonly subscriber: Subscriber<unknown>;
  stage: 'pending' | Flight | 'done';
}

/** One request in flight and the polls still waiting for it. */
interface Flight {
  readonly waiters: Set<Waiter>;
  /** The request and its timers. */
  readonly subscription: Subscription;
}

/**
 * Queues the single-task `getResponse` requests of watches (what a watch sends) and sends them together:
 * a batch goes out `window` ms after its first poll was queued, or as soon as it holds `maxTasks` polls.
 * Task UUIDs are matched regardless of case; two polls of one task share one getResponse entry.
 *
 * Each poll receives a reply envelope of its own, holding only the `data[]` and `errors[]` items of its
 * task, plus `errors[]` items that name no task. A reply that is not an envelope reaches every poll
 * unchanged, so each watch reports the decode error itself.
 *
 * One task must not sink the others (Runware may refuse a whole request for one bad task):
 * - a batch refused as a whole (a `RunwareApiError`: HTTP 4xx other than 401, 402 and 403, which refuse
 *   the key, the balance or the permission and so fail every poll) fails only the task its error names, if
 *   any; a task with items in the refused reply gets them (the error's `body`);
 *   every other task of the batch is polled again, alone, and gets that reply;
 * - a reply that carries errors (request-level, or scoped to some tasks) gives a task with no item of its
 *   own the same second chance: polled again alone, rather than handed an empty or foreign share;
 * - a transient failure (429, 5xx, network, timeout) fails every poll with the error bound to its own task
 *   (`error.forTask(taskUUID)`), which each watch retries as it would its own failed request.
 *
 * A poll unsubscribed while queued leaves the batch; one unsubscribed while its batch is in flight ignores
 * the reply, and the request is aborted when no poll waits for it any more.
 */
export function batchGetResponses(transport: Transport, options: BatchOptions & { readonly scheduler: SchedulerLike }): PollBatcher {
  const maxTasks = options.maxTasks ?? DEFAULT_BATCH_OPTIONS.maxTasks;
  const window = options.window ?? DEFAULT_BATCH_OPTIONS.window;
  checkBatchOptions(maxTasks, window);
  const { scheduler } = options;
  let pending = new Set<Waiter>();
  let flushTimer: Subscription | undefined;

  /** Takes `waiters` out of their flight (they are answered now) and aborts the request once none is left. */
  const release = (flight: Flight, waiters: Iterable<Waiter>): Waiter[] => {
    const released = [...waiters].filter((waiter) => waiter.stage === flight);
    for (const waiter of released) {
      flight.waiters.delete(waiter);
      waiter.stage = 'done';
    }
    if (flight.waiters.size === 0) flight.subscription.unsubscribe();
    return released;
  };
  const fail = (flight: Flight, waiters: Iterable<Waiter>, error: unknown): void => {
    for (const waiter of release(flight, waiters)) waiter.subscriber.error(bindError(error, waiter.taskUUID));
  };
  const answer = (flight: Flight, waiters: Iterable<Waiter>, reply: unknown): void => {
    for (const waiter of release(flight, waiters)) {
      waiter.subscriber.next(reply);
      waiter.subscriber.complete();
    }
  };

  /** Sends one request for `waiters`; a request for a single task is never split further. */
  const send = (waiters: ReadonlySet<Waiter>): void => {
    const flight: Flight = { waiters: new Set(waiters), subscription: new Subscription() };
    const groups = groupByKey(waiters);
    for (const waiter of waiters) waiter.stage = flight;
    /** A second chance for the tasks a batch reply left without an answer of their own. */
    const pollAlone = (keys: ReadonlyArray<string>): void => {
      for (const key of keys) {
        const group = release(flight, groups.get(key) ?? []);
        if (group.length > 0) send(new Set(group));
      }
    };
    const split = groups.size > 1;
    // Timers first, then the request: both count from the moment it is sent.
    for (const requestTimeout of new Set([...waiters].map((waiter) => waiter.requestTimeout))) {
      if (requestTimeout === undefined) continue;
      const timedOut = [...waiters].filter((waiter) => waiter.requestTimeout === requestTimeout);
      flight.subscription.add(timer(requestTimeout, scheduler).subscribe(() => fail(flight, timedOut, new RunwareHttpError({ failure: 'timeout' }))));
    }
    const tasks = [...groups.values()].map((group) => ({ taskType: 'getResponse', taskUUID: group[0]?.taskUUID }));
    flight.subscription.add(
      defer(() => transport(tasks)).subscribe({
        next: (body) => {
          const reply = readBatchReply(body);
          if (reply === undefined) return answer(flight, flight.waiters, body);
          const alone = split && reply.hasErrors ? [...groups.keys()].filter((key) => !reply.owns(key)) : [];
          pollAlone(alone);
          for (const [key, group] of groups) answer(flight, group, reply.shareOf(key));
        },
        error: (error: unknown) => {
          if (!split || !(error instanceof RunwareApiError) || REQUEST_WIDE.has(error.status ?? 0)) return fail(flight, flight.waiters, error);
          // Refused as a whole: the task the error names ends with it; a task with items of its own in the
          // refused reply (the error's `body`) gets them; the others are asked alone.
          const named = typeof error.wire?.['taskUUID'] === 'string' ? error.wire['taskUUID'].toLowerCase() : undefined;
          const kept = readBatchReply(error.body);
          fail(flight, groups.get(named ?? '') ?? [], error);
          pollAlone([...groups.keys()].filter((key) => key !== named && kept?.owns(key) !== true));
          for (const [key, group] of groups) if (kept !== undefined) answer(flight, group, kept.shareOf(key));
        },
        // No reply at all: each watch reports it as it would for its own request.
        complete: () => {
          for (const waiter of release(flight, flight.waiters)) waiter.subscriber.complete();
        },
      }),
    );
  };

  const flush = (): void => {
    flushTimer?.unsubscribe();
    flushTimer = undefined;
    const waiters = pending;
    pending = new Set();
    if (waiters.size > 0) send(waiters);
  };

  const enqueue = (taskUUID: string, requestTimeout: number | undefined): Observable<unknown> =>
    new Observable<unknown>((subscriber) => {
      const waiter: Waiter = { taskUUID, key: taskUUID.toLowerCase(), requestTimeout, subscriber, stage: 'pending' };
      pending.add(waiter);
      if (pending.size >= maxTasks) flush();
      else if (flushTimer === undefined) flushTimer = timer(window, scheduler).subscribe(flush);
      return () => {
        const { stage } = waiter;
        waiter.stage = 'done';
        if (stage === 'pending') {
          pending.delete(waiter);
          if (pending.size === 0) {
            flushTimer?.unsubscribe();
            flushTimer = undefined;
          }
        } else if (stage !== 'done') {
          stage.waiters.delete(waiter);
          if (stage.waiters.size === 0) stage.subscription.unsubscribe();
        }
      };
    });

  // One transport per distinct timeout, not one per watch: thousands of watches share a handful.
  const transports = new Map<number | undefined, Transport>();
  return {
    window,
    transport: (requestTimeout) => {
      const known = transports.get(requestTimeout);
      if (known !== undefined) return known;
      const made: Transport = (tasks) => {
        const only = tasks.length === 1 ? tasks[0] : undefined;
        if (only !== undefined && only['taskType'] === 'getResponse' && typeof only['taskUUID'] === 'string') return enqueue(only['taskUUID'], requestTimeout);
        return transport(tasks);
      };
      transports.set(requestTimeout, made);
      return made;
    },
  };
}

/** Rejects batch options that would never flush or never batch. */
function checkBatchOptions(maxTasks: number, window: number): void {
  checkWholeNumber('createRunwareClient', 'batch.maxTasks', maxTasks, 1);
  if (typeof window !== 'number' || !Number.isFinite(window) || window < 0 || window > 60_000) {
    throw new RangeError(`createRunwareClient: option batch.window must be a finite number from 0 ms to 60000 ms, got ${String(window)}`);
  }
}

function groupByKey(waiters: Iterable<Waiter>): Map<string, Waiter[]> {
  const groups = new Map<string, Waiter[]>();
  for (const waiter of waiters) {
    const group = groups.get(waiter.key);
    if (group === undefined) groups.set(waiter.key, [waiter]);
    else group.push(waiter);
  }
  return groups;
}

/** A batch reply read once: each task's share, keyed by lower-case taskUUID. */
interface BatchReply {
  /** The envelope holding this task's items only (and the errors that name no task). */
  readonly shareOf: (key: string) => unknown;
  /** Whether the reply has an item (data or error) of this task. */
  readonly owns: (key: string) => boolean;
  /** Whether the reply carries any `errors[]` item (so it may have refused some tasks). */
  readonly hasErrors: boolean;
}

/**
 * Reads a batch reply, or undefined when it is not an envelope that can be split (not an object,
 * `data`/`errors` not arrays, or a data item without a task): every poll then gets it unchanged.
 * Items are grouped once (a batch of 100 tasks is read in one pass, not once per task); the order of a
 * task's items is kept, which reconciliation relies on.
 */
function readBatchReply(body: unknown): BatchReply | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if ((data !== undefined && !Array.isArray(data)) || (errors !== undefined && !Array.isArray(errors))) return undefined;
  if (data === undefined && errors === undefined) return undefined;
  const dataOf = data === undefined ? undefined : groupByTask(data);
  const errorsOf = errors === undefined ? undefined : groupByTask(errors);
  // A data item that names no task cannot be routed: the reply is malformed, and every watch reports it.
  if (dataOf !== undefined && dataOf.unrouted.length > 0) return undefined;
  const unscoped = errorsOf?.unrouted ?? [];
  return {
    hasErrors: errors !== undefined && errors.length > 0,
    owns: (key) => dataOf?.byTask.has(key) === true || errorsOf?.byTask.has(key) === true,
    shareOf: (key) => ({
      ...(dataOf === undefined ? {} : { data: dataOf.byTask.get(key) ?? [] }),
      ...(errorsOf === undefined ? {} : { errors: unscoped.length === 0 ? (errorsOf.byTask.get(key) ?? []) : (errors as unknown[]).filter((item) => keyOf(item) === undefined || keyOf(item) === key) }),
    }),
  };
}

/**
 * A function giving each task its share of a batch reply: its own `data[]` and `errors[]` items, plus the
 * errors that name no task. A body that cannot be split reaches every task unchanged.
 */
export function splitReply(body: unknown): (taskUUID: string) => unknown {
  const reply = readBatchReply(body);
  if (reply === undefined) return () => body;
  return (taskUUID) => reply.shareOf(taskUUID.toLowerCase());
}

function groupByTask(items: ReadonlyArray<unknown>): { byTask: Map<string, unknown[]>; unrouted: unknown[] } {
  const byTask = new Map<string, unknown[]>();
  const unrouted: unknown[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) {
      unrouted.push(item);
      continue;
    }
    const group = byTask.get(key);
    if (group === undefined) byTask.set(key, [item]);
    else group.push(item);
  }
  return { byTask, unrouted };
}

/** The lower-case taskUUID an item names, if any. */
function keyOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const taskUUID = (item as { taskUUID?: unknown }).taskUUID;
  return typeof taskUUID === 'string' ? taskUUID.toLowerCase() : undefined;
}
