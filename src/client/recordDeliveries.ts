/**
 * A watch whose generations a task store records as they are delivered, for `client.run` and
 * `client.resume`.
 *
 * @module
 */
import { Observable, Subscription, type SchedulerLike } from 'rxjs';
import type { GenerationEvent } from '../events.js';
import { answerOf } from '../store/storeAnswer.js';
import type { TaskStore } from '../store/TaskStore.js';

/**
 * `watch`, each terminal event recorded right after it is delivered (so a crash between the two is the
 * only way one is delivered twice, never lost), and the task's end recorded when the watch completes;
 * it completes once that record is kept. A failed write ends the stream with the store's error (what was
 * recorded stays, so a later resume finishes the task). While subscribed, the task is in `watching`
 * (lower-case), which `resume` skips.
 */
export function recordDeliveries(watch: Observable<GenerationEvent>, taskUUID: string, store: TaskStore, scheduler: SchedulerLike, watching: Set<string>): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => {
    const key = taskUUID.toLowerCase();
    watching.add(key);
    const writes = new Subscription();
    const failed = (error: unknown): void => subscriber.error(error);
    writes.add(
      watch.subscribe({
        next: (event) => {
          subscriber.next(event);
          if (event.status !== 'processing' && !subscriber.closed) writes.add(answerOf(store.recordDelivery(event)).subscribe({ error: failed }));
        },
        error: failed,
        complete: () => writes.add(answerOf(store.recordEnd(taskUUID, scheduler.now())).subscribe({ error: failed, complete: () => subscriber.complete() })),
      }),
    );
    return () => {
      watching.delete(key);
      writes.unsubscribe();
    };
  });
}
