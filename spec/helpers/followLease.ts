/**
 * A lease's answers as a spec reads them: every value so far, whether it completed, and a wait for the
 * next `true` or `false` (or the current one, if it is the last value seen). Nothing waits on time.
 */
import { filter, firstValueFrom, ReplaySubject, type Observable } from 'rxjs';

export interface FollowedLease {
  readonly values: boolean[];
  readonly completed: () => boolean;
  /** Resolves once `value` is the latest answer: now, or at a later emission. */
  next(value: boolean): Promise<void>;
  stop(): void;
}

export function followLease(source: Observable<boolean>): FollowedLease {
  const values: boolean[] = [];
  const seen = new ReplaySubject<{ value: boolean; index: number }>();
  let completed = false;
  const subscription = source.subscribe({
    next: (value) => {
      values.push(value);
      seen.next({ value, index: values.length });
    },
    complete: () => (completed = true),
  });
  return {
    values,
    completed: () => completed,
    next: async (value) => {
      const from = values.length;
      await firstValueFrom(seen.pipe(filter((seenValue) => seenValue.value === value && (seenValue.index > from || values.at(-1) === value))));
    },
    stop: () => subscription.unsubscribe(),
  };
}
