import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** A scheduler whose clock the spec moves by hand (its `schedule` is asyncScheduler's: only `now` is the point). */
export interface HandClock extends SchedulerLike {
  move(ms: number): void;
}

export function handClock(start = 0): HandClock {
  let now = start;
  return {
    now: () => now,
    schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
    move: (ms) => {
      now += ms;
    },
  };
}
