/**
 * Binding a failure to the task it happened to.
 *
 * @module
 */
import { isRunwareError, RunwareHttpError, type RunwareError } from '../errors.js';

/**
 * `caught` as a RunwareError about `taskUUID`: a runware-rx error is copied with `forTask` (unless it
 * already names that task); anything else (a custom transport's own error) counts as a network failure,
 * as it does in a watch.
 */
export function bindToTask(caught: unknown, taskUUID: string): RunwareError {
  if (isRunwareError(caught) && typeof (caught as { forTask?: unknown }).forTask === 'function') {
    return caught.taskUUID === taskUUID ? caught : caught.forTask(taskUUID);
  }
  return new RunwareHttpError({ failure: 'network', taskUUID, cause: caught });
}
