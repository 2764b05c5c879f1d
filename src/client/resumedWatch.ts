/**
 * How a recorded task is watched again, by `client.resume()` or by `client.run` of a task the store
 * holds: never submitted again, polled at once, planned from its original start, only what was not
 * delivered yet emitted.
 *
 * @module
 */
import { catchError, EMPTY, from, type Observable, throwError } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import type { GenerationErrorEvent, GenerationEvent } from '../events/events.js';
import type { ClientWatchOptions } from '../watch/options.js';
import type { TaskRecord } from '../store/TaskStore.js';
import { pushOf } from '../watch/settings.js';

/** Codes with which Runware says it does not know a task (never received, or expired). */
const UNKNOWN_TASK_CODES: ReadonlySet<string> = new Set(['taskNotFound', 'taskFailedOrNotFound', 'taskExpired']);

/**
 * The watch options of a resumed task: the first poll at once (`initialDelay` 0, and the safety net's
 * `push.pollDelay` 0 with push), the learned cadence counted from the recorded submission
 * (`cadence.startedAt`), the generations already delivered skipped (`delivered`). `options` (the
 * caller's) come first, these win; `client` gives the push source when the call names none.
 */
export function resumedWatchOptions(record: TaskRecord, options: ClientWatchOptions | undefined, client: ClientWatchOptions): ClientWatchOptions {
  // The call's own cadence option, or none: the client fills in its store (the one recording what it learns).
  const cadence = options?.cadence;
  const push = options?.push ?? client.push;
  return {
    ...options,
    initialDelay: 0,
    cadence: cadence === false ? false : { ...cadence, startedAt: record.submittedAt },
    ...(push === undefined ? {} : { push: { ...pushOf(push), pollDelay: 0 } }),
    delivered: record.delivered,
    numberResults: record.numberResults,
  };
}

/**
 * `watch` of a recorded task, with Runware's "I do not know this task" turned into the end of each
 * generation not delivered yet: a `GenerationErrorEvent` with Runware's code, so the task ends (a task
 * recorded but never received is not submitted again: the app decides). Other errors pass through.
 */
export function endingUnknown(watch: Observable<GenerationEvent>, record: TaskRecord): Observable<GenerationEvent> {
  const finished = new Set(record.delivered.map((event) => event.index));
  return watch.pipe(
    catchError((error: unknown) => {
      if (!(error instanceof RunwareApiError) || !UNKNOWN_TASK_CODES.has(error.code)) return throwError(() => error);
      const events: GenerationErrorEvent[] = [];
      for (let index = 0; index < record.numberResults; index += 1) {
        if (finished.has(index)) continue;
        const message = `Runware does not know task ${record.taskUUID} (${record.acked ? 'expired' : 'recorded before it was sent; it never arrived'}): it was not submitted again`;
        events.push({ status: 'error', taskUUID: record.taskUUID, taskType: record.taskType, index, error: { code: error.code, message } });
      }
      return events.length === 0 ? EMPTY : from(events);
    }),
  );
}
