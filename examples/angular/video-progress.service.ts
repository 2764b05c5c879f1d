/**
 * An Angular service that exposes a Runware task's progress as an Observable view model. The service
 * holds no subscription: whoever renders it (the async pipe, toSignal) subscribes, and unsubscribing
 * (the component is destroyed) stops the polling and aborts the request in flight.
 */
import { Injectable, InjectionToken, inject } from '@angular/core';
import { scan, startWith, type Observable } from 'rxjs';
import { watchTask, type GenerationEvent, type WatchOptions } from 'runware-rx';

/**
 * Watch options for the whole app: in a browser, point `baseUrl` at your own backend proxy, which adds
 * the API key server-side, so the key never ships to users.
 */
export const RUNWARE_WATCH_OPTIONS = new InjectionToken<WatchOptions>('RUNWARE_WATCH_OPTIONS', {
  providedIn: 'root',
  factory: () => ({}),
});

/** One generation as the template shows it. */
export interface GenerationView {
  readonly index: number;
  readonly state: 'rendering' | 'ready' | 'failed';
  readonly progress?: number;
  readonly videoURL?: string;
  readonly error?: string;
}

/** The whole task as the template shows it. */
export interface TaskView {
  readonly taskUUID: string;
  readonly generations: ReadonlyArray<GenerationView>;
  readonly done: boolean;
}

@Injectable({ providedIn: 'root' })
export class VideoProgressService {
  private readonly options = inject(RUNWARE_WATCH_OPTIONS);

  /** The task's view model, updated on every status change; cold: polling starts on subscribe. */
  progress(taskUUID: string, numberResults = 1): Observable<TaskView> {
    const initial: TaskView = { taskUUID, generations: [], done: false };
    return watchTask(taskUUID, { ...this.options, numberResults }).pipe(
      scan((view: TaskView, event: GenerationEvent): TaskView => {
        const generations = [...view.generations.filter((g) => g.index !== event.index), toView(event)].sort((a, b) => a.index - b.index);
        return { ...view, generations, done: generations.length >= numberResults && generations.every((g) => g.state !== 'rendering') };
      }, initial),
      startWith(initial),
    );
  }
}

function toView(event: GenerationEvent): GenerationView {
  switch (event.status) {
    case 'processing':
      return { index: event.index, state: 'rendering', ...(event.progress === undefined ? {} : { progress: event.progress }) };
    case 'success':
      return { index: event.index, state: 'ready', ...(event.result.videoURL === undefined ? {} : { videoURL: event.result.videoURL }) };
    case 'error':
      return { index: event.index, state: 'failed', error: `${event.error.code}: ${event.error.message}` };
  }
}
