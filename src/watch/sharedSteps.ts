/**
 * What a shared hub adds to a watch: the polling lease's answers as steps of its schedule, bodies from
 * other instances folded (their polled replies as polls, webhooks as pushes), and its own polled replies
 * handed to the hub.
 *
 * @module
 */
import { catchError, map, of, type Observable } from 'rxjs';
import { foldReply } from './foldReply.js';
import type { SharedHub } from '../push/SharedHub.js';
import { sharedReply, sharedReplyIn } from '../push/sharedReply.js';
import { foldPushed, type PushOutcome } from './pushSteps.js';
import { isSettled, type WatchState } from './reconcile.js';

/** The lease said whether this instance polls the task at its own cadence. */
export interface LeaseStep {
  readonly kind: 'lease';
  readonly holding: boolean;
}

const HOLDING: LeaseStep = Object.freeze({ kind: 'lease', holding: true });
const FOLLOWING: LeaseStep = Object.freeze({ kind: 'lease', holding: false });

/**
 * The task's lease as steps. A lease that errors says `true` and ends: an instance that cannot ask
 * polls on its own, the safe side (a body may then be polled twice; reconcile makes one event of it).
 */
export function leaseSteps(hub: SharedHub, taskUUID: string): Observable<LeaseStep> {
  return hub.acquire(taskUUID).pipe(
    map((holding) => (holding === true ? HOLDING : FOLLOWING)),
    catchError(() => of(HOLDING)),
  );
}

/**
 * One body from the hub folded into `state`: a reply another instance polled (see `sharedReply`) as a
 * poll (it lists every generation), anything else as a pushed webhook body. Undefined when it does not
 * decode or carries a request-level error: that says nothing reliable about a generation.
 */
export function foldShared(state: WatchState, body: unknown, numberResults: number | undefined): PushOutcome | undefined {
  const polled = sharedReplyIn(body);
  if (polled === undefined) return foldPushed(state, body, numberResults);
  try {
    const { state: folded, events } = foldReply(state, polled, numberResults);
    return { kind: 'push', state: folded, events, settled: isSettled(folded, numberResults) };
  } catch {
    return undefined;
  }
}

/**
 * Hands the task's part of a polled reply to the hub, for the other instances' watches. Fire and
 * forget: a hub that cannot take it (Redis away) costs the others lag, and their lease then tells them
 * to poll on their own.
 */
export function publishPolled(hub: SharedHub, taskUUID: string, reply: unknown): void {
  const body = sharedReply(reply, taskUUID);
  if (body === undefined) return;
  try {
    hub.publish(taskUUID, body).catch(ignore);
  } catch {
    // a hub whose publish throws instead of rejecting: the same as a rejection
  }
}

function ignore(): void {
  // see publishPolled
}
