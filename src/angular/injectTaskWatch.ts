/**
 * `injectTaskWatch`: a task's generations as Angular signals, following the task through the app's
 * proxy (its event stream, or polling that pauses while the tab is hidden) until the task ends or the
 * component is destroyed, with the connection as a signal too. Nothing is requested during
 * server-side rendering.
 *
 * @module
 */
import { DestroyRef, inject, PLATFORM_ID, type Signal, signal } from '@angular/core';
import { catchError, defer, EMPTY, finalize, isObservable, type Observable, of, switchMap, tap } from 'rxjs';
import type { TaskConnection } from '../client/followEventStream.js';
import { taskEventStream } from '../client/taskEventStream.js';
import type { GenerationEvent } from '../events/events.js';
import { loadClientCode, RUNWARE_CLIENT } from './provideRunware.js';
import { RUNWARE_CONFIG } from './runwareConfig.js';
import { documentVisible, whileVisible } from './whileVisible.js';

/** Where a watch is. `idle`: no task yet (or server-side rendering). */
export type TaskWatchStatus = 'idle' | 'watching' | 'done' | 'failed';

/**
 * How a running watch reaches its task, so a page can say so: `connecting`, `streaming` (the proxy's
 * event stream is open), `reconnecting` (it broke and is reopened soon), `polling` (through the proxy,
 * while the stream is unavailable, or always with `withProxy(url, { stream: false })`). `idle` when no
 * watch runs (no task, done, failed, or server-side rendering).
 */
export type TaskWatchConnection = 'idle' | TaskConnection;

/** A task's watch as signals. */
export interface TaskWatch {
  /** The latest event of each generation, by index. */
  readonly generations: Signal<readonly GenerationEvent[]>;
  readonly status: Signal<TaskWatchStatus>;
  /** How the watch reaches the task right now. */
  readonly connection: Signal<TaskWatchConnection>;
  /** Why the watch failed, when `status` is `failed`. */
  readonly error: Signal<unknown>;
}

/** Options of {@link injectTaskWatch}. */
export interface TaskWatchOptions {
  /** Generations expected (the task's `numberResults`). */
  readonly numberResults?: number | undefined;
  /**
   * Update a processing generation's event each time its `progress` changes (watch option `progress`), so
   * a template's progress bar moves. Through the proxy's event stream, the proxy's own `watchOptions`
   * decide (`createRunwareProxy({ watchOptions: { progress: true } })`). @defaultValue the app's `withWatchOptions`
   */
  readonly progress?: boolean | undefined;
}

/**
 * Watches a task from an injection context (a component's field or constructor) and ends with the
 * component (its `DestroyRef`). Pass the taskUUID, or an Observable of it (`toObservable(aSignal)`):
 * a new UUID replaces the watch of the previous one, `undefined` stops it. Works without zone.js.
 *
 * @example
 * ```ts
 * import { injectTaskWatch } from 'runware-rx/angular';
 *
 * declare const taskUUID: string; // from the submit
 *
 * export class VideoProgress {
 *   // Template: @for (generation of task.generations(); track generation.index) { ... }
 *   //           @if (task.connection() === 'polling') { <small>Live updates paused; checking every few seconds.</small> }
 *   readonly task = injectTaskWatch(taskUUID, { numberResults: 2 });
 * }
 * ```
 */
export function injectTaskWatch(taskUUID: string | Observable<string | undefined>, options: TaskWatchOptions = {}): TaskWatch {
  const config = inject(RUNWARE_CONFIG);
  const client = inject(RUNWARE_CLIENT);
  const onServer = inject(PLATFORM_ID) === 'server';
  const generations = signal<readonly GenerationEvent[]>([]);
  const status = signal<TaskWatchStatus>('idle');
  const connection = signal<TaskWatchConnection>('idle');
  const error = signal<unknown>(undefined);
  const watch = { generations: generations.asReadonly(), status: status.asReadonly(), connection: connection.asReadonly(), error: error.asReadonly() };
  if (onServer) return watch;

  const visible = typeof document === 'undefined' ? of(true) : documentVisible(document);
  const numberResults = options.numberResults === undefined ? {} : { numberResults: options.numberResults };
  const own = { ...numberResults, ...(options.progress === undefined ? {} : { progress: options.progress }) };
  const poll = (uuid: string): Observable<GenerationEvent> => client.watchTask(uuid, own);
  const onConnection = (state: TaskConnection): void => {
    connection.set(state);
    // The client's code (the polling fallback) loads once the stream is open, not at start: the page
    // renders without it, and has it when the server goes away (as its chunks may, with it).
    if (state === 'streaming') loadClientCode().catch(() => undefined);
  };
  const follow = (uuid: string): Observable<GenerationEvent> =>
    config.stream
      ? taskEventStream(uuid, { baseUrl: config.baseUrl, headers: config.headers, credentials: config.credentials, ...numberResults, onConnection }, () => poll(uuid))
      : defer(() => {
          connection.set('polling');
          return whileVisible(() => poll(uuid), visible);
        });
  const uuids = isObservable(taskUUID) ? taskUUID : of(taskUUID);
  const subscription = uuids
    .pipe(
      switchMap((uuid) => {
        generations.set([]);
        error.set(undefined);
        connection.set('idle');
        status.set(uuid === undefined ? 'idle' : 'watching');
        if (uuid === undefined) return EMPTY;
        // defer: a UUID refused at call fails this task's watch, not the whole helper.
        return defer(() => follow(uuid)).pipe(
          tap({ complete: () => status.set('done') }),
          finalize(() => connection.set('idle')),
          // A failed watch ends that task's watch only: a later UUID is still followed.
          catchError((caught: unknown) => {
            error.set(caught);
            status.set('failed');
            return EMPTY;
          }),
        );
      }),
    )
    .subscribe((event) => generations.update((list) => [...list.filter((each) => each.index !== event.index), event].sort((a, b) => a.index - b.index)));
  inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  return watch;
}
