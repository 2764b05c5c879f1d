/**
 * A watch whose generations a task store records as they are delivered, for `client.run` and
 * `client.resume`.
 *
 * @module
 */
import { Observable, type SchedulerLike, type Subscriber, type Unsubscribable } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
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
  return new Observable<GenerationEvent>((subscriber) => new DeliveryRecorder(subscriber, taskUUID, store, scheduler, watching).start(watch));
}

/**
 * One recorded watch: the observer of the watch and its own teardown, one object rather than a set of
 * closures (a client runs thousands of watches; docs/performance.md).
 */
class DeliveryRecorder implements Unsubscribable {
  constructor(
    private readonly subscriber: Subscriber<GenerationEvent>,
    private readonly taskUUID: string,
    private readonly store: TaskStore,
    private readonly scheduler: SchedulerLike,
    private readonly watching: Set<string>,
  ) {}

  start(watch: Observable<GenerationEvent>): Unsubscribable {
    this.watching.add(this.taskUUID.toLowerCase());
    this.subscriber.add(watch.subscribe(this));
    return this;
  }

  next(event: GenerationEvent): void {
    const { subscriber } = this;
    subscriber.next(event);
    if (event.status !== 'processing' && !subscriber.closed) answerOf(this.store.recordDelivery(event)).subscribe({ error: (error: unknown) => subscriber.error(error) });
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    const { subscriber } = this;
    answerOf(this.store.recordEnd(this.taskUUID, this.scheduler.now())).subscribe({ error: (error: unknown) => subscriber.error(error), complete: () => subscriber.complete() });
  }

  unsubscribe(): void {
    this.watching.delete(this.taskUUID.toLowerCase());
  }
}
