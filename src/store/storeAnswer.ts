/**
 * A store's answer (a Promise or an Observable) as one Observable, so the client composes every store alike.
 *
 * @module
 */
import { from, isObservable, take, type Observable } from 'rxjs';
import type { StoreAnswer } from './TaskStore.js';

/** The answer's first value, then completion; an Observable answer stays synchronous if it is. */
export function answerOf<T>(answer: StoreAnswer<T>): Observable<T> {
  return isObservable(answer) ? answer.pipe(take(1)) : from(answer);
}
