/**
 * The reconnection rules of a browser's watch through the proxy's event stream, apart from HTTP:
 * reconnect a broken stream, fall back to polling, and go back to the stream when it answers again.
 *
 * @module
 */
import { Observable, type SchedulerLike, Subscription, timer } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { GenerationEvent } from '../events/events.js';
import { backoffDelay } from '../schedule/backoff.js';
import type { EventStreamMessage } from './eventStreamParser.js';
import { newEvents } from './newEvents.js';

/**
 * How a watch reaches its task: `connecting` (the first connection), `streaming` (a connection is
 * open), `reconnecting` (the stream broke; it is reopened soon), `polling` (through the proxy, while
 * the stream stays unavailable; it is still tried again now and then unless the proxy has no stream).
 */
export type TaskConnection = 'connecting' | 'streaming' | 'reconnecting' | 'polling';

/** What one connection to the stream gives: `'opened'` once the proxy answered with a stream, then its messages. */
export type StreamSignal = 'opened' | EventStreamMessage;

/** How {@link followEventStream} reaches the task: its connections and its fallback, with the reconnection rules. All durations are ms. */
export interface EventStreamPlan {
  /** One connection to the stream, resuming after `lastEventId`: `'opened'`, its messages, completing when the server ends it. */
  readonly open: (lastEventId: string | undefined) => Observable<StreamSignal>;
  /** The polling watch used while the stream is unavailable. */
  readonly poll: () => Observable<GenerationEvent>;
  /** Wait before reopening a stream that broke. */
  readonly reconnectDelay: number;
  /** Consecutive broken streams (no message in between) before polling. */
  readonly reconnects: number;
  /** While polling, the stream is tried again after `2 × reconnectDelay`, doubling up to this, jittered by ±10 %. */
  readonly maxReconnectDelay: number;
  /** Randomness of that jitter, in [0, 1). */
  readonly random: () => number;
  readonly scheduler: SchedulerLike;
  /** Told each change of connection, starting with `connecting`. */
  readonly onConnection?: ((connection: TaskConnection) => void) | undefined;
}

/** Answers that say the proxy has no event stream: poll at once, and for good. */
const NO_STREAM_STATUSES = new Set([404, 405, 406, 501]);

/** Jitter of the stream's retries while polling: pages that fell back together do not come back together. */
const RETRY_JITTER = 0.1;

const STATUSES = new Set(['processing', 'success', 'error']);

/**
 * The task's events from its stream. Each connection's messages become events; a broken one is
 * reopened `reconnectDelay` ms later (on `scheduler`) after the last id seen. After `reconnects` broken
 * connections with no message in between, `poll()` takes over, and the stream is tried again on a
 * backoff (`2 × reconnectDelay`, doubling up to `maxReconnectDelay`): the first connection that opens
 * ends the polling and the watch streams again. A proxy without a stream route is polled for good.
 * Never two terminal events for one generation, whichever way they came.
 */
export function followEventStream(taskUUID: string, plan: EventStreamPlan): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => {
    const subscription = new Subscription();
    const isNew = newEvents();
    let lastEventId: string | undefined;
    let connection: TaskConnection | undefined;
    /** Broken connections since the last message. */
    let broken = 0;
    /** Failed tries of the stream while polling, since the last message: the retry's backoff. */
    let retries = 0;
    let polling: Subscription | undefined;

    const report = (next: TaskConnection): void => {
      if (next === connection) return;
      connection = next;
      plan.onConnection?.(next);
    };
    /** Passes an event on unless its generation already finished or it repeats the last one shown (a replay after reconnecting). */
    const emit = (event: GenerationEvent): void => {
      if (isNew(event)) subscriber.next(event);
    };
    const startPolling = (): void => {
      report('polling');
      polling = plan.poll().subscribe({ next: emit, error: (error: unknown) => subscriber.error(error), complete: () => subscriber.complete() });
      subscription.add(polling);
    };
    const opened = (): void => {
      if (polling !== undefined) {
        // Back from polling: the stream carries the task again.
        polling.unsubscribe();
        polling = undefined;
        broken = 0;
      }
      report('streaming');
    };
    const onMessage = (message: EventStreamMessage): void => {
      broken = 0;
      retries = 0;
      if (message.id !== undefined) lastEventId = message.id;
      const data = parseData(message.data);
      if (message.event === 'generation') {
        if (!isGenerationEvent(data, taskUUID)) {
          subscriber.error(new RunwareDecodeError({ issues: ['event stream: a generation message that is not a generation event'], body: undefined, retryable: false }));
          return;
        }
        emit(data);
      } else if (message.event === 'end') {
        subscriber.complete();
      } else if (message.event === 'failure') {
        const failure = (data ?? {}) as { code?: unknown; message?: unknown; retryable?: unknown };
        subscriber.error(
          new RunwareApiError({
            code: typeof failure.code === 'string' ? failure.code : 'serverWatchFailed',
            serverMessage: typeof failure.message === 'string' ? failure.message : undefined,
            retryable: failure.retryable === true,
          }),
        );
      }
    };
    const connect = (): void => {
      subscription.add(
        plan.open(lastEventId).subscribe({
          next: (signal) => (signal === 'opened' ? opened() : onMessage(signal)),
          error: (error: unknown) => reopen(error),
          complete: () => reopen(undefined),
        }),
      );
    };
    const connectIn = (delay: number): void => {
      subscription.add(timer(delay, plan.scheduler).subscribe(connect));
    };
    /** While polling: the next try of the stream, further each time it fails. */
    const retryLater = (): void => {
      retries += 1;
      connectIn(backoffDelay(retries + 1, { interval: plan.reconnectDelay, multiplier: 2, maxInterval: plan.maxReconnectDelay, jitter: RETRY_JITTER }, plan.random));
    };
    /** After a broken stream (or one that ended without `end`): reconnect, poll, or try again later while polling. */
    const reopen = (error: unknown): void => {
      if (subscriber.closed) return;
      if (error instanceof RunwareApiError) return subscriber.error(error);
      const noStream = error instanceof RunwareHttpError && error.status !== undefined && NO_STREAM_STATUSES.has(error.status);
      if (polling === undefined) {
        broken += 1;
        if (!noStream && broken <= plan.reconnects) {
          report('reconnecting');
          return connectIn(plan.reconnectDelay);
        }
        startPolling();
      }
      if (!noStream) retryLater();
    };
    report('connecting');
    connect();
    return subscription;
  });
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The shape the proxy sends: enough to narrow on `status` and to key by `index` for this task. */
function isGenerationEvent(value: unknown, taskUUID: string): value is GenerationEvent {
  if (value === null || typeof value !== 'object') return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event['status'] === 'string' &&
    STATUSES.has(event['status']) &&
    Number.isSafeInteger(event['index']) &&
    typeof event['taskUUID'] === 'string' &&
    event['taskUUID'].toLowerCase() === taskUUID.toLowerCase() &&
    (event['status'] !== 'success' || (typeof event['result'] === 'object' && event['result'] !== null)) &&
    (event['status'] !== 'error' || (typeof event['error'] === 'object' && event['error'] !== null))
  );
}
