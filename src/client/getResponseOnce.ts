/**
 * One poll of a task, read into a snapshot.
 *
 * @module
 */
import { catchError, map, type Observable, type SchedulerLike, throwError } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import { generationsOf, initialWatchState } from '../watch/reconcile.js';
import type { Transport } from '../transport/Transport.js';
import { bindError } from '../errors/bindError.js';
import { foldReply } from '../watch/foldReply.js';
import { requestOnce } from '../transport/requestOnce.js';

/**
 * A task as one `getResponse` reply shows it: its generations reconciled exactly as a watch's first poll
 * would (slots by index; processing, success or error), so `status` and `index` mean the same here.
 */
export interface TaskSnapshot {
  readonly taskUUID: string;
  /** Learnt from the reply; `undefined` when no item named it. */
  readonly taskType: string | undefined;
  /** The latest event of every generation the reply lists, by index. Empty when it lists none. */
  readonly generations: ReadonlyArray<GenerationEvent>;
}

/**
 * Sends one `getResponse` for `taskUUID` and emits its {@link TaskSnapshot} once. No retry: a failure of
 * the request (`RunwareHttpError`, `RunwareDecodeError`) or a request-level error in the reply
 * (`RunwareApiError`, e.g. `taskNotFound`) is the error of this stream, bound to the task.
 */
export function getResponseOnce(
  taskUUID: string,
  transport: Transport,
  settings: { readonly requestTimeout: number; readonly scheduler: SchedulerLike },
): Observable<TaskSnapshot> {
  return requestOnce(transport, [{ taskType: 'getResponse', taskUUID }], settings).pipe(
    map((body): TaskSnapshot => {
      const { state } = foldReply(initialWatchState(taskUUID), body);
      return { taskUUID, taskType: state.taskType, generations: generationsOf(state) };
    }),
    catchError((caught: unknown) => throwError(() => bindError(caught, taskUUID))),
  );
}
