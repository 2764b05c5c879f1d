/**
 * `createMemoryTaskStore`: the task store a client has when it is given none. Nothing survives the
 * process, which is the point of the default: a client records nothing outside itself unless told to.
 *
 * @module
 */
import { asyncScheduler, type Observable, of, type SchedulerLike } from 'rxjs';
import { checkWholeNumber } from '../errors/checkWholeNumber.js';
import { TaskLedger } from './taskLedger.js';
import type { TaskStoreEntry } from './taskStoreEntry.js';
import type { ObservedTaskStore } from './TaskStore.js';

/** Options of the memory, file and Redis task stores. All durations are milliseconds. */
export interface TaskStoreOptions {
  /**
   * How long an ended task stays held after its end, so that running it again under the same taskUUID
   * is recognised (nothing is sent again) and a changed request is refused.
   * @defaultValue 86400000 (24 hours)
   */
  readonly retention?: number;
  /** Learned durations kept (about 100 bytes each); older ones weigh next to nothing after 20 newer ones of their key. @defaultValue 10000 */
  readonly maxLearned?: number;
  /** Clock of the retention. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Options of {@link createMemoryTaskStore}. */
export interface MemoryTaskStoreOptions extends TaskStoreOptions {
  /** Tasks held at most (finished or not); beyond it the oldest record is forgotten. @defaultValue 10000 */
  readonly maxTasks?: number;
}

/** The default retention of every store: a day. */
export const DEFAULT_RETENTION = 86_400_000;

/**
 * A task store in this process' memory. Every answer is synchronous (an Observable that has emitted
 * by the time `subscribe` returns), so a client on a `TestScheduler` keeps its exact frames. The
 * client's default is one with `retention: 0`: an ended task is forgotten at once, and `client.resume()`
 * then finishes within the process what a failed watch (a deadline, a network outage) left.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createMemoryTaskStore } from 'runware-rx';
 *
 * const store = createMemoryTaskStore();
 * const taskUUID = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
 * await firstValueFrom(store.recordTask({ taskUUID, taskType: 'videoInference', numberResults: 1, fingerprint: 'f', submittedAt: 0 }));
 * assert.equal((await firstValueFrom(store.unfinished())).length, 1);
 * ```
 */
export function createMemoryTaskStore(options: MemoryTaskStoreOptions = {}): ObservedTaskStore {
  const scheduler = options.scheduler ?? asyncScheduler;
  const ledger = new TaskLedger(resolveLimits('createMemoryTaskStore', options, options.maxTasks ?? 10_000));
  const write = (entry: TaskStoreEntry): Observable<void> => {
    const now = scheduler.now();
    ledger.apply(entry, now);
    ledger.prune(now);
    return of(undefined);
  };
  return {
    recordTask: (task) => write({ kind: 'task', task }),
    recordAck: (taskUUID) => write({ kind: 'ack', taskUUID }),
    recordDelivery: (event) => write({ kind: 'delivery', event }),
    recordEnd: (taskUUID, at) => write({ kind: 'end', taskUUID, at }),
    recordLearned: (durations) => write({ kind: 'learned', durations: [...durations] }),
    task: (taskUUID) => {
      ledger.prune(scheduler.now());
      return of(ledger.task(taskUUID));
    },
    unfinished: () => of(ledger.unfinished()),
    learnedSince: (cursor) => of(ledger.learnedSince(cursor)),
  };
}

/** The ledger limits of a store's options, checked; `caller` names the store in the RangeError. */
export function resolveLimits(caller: string, options: TaskStoreOptions, maxTasks: number): { retention: number; maxTasks: number; maxLearned: number } {
  const retention = options.retention ?? DEFAULT_RETENTION;
  const maxLearned = options.maxLearned ?? 10_000;
  if (typeof retention !== 'number' || !(retention >= 0) || !Number.isFinite(retention)) throw new RangeError(`${caller}: option retention must be a finite number of ms of at least 0, got ${String(retention)}`);
  checkWholeNumber(caller, 'maxLearned', maxLearned, 0);
  if (maxTasks !== Infinity) checkWholeNumber(caller, 'maxTasks', maxTasks, 1);
  return { retention, maxTasks, maxLearned };
}
