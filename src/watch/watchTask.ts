/**
 * `watchTask`: a task's generations as a cold stream of status changes.
 *
 * @module
 */
import { Observable } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import { assertTaskUUID } from '../protocol/taskUUID.js';
import type { Transport } from '../transport/Transport.js';
import { transportFor } from '../transport/transportFor.js';
import type { WatchOptions } from './options.js';
import type { WatchState } from './reconcile.js';
import { resolveWatchSettings, type WatchSettings } from './settings.js';
import { TaskWatch } from './watchLoop.js';

/**
 * Watches an asynchronous Runware task until every generation has finished.
 *
 * Cold and lazy: nothing is sent before subscription, every subscription is its own watch, and
 * unsubscribing cancels the pending timer and aborts the request in flight. Polls never overlap: the
 * first goes out `initialDelay` ms after subscription, each later one a backoff gap after the previous
 * reply. Emits one {@link GenerationEvent} per generation status change (`processing` once, then exactly
 * one of `success` or `error`) and completes right after the reply in which every generation is finished.
 * A failed generation is an event; the error channel is for the watch itself ({@link RunwareError}).
 *
 * Throws a `TypeError` or `RangeError` at call for a taskUUID that is not a UUID, a bad option, or a
 * missing API key.
 *
 * @example
 * ```ts
 * import { watchTask } from 'runware-rx';
 *
 * declare const taskUUID: string; // the task you submitted with numberResults: 2
 *
 * // The API key comes from RUNWARE_API_KEY; unsubscribing stops the polls.
 * const subscription = watchTask(taskUUID, { numberResults: 2 }).subscribe({
 *   next: (event) => {
 *     if (event.status === 'success') console.log(event.index, event.result.videoURL);
 *     if (event.status === 'error') console.warn(event.index, event.error.code);
 *   },
 *   error: (error: unknown) => console.error(String(error)), // a RunwareError: the watch itself failed
 * });
 * ```
 */
export function watchTask(taskUUID: string, options: WatchOptions = {}): Observable<GenerationEvent> {
  assertTaskUUID(taskUUID, 'watchTask');
  const settings = resolveWatchSettings(options);
  return watchWithTransport(taskUUID, transportFor(options), settings);
}

/**
 * The watch itself, over any transport, with settings already checked. `numberResults` and `cadenceKey`
 * are the task's when they differ from the settings' (a client shares one settings object between its watches);
 * `known` is what the watch starts from (results a submit reply already held), its events already emitted.
 */
export function watchWithTransport(
  taskUUID: string,
  transport: Transport,
  settings: WatchSettings,
  numberResults: number | undefined = settings.numberResults,
  cadenceKey: string | undefined = settings.cadenceKey,
  known?: WatchState,
): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => new TaskWatch(taskUUID, transport, settings, numberResults, cadenceKey, subscriber, known).start());
}

