/**
 * `watchTaskStream`: a browser's watch of a task through the app's proxy (`createRunwareProxy`), from
 * the task's Server-Sent Events: no poll from the browser while the stream is up, reconnection with
 * `Last-Event-ID`, and polling through the proxy when the stream is unavailable.
 *
 * @module
 */
import { Observable, type SchedulerLike, Subscription, asyncScheduler, timer } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { GenerationEvent } from '../events/events.js';
import type { ClientWatchOptions } from '../watch/options.js';
import { assertTaskUUID } from '../protocol/taskUUID.js';
import type { ConnectionOptions } from '../transport/transportFor.js';
import { watchTask } from '../watch/watchTask.js';
import { createEventStreamParser, type EventStreamMessage } from './eventStreamParser.js';
import { newEvents } from './newEvents.js';

/** Options of {@link watchTaskStream}. All durations are milliseconds. */
export interface TaskStreamOptions extends Omit<ConnectionOptions, 'apiKey' | 'transport' | 'maxResponseBytes' | 'followRedirects'> {
  /** The proxy's URL, as the browser's client uses it (`'/api/runware'`); the stream is at `{baseUrl}/tasks/{taskUUID}/events`. */
  readonly baseUrl: string;
  /** Generations expected (the task's `numberResults`). */
  readonly numberResults?: number | undefined;
  /** Wait before reconnecting a stream that broke. @defaultValue 1000 */
  readonly reconnectDelay?: number | undefined;
  /** Consecutive broken streams (no message in between) before falling back to polling. @defaultValue 3 */
  readonly reconnects?: number | undefined;
  /** Options of the polling watch used when the stream is unavailable. */
  readonly poll?: ClientWatchOptions | undefined;
  /** Clock of the reconnection delay and of the polling watch. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
}

/** Answers that say the proxy has no event stream: poll at once instead of reconnecting. */
const NO_STREAM_STATUSES = new Set([404, 405, 406, 501]);

const STATUSES = new Set(['processing', 'success', 'error']);

/**
 * The task's generation events, from the proxy's event stream. Emits like `watchTask` (never two
 * terminal events for one generation, even across reconnections) and completes when the server's
 * watch does; errors when it fails. A broken stream is reopened after `reconnectDelay` with the last
 * event's id, so only what was missed is sent again; after `reconnects` broken streams in a row, or at
 * once when the proxy has no stream route, the watch polls through the proxy instead.
 *
 * @example
 * ```ts
 * import { watchTaskStream } from 'runware-rx';
 *
 * declare const taskUUID: string; // submitted through the app's proxy
 *
 * // In a browser: no key, the page's cookies; zero polls from the page while the stream is up.
 * watchTaskStream(taskUUID, { baseUrl: '/api/runware', numberResults: 2 }).subscribe((event) => console.log(event.index, event.status));
 * ```
 */
export function watchTaskStream(taskUUID: string, options: TaskStreamOptions): Observable<GenerationEvent> {
  assertTaskUUID(taskUUID, 'watchTaskStream');
  const scheduler = options.scheduler ?? asyncScheduler;
  const reconnectDelay = options.reconnectDelay ?? 1000;
  const reconnects = options.reconnects ?? 3;
  if (!(reconnectDelay >= 0) || !Number.isSafeInteger(reconnects) || reconnects < 0) throw new RangeError('watchTaskStream: reconnectDelay must be >= 0 ms and reconnects a whole number >= 0');
  const url = streamUrl(options.baseUrl, taskUUID, options.numberResults);
  const connection = { baseUrl: options.baseUrl, headers: options.headers, credentials: options.credentials, fetch: options.fetch };
  return followEventStream(taskUUID, {
    open: (lastEventId) => openEventStream(url, lastEventId, options),
    poll: () => watchTask(taskUUID, { ...options.poll, ...connection, scheduler, numberResults: options.numberResults }),
    reconnectDelay,
    reconnects,
    scheduler,
  });
}

/** How {@link followEventStream} reaches the task: its connections and its fallback, with the reconnection rules. */
export interface EventStreamPlan {
  /** One connection to the stream, resuming after `lastEventId`: its messages, completing when the server ends it. */
  readonly open: (lastEventId: string | undefined) => Observable<EventStreamMessage>;
  /** The polling watch used when the stream is unavailable. */
  readonly poll: () => Observable<GenerationEvent>;
  readonly reconnectDelay: number;
  readonly reconnects: number;
  readonly scheduler: SchedulerLike;
}

/**
 * The reconnection rules of {@link watchTaskStream}, apart from HTTP: each connection's messages become
 * events; a broken one is reopened `reconnectDelay` ms later (on `scheduler`) after the last id seen;
 * after `reconnects` broken connections with no message in between, or at once when the proxy has no
 * stream, `poll()` takes over.
 */
export function followEventStream(taskUUID: string, plan: EventStreamPlan): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => {
    const subscription = new Subscription();
    const isNew = newEvents();
    let lastEventId: string | undefined;
    let broken = 0;

    /** Passes an event on unless its generation already finished or it repeats the last one shown (a replay after reconnecting). */
    const emit = (event: GenerationEvent): void => {
      if (isNew(event)) subscriber.next(event);
    };
    const poll = (): void => {
      subscription.add(
        plan.poll().subscribe({
          next: emit,
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
    };
    const onMessage = (message: EventStreamMessage): void => {
      broken = 0;
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
          next: onMessage,
          error: (error: unknown) => reopen(error),
          complete: () => reopen(undefined),
        }),
      );
    };
    /** After a broken stream (or one that ended without `end`): reconnect, or poll when the stream is unavailable. */
    const reopen = (error: unknown): void => {
      if (subscriber.closed) return;
      const noStream = error instanceof RunwareHttpError && error.status !== undefined && NO_STREAM_STATUSES.has(error.status);
      if (error instanceof RunwareApiError) return subscriber.error(error);
      broken += 1;
      if (noStream || broken > plan.reconnects) return poll();
      subscription.add(timer(plan.reconnectDelay, plan.scheduler).subscribe(connect));
    };
    connect();
    return subscription;
  });
}

