/**
 * What push adds to a watch: pushed bodies as steps of its schedule, folded like polled replies, and the
 * sparse safety-net gap between polls while the task has push.
 *
 * @module
 */
import { catchError, EMPTY, filter, map, type Observable } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import { foldReply } from './foldReply.js';
import type { WatchSettings } from './options.js';
import type { PushSource } from '../push/PushSource.js';
import { pushedReply } from '../push/pushedReply.js';
import { isSettled, type WatchState } from './reconcile.js';
import { backoffDelay } from '../schedule/backoff.js';

/** A pushed body folded into the watch's state. */
export interface PushOutcome {
  readonly kind: 'push';
  readonly state: WatchState;
  readonly events: ReadonlyArray<GenerationEvent>;
  readonly settled: boolean;
}

/**
 * The task's pushed bodies as outcomes, each folded by `fold` when it arrives (so into the latest state,
 * whatever poll is in flight). A body `fold` cannot read is left out, and a push source that errors is
 * left behind: polling goes on either way, so a broken push costs lag, never the watch.
 */
export function pushOutcomes(push: Pick<PushSource, 'watch'>, taskUUID: string, fold: (body: unknown) => PushOutcome | undefined): Observable<PushOutcome> {
  return push.watch(taskUUID).pipe(
    map(fold),
    filter((outcome): outcome is PushOutcome => outcome !== undefined),
    catchError(() => EMPTY),
  );
}

/**
 * One pushed body folded into `state` like a polled reply, but as one generation rather than the full
 * list (`cumulative: false`); undefined when it does not decode or carries a request-level error: such a
 * body says nothing reliable about a generation, and the next poll reads the task as Runware has it.
 */
export function foldPushed(state: WatchState, body: unknown, numberResults: number | undefined): PushOutcome | undefined {
  try {
    const { state: folded, events } = foldReply(state, pushedReply(body, state.taskUUID), numberResults, undefined, false);
    return { kind: 'push', state: folded, events, settled: isSettled(folded, numberResults) };
  } catch {
    return undefined;
  }
}

/** The gap between two safety-net polls: `pushPollInterval`, jittered like every gap of the schedule. */
export function safetyNetGap(settings: WatchSettings): number {
  const { pushPollInterval: interval, jitter } = settings;
  return backoffDelay(1, { interval, multiplier: 1, maxInterval: interval, jitter }, settings.random);
}
