/**
 * `injectTaskWatch`: a task's generations as Angular signals, following the task through the app's
 * proxy (its event stream, or polling that pauses while the tab is hidden) until the task ends or the
 * component is destroyed. Nothing is requested during server-side rendering.
 *
 * @module
 */
import { DestroyRef, inject, PLATFORM_ID, type Signal, signal } from '@angular/core';
import { catchError, defer, EMPTY, isObservable, type Observable, of, switchMap, tap } from 'rxjs';
import { watchTaskStream } from '../client/watchTaskStream.js';
import type { GenerationEvent } from '../events/events.js';
import { RUNWARE_CLIENT, RUNWARE_CONFIG } from './provideRunware.js';
import { documentVisible, whileVisible } from './whileVisible.js';

/** Where a watch is. `idle`: no task yet (or server-side rendering). */
export type TaskWatchStatus = 'idle' | 'watching' | 'done' | 'failed';

/** A task's watch as signals. */
export interface TaskWatch {
  /** The latest event of each generation, by index. */
  readonly generations: Signal<readonly GenerationEvent[]>;
  readonly status: Signal<TaskWatchStatus>;
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
  const error = signal<unknown>(undefined);
  const watch = { generations: generations.asReadonly(), status: status.asReadonly(), error: error.asReadonly() };
  if (onServer) return watch;

  const visible = typeof document === 'undefined' ? of(true) : documentVisible(document);
  const own = { ...(options.numberResults === undefined ? {} : { numberResults: options.numberResults }), ...(options.progress === undefined ? {} : { progress: options.progress }) };
  const follow = (uuid: string): Observable<GenerationEvent> =>
    config.stream
      ? watchTaskStream(uuid, { baseUrl: config.baseUrl, headers: config.headers, credentials: config.credentials, numberResults: options.numberResults, poll: { ...config.watchOptions, ...own } })
      : whileVisible(() => client.watchTask(uuid, own), visible);
  const uuids = isObservable(taskUUID) ? taskUUID : of(taskUUID);
  const subscription = uuids
    .pipe(
      switchMap((uuid) => {
        generations.set([]);
        error.set(undefined);
        status.set(uuid === undefined ? 'idle' : 'watching');
        if (uuid === undefined) return EMPTY;
        // defer: a UUID refused at call fails this task's watch, not the whole helper.
        return defer(() => follow(uuid)).pipe(
          tap({ complete: () => status.set('done') }),
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
