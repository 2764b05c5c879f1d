/**
 * One reply body folded into a task's state: the step every poll, every pushed body and
 * `client.getResponse` share.
 *
 * @module
 */
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { isRunwareError } from '../errors/RunwareError.js';
import { decodeReply } from '../protocol/decodeReply.js';
import { requestErrorFromWire } from '../protocol/errorScope.js';
import { sameJson } from '../protocol/sameJson.js';
import { pushedReply } from '../push/pushedReply.js';
import { readTaskReply } from '../protocol/taskReply.js';
import { reconcile, type Reconciliation, type WatchState } from './reconcile.js';

/** A reply that was folded, and the state folding it left. */
export interface Folded {
  readonly body: unknown;
  readonly state: WatchState;
  /** What folding it reported (see `FoldedReply`), so an equal reply reports it again. */
  readonly unknownStatuses?: ReadonlyArray<string> | undefined;
}

/** A reply folded: the reconciliation, and the statuses it used that runware-rx does not know (see `TaskReply`). */
export interface FoldedReply extends Reconciliation {
  readonly unknownStatuses: ReadonlyArray<string> | undefined;
}

const NO_EVENTS: Reconciliation['events'] = Object.freeze([]);

/**
 * Folds one reply body into a task's state: decoded (or RunwareDecodeError), refused when it carries a
 * request-level error (RunwareApiError), else reconciled. Shared by every poll, every pushed body
 * (`cumulative: false`, see `reconcile`) and `client.getResponse`.
 *
 * With `last`, the reply folded before: when `state` is the state it left and `body` is equal to it (a
 * task still processing answers the same on every poll), the result is `state` and no event, without
 * decoding. Folding is idempotent (spec/watch/reconcile.property.spec.ts), so this is what folding would give,
 * but for a state waiting on a second reply that shows the task ended (`WatchState.ending`).
 * A `body` that is the very object of `last` is folded all the same: a transport may have changed it.
 */
export function foldReply(state: WatchState, body: unknown, numberResults?: number, last?: Folded, cumulative = true): FoldedReply {
  try {
    if (last !== undefined && last.state === state && state.ending === undefined && last.body !== body && sameJson(last.body, body)) {
      return { state, events: NO_EVENTS, unknownStatuses: last.unknownStatuses };
    }
    const reply = readTaskReply(decodeReply(body), state.taskUUID);
    const refusal = reply.requestErrors[0];
    if (refusal !== undefined) throw requestErrorFromWire(refusal);
    const { state: folded, events } = reconcile(state, reply, numberResults, cumulative);
    return { state: folded, events, unknownStatuses: reply.unknownStatuses };
  } catch (error) {
    if (isRunwareError(error)) throw error;
    // Our own exception (a stack overflow on a reply deeper than a custom transport let through, a bug):
    // never a network failure, and the same reply would throw again, so it is not retried.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error was thrown';
    throw new RunwareDecodeError({ issues: [`body: reading the reply threw ${reason}`], body, retryable: false, cause: error });
  }
}

/**
 * One pushed body (a webhook's) folded into `state` like a polled reply, but as one generation rather
 * than the full list (`cumulative: false`); undefined when it does not decode or carries a
 * request-level error: such a body says nothing reliable about a generation, and the next poll reads
 * the task as Runware has it.
 */
export function foldPushed(state: WatchState, body: unknown, numberResults: number | undefined): Reconciliation | undefined {
  try {
    return foldReply(state, pushedReply(body, state.taskUUID), numberResults, undefined, false);
  } catch {
    return undefined;
  }
}
