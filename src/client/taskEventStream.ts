/**
 * `taskEventStream`: the watch of a task through the app's proxy (`createRunwareProxy`) from the task's
 * Server-Sent Events over `fetch`, with the polling fallback passed in. `watchTaskStream` passes
 * `watchTask`; the Angular entry passes a poll whose code loads only when it is needed.
 *
 * @module
 */
import { Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import type { GenerationEvent } from '../events/events.js';
import type { ClientWatchOptions } from '../watch/options.js';
import { assertTaskUUID } from '../protocol/taskUUID.js';
import type { ConnectionOptions } from '../transport/transportFor.js';
import { createEventStreamParser } from './eventStreamParser.js';
import { followEventStream, type StreamSignal, type TaskConnection } from './followEventStream.js';

/** Options of `watchTaskStream`. All durations are milliseconds. */
export interface TaskStreamOptions extends Omit<ConnectionOptions, 'apiKey' | 'transport' | 'maxResponseBytes' | 'followRedirects'> {
  /** The proxy's URL, as the browser's client uses it (`'/api/runware'`); the stream is at `{baseUrl}/tasks/{taskUUID}/events`. */
  readonly baseUrl: string;
  /** Generations expected (the task's `numberResults`). */
  readonly numberResults?: number | undefined;
  /** Wait before reconnecting a stream that broke. @defaultValue 1000 */
  readonly reconnectDelay?: number | undefined;
  /** Consecutive broken streams (no message in between) before falling back to polling. @defaultValue 3 */
  readonly reconnects?: number | undefined;
  /** While polling, the stream is tried again after `2 × reconnectDelay`, doubling up to this (±10 % jitter). @defaultValue 30000 */
  readonly maxReconnectDelay?: number | undefined;
  /** Options of the polling watch used when the stream is unavailable. */
  readonly poll?: ClientWatchOptions | undefined;
  /** Told each change of connection (`connecting`, `streaming`, `reconnecting`, `polling`), so a page can show it. */
  readonly onConnection?: ((connection: TaskConnection) => void) | undefined;
  /** Source of the retries' jitter, returning [0, 1). @defaultValue `Math.random` */
  readonly random?: (() => number) | undefined;
  /** Clock of the reconnection delays and of the polling watch. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * The task's events from the proxy's stream at `options.baseUrl`, with `poll` as the fallback (see
 * `followEventStream` for the rules). Throws at call on a malformed taskUUID or option.
 */
export function taskEventStream(taskUUID: string, options: TaskStreamOptions, poll: () => Observable<GenerationEvent>): Observable<GenerationEvent> {
  assertTaskUUID(taskUUID, 'watchTaskStream');
  const reconnectDelay = options.reconnectDelay ?? 1000;
  const reconnects = options.reconnects ?? 3;
  const maxReconnectDelay = options.maxReconnectDelay ?? 30_000;
  if (!(reconnectDelay >= 0) || !(maxReconnectDelay >= reconnectDelay) || !Number.isSafeInteger(reconnects) || reconnects < 0) {
    throw new RangeError('watchTaskStream: reconnectDelay must be >= 0 ms, maxReconnectDelay >= reconnectDelay and reconnects a whole number >= 0');
  }
  const url = streamUrl(options.baseUrl, taskUUID, options.numberResults);
  return followEventStream(taskUUID, {
    open: (lastEventId) => openEventStream(url, lastEventId, options),
    poll,
    reconnectDelay,
    reconnects,
    maxReconnectDelay,
    random: options.random ?? Math.random,
    scheduler: options.scheduler ?? asyncScheduler,
    onConnection: options.onConnection,
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

/** One connection to the stream: `'opened'` once the proxy answered with a stream, its messages, completing when the server ends it, erroring on a failed connection. */
function openEventStream(url: string, lastEventId: string | undefined, options: TaskStreamOptions): Observable<StreamSignal> {
  return new Observable<StreamSignal>((subscriber) => {
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
        subscriber.next('opened');
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
