/**
 * How the capabilities plugged into a watch (push, a shared hub) come with their options' values, and
 * what they share: each value carries its part under `WATCH_PART` (`createPushSource`,
 * `createSharedHub`), which the watch calls through the plan's small `WatchPart` interface and imports
 * none of, so a watch that uses none of them does not carry their code (nor the plan's decisions only
 * a part reaches: the safety net, the lease). The learned cadence is the third part (`CadencePlanner`,
 * which the store itself hands out).
 *
 * @module
 */
import { catchError, EMPTY, filter, map, Observable } from 'rxjs';
import type { PushSource } from '../push/PushSource.js';
import type { PolledBetween } from '../push/sharedReply.js';
import { WATCH_PART, type WatchPartMaker } from '../push/watchPart.js';
import type { WatchPart } from './plan.js';
import { foldPushed } from './foldReply.js';
import { isSettled, type Reconciliation, type WatchState } from './reconcile.js';
import type { BodyStep, Decision, PartWatch, Step } from './steps.js';

/** A value that carries its part of a watch (a push source, a shared hub). */
export interface Plugged {
  readonly [WATCH_PART]: WatchPartMaker;
}

/** The part `value` carries, made for it; `push` is the watch's push source (a hub checks it publishes there). Throws what the part refuses. */
export function partOf(value: Plugged, push: PushSource | undefined): WatchPart {
  return (value[WATCH_PART] as (value: Plugged, push: PushSource | undefined) => WatchPart)(value, push);
}

/**
 * A copy of `value`'s own members (a hub's `close` too) carrying the part `make` makes of it: the
 * caller's object is left as it is, and a spread of the copy (`{ ...hub, acquire }`) still carries it.
 * Throws a TypeError, naming `caller`, when one of `methods` is not a function: the part calls them.
 */
export function plugged<Value extends object>(caller: string, value: Value, methods: ReadonlyArray<keyof Value & string>, make: (value: Value, push: PushSource | undefined) => WatchPart): Value & Plugged {
  if (methods.some((name) => typeof (value as Partial<Value> | null)?.[name] !== 'function')) {
    throw new TypeError(`${caller}: ${methods.join(', ')} must be functions`);
  }
  return { ...value, [WATCH_PART]: make };
}

/** A folded body as a step. */
export function bodyStep(folded: Reconciliation, numberResults: number | undefined, polled: PolledBetween | undefined): BodyStep {
  return { kind: 'push', state: folded.state, events: folded.events, settled: isSettled(folded.state, numberResults), polled };
}

/** A pushed body (a webhook's) folded into `state` as a step; undefined when it says nothing about a generation. */
export function pushedStep(state: WatchState, body: unknown, numberResults: number | undefined): BodyStep | undefined {
  const folded = foldPushed(state, body, numberResults);
  return folded === undefined ? undefined : bodyStep(folded, numberResults, undefined);
}

/**
 * Bodies from outside as steps, each read by `read` when it arrives (into the latest state, whatever
 * poll is in flight). A body `read` cannot read is left out, and a source that errors is left behind:
 * polling goes on either way, so a broken push or hub costs lag, never the watch.
 */
export function bodySteps(bodies: Observable<unknown>, read: (body: unknown) => BodyStep | undefined): Observable<BodyStep> {
  return bodies.pipe(
    map(read),
    filter((step): step is BodyStep => step !== undefined),
    catchError(() => EMPTY),
  );
}

/**
 * The steps `make` makes (at subscription) applied to `watch` as they arrive: their decisions, for the
 * watch's loop. Their end is not passed on: the watch ends when it settles, fails or is left.
 */
export function applied(watch: PartWatch, make: () => Observable<Step>): Observable<Decision> {
  return new Observable<Decision>((subscriber) => make().subscribe({ next: (step) => subscriber.next(watch.apply(step)) }));
}
