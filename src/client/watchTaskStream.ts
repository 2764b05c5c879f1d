/**
 * `watchTaskStream`: a browser's watch of a task through the app's proxy (`createRunwareProxy`), from
 * the task's Server-Sent Events: no poll from the browser while the stream is up, reconnection with
 * `Last-Event-ID`, polling through the proxy while the stream is unavailable, and back to the stream
 * when it answers again.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import { watchTask } from '../watch/watchTask.js';
import { taskEventStream, type TaskStreamOptions } from './taskEventStream.js';

export type { TaskStreamOptions } from './taskEventStream.js';
export type { TaskConnection } from './followEventStream.js';

/**
 * The task's generation events, from the proxy's event stream. Emits like `watchTask` (never two
 * terminal events for one generation, even across reconnections) and completes when the server's
 * watch does; errors when it fails. A broken stream is reopened after `reconnectDelay` with the last
 * event's id, so only what was missed is sent again. After `reconnects` broken streams in a row the
 * watch polls through the proxy, and tries the stream again after `2 × reconnectDelay`, doubling up to
 * `maxReconnectDelay`: once it opens, polling stops. A proxy with no stream route is polled at once and
 * for good. `onConnection` hears each change (`connecting`, `streaming`, `reconnecting`, `polling`).
 *
 * @example
 * ```ts
 * import { watchTaskStream } from 'runware-rx';
 *
 * declare const taskUUID: string; // submitted through the app's proxy
 *
 * // In a browser: no key, the page's cookies; zero polls from the page while the stream is up.
 * watchTaskStream(taskUUID, { baseUrl: '/api/runware', numberResults: 2, onConnection: (connection) => console.log(connection) })
 *   .subscribe((event) => console.log(event.index, event.status));
 * ```
 */
export function watchTaskStream(taskUUID: string, options: TaskStreamOptions): Observable<GenerationEvent> {
  const connection = { baseUrl: options.baseUrl, headers: options.headers, credentials: options.credentials, fetch: options.fetch };
  return taskEventStream(taskUUID, options, () => watchTask(taskUUID, { ...options.poll, ...connection, scheduler: options.scheduler, numberResults: options.numberResults }));
}
