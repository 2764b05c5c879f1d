/**
 * A hub shared by several instances as a part of a watch: the polling lease's answers as steps, bodies
 * from other instances folded (their polled replies as polls, learned between their polls; webhooks as
 * pushes), and this instance's polled replies handed to the hub with when they were polled; and
 * `createSharedHub`, which puts that part in the hub (a watch without a hub carries none of it).
 *
 * @module
 */
import { catchError, map, merge, of, type Observable } from 'rxjs';
import type { PushSource } from '../push/PushSource.js';
import type { SharedHub } from '../push/SharedHub.js';
import type { WATCH_PART } from '../push/watchPart.js';
import { polledBetweenIn, sharedReply, sharedReplyIn, type PolledBetween } from '../push/sharedReply.js';
import { foldReply } from './foldReply.js';
import { applied, bodyStep, bodySteps, plugged, pushedStep } from './parts.js';
import { bodyFolded, leased, leasedPoll, type WatchPart } from './plan.js';
import type { WatchState } from './reconcile.js';
import type { BodyStep, LeaseStep } from './steps.js';

const HOLDING: LeaseStep = Object.freeze({ kind: 'lease', holding: true });
const FOLLOWING: LeaseStep = Object.freeze({ kind: 'lease', holding: false });

/**
 * A hub of your own (`watch`, `publish`, `acquire`) as the `sharedHub` option takes it: the same object
 * read through (its other members too, such as a `PushHub`'s `close`), carrying the code a watch runs
 * for it. `createRedisHub` of `runware-rx/redis` already is one.
 *
 * @example
 * ```ts
 * import { tap } from 'rxjs';
 * import { createSharedHub, watchTask, type SharedHub } from 'runware-rx';
 *
 * declare const redisHub: SharedHub;
 * declare const taskUUID: string;
 * // The same hub, logging each answer of the lease: a copy, still carrying the hub's part.
 * const sharedHub = createSharedHub({ ...redisHub, acquire: (task: string) => redisHub.acquire(task).pipe(tap((holding) => console.log(task, holding))) });
 * watchTask(taskUUID, { sharedHub }).subscribe();
 * ```
 */
export function createSharedHub<Hub extends Omit<SharedHub, typeof WATCH_PART>>(hub: Hub): Hub & SharedHub {
  return plugged('createSharedHub', hub, ['watch', 'publish', 'acquire'], hubPart);
}

/**
 * The part `sharedHub` plugs into a watch. Throws a TypeError when the watch's `push` source publishes
 * to another hub: a receiver that publishes where the watch does not read would lose every webhook.
 */
export function hubPart(hub: Omit<SharedHub, typeof WATCH_PART>, push?: PushSource): WatchPart {
  if (push?.pushHub !== undefined && push.pushHub !== hub) throw new TypeError('watchTask: option push publishes to another hub than option sharedHub: create the webhook receiver with { pushHub }');
  return {
    steps: (watch) =>
      applied(watch, () =>
        merge(
          bodySteps(hub.watch(watch.taskUUID), (body) => foldShared(watch.latest(), body, watch.numberResults)),
          leaseSteps(hub, watch.taskUUID),
        ),
      ),
    polled: (taskUUID, reply, polled) => publishPolled(hub, taskUUID, reply, polled),
    place: leasedPoll,
    decide: (state, step, context, now) => (step.kind === 'lease' ? leased(state, step, context, now) : bodyFolded(state, step)),
  };
}

/**
 * The task's lease as steps. A lease that errors says `true` and ends: an instance that cannot ask
 * polls on its own, the safe side (a body may then be polled twice; reconcile makes one event of it).
 */
export function leaseSteps(hub: Pick<SharedHub, 'acquire'>, taskUUID: string): Observable<LeaseStep> {
  return hub.acquire(taskUUID).pipe(
    map((holding) => (holding === true ? HOLDING : FOLLOWING)),
    catchError(() => of(HOLDING)),
  );
}

/**
 * One body from the hub folded into `state`: a reply another instance polled (see `sharedReply`) as a
 * poll (it lists every generation), which teaches the interval between that instance's polls; anything
 * else as a pushed webhook body. Undefined when it does not decode or carries a request-level error:
 * that says nothing reliable about a generation.
 */
export function foldShared(state: WatchState, body: unknown, numberResults: number | undefined): BodyStep | undefined {
  const polled = sharedReplyIn(body);
  if (polled === undefined) return pushedStep(state, body, numberResults);
  try {
    // A body of an instance that did not say when it polled is learned as arriving now, as before.
    return bodyStep(foldReply(state, polled, numberResults), numberResults, polledBetweenIn(body));
  } catch {
    return undefined;
  }
}

/**
 * Hands the task's part of a polled reply to the hub, for the other instances' watches. Fire and
 * forget: a hub that cannot take it (Redis away) costs the others lag, and their lease then tells them
 * to poll on their own.
 */
export function publishPolled(hub: Pick<SharedHub, 'publish'>, taskUUID: string, reply: unknown, polled?: PolledBetween): void {
  const body = sharedReply(reply, taskUUID, polled);
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
