/**
 * A scheduler whose clock runs `scale` times faster than the wall clock, so a client can be run in
 * simulated time against a simulator started with the same `timeScale`. Every delay the client asks
 * for (poll gaps, batch window, request timeout) is divided by `scale`; `now()` is multiplied by it.
 */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

export function scaledScheduler(scale: number): SchedulerLike {
  return {
    now: () => asyncScheduler.now() * scale,
    schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
      return asyncScheduler.schedule(work as (this: SchedulerAction<T>, state?: T) => void, delay / scale, state);
    },
  };
}
