/**
 * Binding any failure to the task it is about.
 *
 * @module
 */
import { RunwareHttpError } from './RunwareHttpError.js';
import { isRunwareError, type RunwareError } from './RunwareError.js';

/** Any failure as a RunwareError about this task; a foreign error from a custom transport counts as a network failure. */
export function bindError(caught: unknown, taskUUID: string): RunwareError {
  if (isRunwareError(caught) && caught instanceof Error && 'forTask' in caught) {
    return caught.taskUUID === taskUUID ? caught : caught.forTask(taskUUID);
  }
  return new RunwareHttpError({ failure: 'network', taskUUID, cause: caught });
}
