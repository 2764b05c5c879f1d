/**
 * A client-wide cap on HTTP requests in flight, as a {@link Transport} wrapper.
 *
 * @module
 */
import { defer, Observable, type Subscription } from 'rxjs';
import type { Transport } from '../transport/Transport.js';

/**
 * Wraps `transport` so that at most `max` of its requests are in flight at once; the others wait in
 * first-come order and start as soon as one in flight ends (reply, failure or unsubscribe).
 *
 * A semaphore of subscriptions, not of Promises: a waiting request that is unsubscribed leaves the queue
 * without ever being sent, and unsubscribing a request in flight aborts it and frees its slot at once.
 * Time spent waiting counts towards the caller's `requestTimeout`, so a watch never waits unboundedly.
 * `max = Infinity` returns `transport` itself.
 *
 * @param max - Whole number of at least 1, or `Infinity`.
 */
export function limitConcurrency(transport: Transport, max: number): Transport {
  if (max === Infinity) return transport;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`createRunwareClient: option concurrency must be a whole number of at least 1 or Infinity, got ${String(max)}`);
  }
  let active = 0;
  // A Set keeps insertion order (FIFO) and lets an unsubscribed waiter leave in O(1).
  const waiting = new Set<() => void>();
  let draining = false;

  // A loop rather than recursion: a transport that answers synchronously must not grow the stack per waiter.
  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      while (active < max && waiting.size > 0) {
        const start = waiting.values().next().value as () => void;
        waiting.delete(start);
        start();
      }
    } finally {
      draining = false;
    }
  };

  return (tasks) =>
    new Observable<unknown>((subscriber) => {
      let holding = false;
      let inner: Subscription | undefined;
      const free = (): void => {
        if (!holding) return;
        holding = false;
        active -= 1;
        drain();
      };
      const start = (): void => {
        holding = true;
        active += 1;
        inner = defer(() => transport(tasks)).subscribe({
          next: (body) => subscriber.next(body),
          error: (error: unknown) => {
            free();
            subscriber.error(error);
          },
          complete: () => {
            free();
            subscriber.complete();
          },
        });
      };
      waiting.add(start);
      drain();
      return () => {
        waiting.delete(start);
        inner?.unsubscribe();
        free();
      };
    });
}
