/**
 * When a lease is tried: at once, then every `renewInterval` ms, never two tries at a time.
 *
 * @module
 */
import { distinctUntilChanged, EMPTY, exhaustMap, from, map, merge, timer, type Observable, type ObservableInput, type SchedulerLike } from 'rxjs';

/**
 * Runs `attempt` at subscription and every `renewInterval` ms on `scheduler`; a tick that comes while
 * an attempt is still in flight is skipped (a slow Redis does not pile up tries). Emits each attempt's
 * answer (`true`: this process should poll) when it differs from the previous one. Each of `failures`
 * (the connection was lost) is a `true` at once: nobody can be known to poll the task until the next
 * attempt says otherwise.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { of, take, toArray, firstValueFrom } from 'rxjs';
 * import { leaseRenewals } from './leaseRenewals.js';
 *
 * const answers = [false, false, true, true];
 * let tries = 0;
 * const changes = await firstValueFrom(leaseRenewals(() => of(answers[tries++] ?? true), 1).pipe(take(2), toArray()));
 * assert.deepEqual(changes, [false, true]); // four tries, two changes
 * ```
 */
export function leaseRenewals(attempt: () => ObservableInput<boolean>, renewInterval: number, scheduler?: SchedulerLike, failures: Observable<unknown> = EMPTY): Observable<boolean> {
  return merge(
    timer(0, renewInterval, scheduler).pipe(exhaustMap(() => from(attempt()))),
    failures.pipe(map(() => true)),
  ).pipe(distinctUntilChanged());
}
