/**
 * A deadline for a whole stream (RxJS `timeout` only bounds the gaps between values).
 *
 * @module
 */
import { Observable, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/**
 * Mirrors the source, but errors with `makeError()` if it has not finished `due` ms after subscription.
 * The error is built at that moment, so it can describe what the stream knew by then.
 */
export function failAfter<T>(due: number, scheduler: SchedulerLike, makeError: () => unknown): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.add(timer(due, scheduler).subscribe(() => subscriber.error(makeError())));
      subscriber.add(source.subscribe(subscriber));
    });
}
