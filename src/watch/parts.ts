/**
 * What a watch asks of the capabilities plugged into it (push, a shared hub), as small interfaces: the
 * watch calls a part through them and imports none of the parts. Each option's value carries its part
 * (under `WATCH_PART`: `createPushSource`, `createSharedHub`), so a watch that uses none of them does
 * not carry their code. The learned cadence is the third part (`CadencePlanner`, which the store itself
 * hands out).
 *
 * @module
 */
import { catchError, EMPTY, filter, map, type Observable } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import type { PushSource } from '../push/PushSource.js';
import type { PolledBetween } from '../push/sharedReply.js';
import { WATCH_PART, type WatchPartMaker } from '../push/watchPart.js';
import { isSettled, type Reconciliation, type WatchState } from './reconcile.js';

/**
 * A body from outside the watch folded into its latest state: a webhook's (a generation finished as
 * it arrived) or a reply another instance polled (`polled`: it finished between that instance's polls).
 */
export interface BodyStep {
  readonly kind: 'push';
  readonly state: WatchState;
  readonly events: ReadonlyArray<GenerationEvent>;
  readonly settled: boolean;
  readonly polled: PolledBetween | undefined;
}

/** The shared hub's lease said whether this instance polls the task at its own cadence. */
export interface LeaseStep {
  readonly kind: 'lease';
  readonly holding: boolean;
}

/** A capability plugged into a watch: push (`pushSteps.ts`) or a shared hub (`sharedSteps.ts`). */
export interface WatchPart {
  /**
   * The task's steps: each body folded into the state `latest()` gives when it arrives (whatever poll
   * is in flight), and the lease's answers. A body that cannot be read is left out; the steps never
   * error (a broken push costs lag, never the watch).
   */
  steps(taskUUID: string, latest: () => WatchState, numberResults: number | undefined): Observable<BodyStep | LeaseStep>;
  /** A reply this instance polled taught it something; `polled` says when that poll and the one answered before went out. */
  polled(taskUUID: string, reply: unknown, polled: PolledBetween): void;
  /** Whether a lease decides how this instance polls (a shared hub): until it answers, the watch polls as the safety net. */
  readonly leased: boolean;
}

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
