/**
 * One reply body folded into a task's state: the step every poll and `client.getResponse` share.
 *
 * @module
 */
import { RunwareDecodeError } from './errors/RunwareDecodeError.js';
import { isRunwareError } from './errors/RunwareError.js';
import { decodeReply } from './protocol/decodeReply.js';
import { requestErrorFromWire } from './protocol/errorScope.js';
import { readTaskReply } from './protocol/taskReply.js';
import { reconcile, type Reconciliation, type WatchState } from './reconcile.js';

/**
 * Folds one reply body into a task's state: decoded (or RunwareDecodeError), refused when it carries a
 * request-level error (RunwareApiError), else reconciled. Shared by every poll, every pushed body
 * (`cumulative: false`, see `reconcile`) and `client.getResponse`.
 */
export function foldReply(state: WatchState, body: unknown, numberResults?: number, cumulative = true): Reconciliation {
  try {
    const reply = readTaskReply(decodeReply(body), state.taskUUID);
    const refusal = reply.requestErrors[0];
    if (refusal !== undefined) throw requestErrorFromWire(refusal);
    return reconcile(state, reply, numberResults, cumulative);
  } catch (error) {
    if (isRunwareError(error)) throw error;
    // Our own exception (a stack overflow on a reply deeper than a custom transport let through, a bug):
    // never a network failure, and the same reply would throw again, so it is not retried.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error was thrown';
    throw new RunwareDecodeError({ issues: [`body: reading the reply threw ${reason}`], body, retryable: false, cause: error });
  }
}
