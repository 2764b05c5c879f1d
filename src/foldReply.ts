/**
 * One reply body folded into a task's state: the step every poll and `client.getResponse` share.
 *
 * @module
 */
import { decodeReply } from './protocol/decodeReply.js';
import { requestErrorFromWire } from './protocol/errorScope.js';
import { readTaskReply } from './protocol/taskReply.js';
import { reconcile, type Reconciliation, type WatchState } from './reconcile.js';

/**
 * Folds one reply body into a task's state: decoded (or RunwareDecodeError), refused when it carries a
 * request-level error (RunwareApiError), else reconciled. Shared by every poll and `client.getResponse`.
 */
export function foldReply(state: WatchState, body: unknown, numberResults?: number): Reconciliation {
  const reply = readTaskReply(decodeReply(body), state.taskUUID);
  const refusal = reply.requestErrors[0];
  if (refusal !== undefined) throw requestErrorFromWire(refusal);
  return reconcile(state, reply, numberResults);
}
