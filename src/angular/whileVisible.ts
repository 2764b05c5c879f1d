/**
 * A watch that polls only while the page is visible: hidden, its subscription ends (no request); visible
 * again, a new one starts, and what the page already showed is not shown twice.
 *
 * @module
 */
import { distinctUntilChanged, fromEvent, map, Observable, type Subscription } from 'rxjs';
import { newEvents } from '../client/newEvents.js';
import type { GenerationEvent } from '../events/events.js';

/** Visibility of a document: its current state, then every change. */
export function documentVisible(document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    subscriber.next(document.visibilityState !== 'hidden');
    return fromEvent(document, 'visibilitychange')
      .pipe(map(() => document.visibilityState !== 'hidden'))
      .subscribe(subscriber);
  }).pipe(distinctUntilChanged());
}

/**
 * Runs `watch()` while `visible` says true; ends with it. Each generation's terminal event passes
 * once, and a progress event equal to the last one shown for its generation is dropped.
 */
export function whileVisible(watch: () => Observable<GenerationEvent>, visible: Observable<boolean>): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => {
    const isNew = newEvents();
    let running: Subscription | undefined;
    const visibility = visible.subscribe((isVisible) => {
      if (!isVisible) {
        running?.unsubscribe();
        running = undefined;
        return;
      }
      if (running !== undefined) return;
      running = watch().subscribe({
        next: (event) => {
          if (isNew(event)) subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
    return () => {
      visibility.unsubscribe();
      running?.unsubscribe();
    };
  });
}
