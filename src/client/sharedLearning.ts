/**
 * A client's learned durations kept in its task store: what it learns is recorded there, and what is
 * recorded there (by an earlier process, or by the other processes of a shared store) is learned here.
 *
 * @module
 */
import { catchError, defaultIfEmpty, finalize, map, type Observable, of, type SchedulerLike, share } from 'rxjs';
import type { Cadence } from '../cadence/createCadence.js';
import { answerOf } from '../store/storeAnswer.js';
import type { TaskStore } from '../store/TaskStore.js';

/** A cadence store shared through a task store. */
export interface SharedLearning {
  /** The client's cadence, recording each observation in the task store too. */
  readonly cadence: Cadence;
  /**
   * Learns what the task store holds that this client has not read yet (skipping its own), at most
   * every `refreshInterval` ms: emits once done. A store that cannot be read leaves the cadence as it is.
   */
  refresh(): Observable<void>;
}

/** How often a client reads what the other processes learned: once a minute at most, when it runs a task. */
export const LEARNED_REFRESH_INTERVAL = 60_000;

/** `cadence`, shared through `store` under the name `origin` (unique per client). */
export function shareLearning(cadence: Cadence, store: TaskStore, origin: string, scheduler: SchedulerLike, refreshInterval = LEARNED_REFRESH_INTERVAL): SharedLearning {
  let cursor: string | undefined;
  let readAt: number | undefined;
  let reading: Observable<void> | undefined;
  const ignore = (): void => undefined;
  // The store itself with `observe` recording too: every other member (and any the store gains) is the
  // store's own, called on this object, so what a watch teaches through it is recorded.
  const recording = Object.create(cadence, {
    observe: {
      value(key: string, from: number, to: number, startedAt?: number): void {
        cadence.observe(key, from, to, startedAt);
        // Best effort: a duration not recorded is one fewer to learn from, nothing is lost.
        answerOf(store.recordLearned([{ key, from, to, startedAt, origin }])).subscribe({ error: ignore });
      },
    },
  }) as Cadence;
  const refresh = (): Observable<void> => {
    if (reading !== undefined) return reading;
    const now = scheduler.now();
    if (readAt !== undefined && now - readAt < refreshInterval) return of(undefined);
    readAt = now;
    reading = answerOf(store.learnedSince(cursor)).pipe(
      map((since) => {
        for (const learned of since.durations) if (learned.origin !== origin) cadence.observe(learned.key, learned.from, learned.to, learned.startedAt);
        cursor = since.cursor;
      }),
      catchError(() => of(undefined)),
      // A store that answered nothing counts as read; never a refresh that does not emit.
      defaultIfEmpty(undefined),
      finalize(() => (reading = undefined)),
      share(),
    );
    return reading;
  };
  return { cadence: recording, refresh };
}
