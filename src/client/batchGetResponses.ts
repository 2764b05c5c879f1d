/**
 * Poll coalescing: the `getResponse` polls of many watches, sent as one request.
 *
 * @module
 */
import { defer, Observable, timer, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
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
   * this much, so it adds at most `window` ms of notification lag.
   * @defaultValue 1000 (a tenth of the 10 s poll cap: at 1000 watches a batch fills to ~100 tasks; see docs/client.md)
   */
  readonly window?: number;
}

/** The defaults of {@link BatchOptions}. */
export const DEFAULT_BATCH_OPTIONS: Required<BatchOptions> = Object.freeze({ maxTasks: 100, window: 1000 });

/** One poll waiting for its share of a reply. */
interface Waiter {
  readonly taskUUID: string;
  readonly subscriber: Subscriber<unknown>;
  stage: 'pending' | Flight | 'done';
}

/** One batch request in flight and the polls still waiting for it. */
interface Flight {
  readonly waiters: Set<Waiter>;
  subscription: Subscription | undefined;
}

/**
 * Wraps `transport` so that single-task `getResponse` requests (what a watch sends) are queued and sent
 * together: a batch goes out `window` ms after its first poll was queued, or as soon as it holds
 * `maxTasks` polls. Any other request (a submit, several tasks) passes straight through.
 *
 * Each poll receives a reply envelope of its own, holding only the `data[]` and `errors[]` items of its
 * task, plus `errors[]` items that name no task (those concern the whole request, so every poll sees
 * them). A reply that is not an envelope reaches every poll unchanged, so each watch reports the decode
 * error itself. A failed batch request fails every poll in it with the same error bound to that poll's
 * task (`error.forTask(taskUUID)`): each watch then treats it as it would its own failed request
 * (retrying a transient one). A poll unsubscribed while queued leaves the batch; one unsubscribed while
 * its batch is in flight ignores the reply, and the request is aborted when no poll waits for it any more.
 */
export function batchGetResponses(transport: Transport, options: BatchOptions & { readonly scheduler: SchedulerLike }): Transport {
  const maxTasks = options.maxTasks ?? DEFAULT_BATCH_OPTIONS.maxTasks;
  const window = options.window ?? DEFAULT_BATCH_OPTIONS.window;
  checkBatchOptions(maxTasks, window);
  const { scheduler } = options;
  let pending = new Set<Waiter>();
  let flushTimer: Subscription | undefined;

  const flush = (): void => {
    flushTimer?.unsubscribe();
    flushTimer = undefined;
    const waiters = pending;
    pending = new Set();
    if (waiters.size === 0) return;
    const flight: Flight = { waiters, subscription: undefined };
    for (const waiter of waiters) waiter.stage = flight;
    // Two watches of one task share a single getResponse entry.
    const tasks = [...new Set([...waiters].map((waiter) => waiter.taskUUID))].map((taskUUID) => ({ taskType: 'getResponse', taskUUID }));
    const settle = (deliver: (waiter: Waiter) => void): void => {
      const receivers = [...flight.waiters];
      flight.waiters.clear();
      for (const waiter of receivers) waiter.stage = 'done';
      for (const waiter of receivers) deliver(waiter);
    };
    flight.subscription = defer(() => transport(tasks)).subscribe({
      next: (body) => {
        const shareOf = splitReply(body);
        settle((waiter) => {
          waiter.subscriber.next(shareOf(waiter.taskUUID));
          waiter.subscriber.complete();
        });
        // One reply is all a batch waits for: free the request (and its concurrency slot) now.
        flight.subscription?.unsubscribe();
      },
      error: (error: unknown) => settle((waiter) => waiter.subscriber.error(bindError(error, waiter.taskUUID))),
      complete: () => settle((waiter) => waiter.subscriber.complete()),
    });
  };

  const enqueue = (taskUUID: string): Observable<unknown> =>
    new Observable<unknown>((subscriber) => {
      const waiter: Waiter = { taskUUID, subscriber, stage: 'pending' };
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
          if (stage.waiters.size === 0) stage.subscription?.unsubscribe();
        }
      };
    });

  return (tasks) => {
    const only = tasks.length === 1 ? tasks[0] : undefined;
    if (only !== undefined && only['taskType'] === 'getResponse' && typeof only['taskUUID'] === 'string') return enqueue(only['taskUUID']);
    return transport(tasks);
  };
}

/** Rejects batch options that would never flush or never batch. */
function checkBatchOptions(maxTasks: number, window: number): void {
  if (!Number.isSafeInteger(maxTasks) || maxTasks < 1) {
    throw new RangeError(`createRunwareClient: option batch.maxTasks must be a whole number of at least 1, got ${String(maxTasks)}`);
  }
  if (typeof window !== 'number' || !Number.isFinite(window) || window < 0 || window > 60_000) {
    throw new RangeError(`createRunwareClient: option batch.window must be a finite number from 0 ms to 60000 ms, got ${String(window)}`);
  }
}

/**
 * A function giving each task its share of a batch reply. Items are grouped once (a batch of 100 tasks
 * is read in one pass, not once per task); the order of a task's items is kept, which reconciliation
 * relies on.
 */
export function splitReply(body: unknown): (taskUUID: string) => unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return () => body;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if ((data !== undefined && !Array.isArray(data)) || (errors !== undefined && !Array.isArray(errors))) return () => body;
  if (data === undefined && errors === undefined) return () => body;
  const dataOf = data === undefined ? undefined : groupByTask(data);
  const errorsOf = errors === undefined ? undefined : groupByTask(errors);
  // An item that names no task cannot be routed: a data item like that is malformed (every watch then
  // reports the decode error), an error item like that concerns the whole request.
  if (dataOf !== undefined && dataOf.unrouted.length > 0) return () => body;
  return (taskUUID) => ({
    ...(dataOf === undefined ? {} : { data: dataOf.byTask.get(taskUUID) ?? [] }),
    ...(errorsOf === undefined ? {} : { errors: errorsOf.unrouted.length === 0 ? (errorsOf.byTask.get(taskUUID) ?? []) : (errors as unknown[]).filter((item) => taskOf(item) === undefined || taskOf(item) === taskUUID) }),
  });
}

function groupByTask(items: ReadonlyArray<unknown>): { byTask: Map<string, unknown[]>; unrouted: unknown[] } {
  const byTask = new Map<string, unknown[]>();
  const unrouted: unknown[] = [];
  for (const item of items) {
    const taskUUID = taskOf(item);
    if (taskUUID === undefined) {
      unrouted.push(item);
      continue;
    }
    const group = byTask.get(taskUUID);
    if (group === undefined) byTask.set(taskUUID, [item]);
    else group.push(item);
  }
  return { byTask, unrouted };
}

function taskOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const taskUUID = (item as { taskUUID?: unknown }).taskUUID;
  return typeof taskUUID === 'string' ? taskUUID : undefined;
}