/** `{baseUrl}/tasks/{taskUUID}/events`, with `numberResults` when known; a relative `baseUrl` stays relative to the page. */
function streamUrl(baseUrl: string, taskUUID: string, numberResults: number | undefined): string {
  const [path = '', query] = baseUrl.split('?', 2);
  const params = new URLSearchParams(query);
  if (numberResults !== undefined) params.set('numberResults', String(numberResults));
  const search = params.toString();
  return `${path.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskUUID)}/events${search === '' ? '' : `?${search}`}`;
}

/** One connection to the stream: its messages, completing when the server ends it, erroring on a failed connection. */
function openEventStream(url: string, lastEventId: string | undefined, options: TaskStreamOptions): Observable<EventStreamMessage> {
  return new Observable<EventStreamMessage>((subscriber) => {
    const controller = new AbortController();
    const appHeaders = typeof options.headers === 'function' ? options.headers() : (options.headers ?? {});
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const parse = createEventStreamParser((message) => subscriber.next(message));
    fetchImpl(url, {
      method: 'GET',
      headers: { ...appHeaders, Accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }) },
      credentials: options.credentials ?? 'same-origin',
      signal: controller.signal,
    })
      .then(async (response) => {
        if (response.status === 401 || response.status === 403) {
          const text = await response.text().catch(() => '');
          const code = /"code"\s*:\s*"([A-Za-z]+)"/.exec(text)?.[1] ?? `httpStatus${response.status}`;
          throw new RunwareApiError({ code, status: response.status });
        }
        if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || response.body === null) {
          await response.body?.cancel().catch(() => undefined);
          throw new RunwareHttpError({ failure: 'status', status: response.status });
        }
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (let next = await reader.read(); !next.done; next = await reader.read()) parse(decoder.decode(next.value, { stream: true }));
      })
      .then(
        () => subscriber.complete(),
        (error: unknown) => {
          if (!controller.signal.aborted) subscriber.error(error instanceof RunwareApiError || error instanceof RunwareHttpError ? error : new RunwareHttpError({ failure: 'network', cause: error }));
        },
      );
    return () => controller.abort();
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
