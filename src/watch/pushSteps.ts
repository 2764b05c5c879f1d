/**
 * Push as a part of a watch: a push source's bodies for the task, folded like polled replies as they
 * arrive, and `createPushSource`, which puts that part in the source (a watch without push carries none
 * of it). How sparse polling is while a task has push is the plan's (`plan.ts`).
 *
 * @module
 */
import type { PushSource } from '../push/PushSource.js';
import type { WATCH_PART } from '../push/watchPart.js';
import { applied, bodySteps, plugged, pushedStep } from './parts.js';
import { bodyFolded, safetyNetPoll, type WatchPart } from './plan.js';

/**
 * A push source of your own (`urlFor`, `watch`, and the `pushHub` it publishes to, if any) as the
 * `push` option takes it: the same object read through, carrying the code a watch runs for its bodies.
 * A webhook receiver of `runware-rx/server` already is one.
 *
 * @example
 * ```ts
 * import { NEVER } from 'rxjs';
 * import { createPushSource, watchTask } from 'runware-rx';
 *
 * declare const taskUUID: string;
 * // A source that never pushes: the watch polls as the safety net (first poll after a minute).
 * const push = createPushSource({ urlFor: (task) => `https://app.example.com/hook?task=${task}`, watch: () => NEVER });
 * watchTask(taskUUID, { push }).subscribe();
 * ```
 */
export function createPushSource<Source extends Omit<PushSource, typeof WATCH_PART>>(source: Source): Source & PushSource {
  return plugged('createPushSource', source, ['urlFor', 'watch'], pushPart);
}

/** The part `push` plugs into a watch: each pushed body as one generation's news (a webhook lands at the finish), and the safety net's polls. */
export function pushPart(source: Pick<PushSource, 'watch'>): WatchPart {
  return {
    steps: (watch) =>
      applied(watch, () =>
        bodySteps(source.watch(watch.taskUUID), (body) => pushedStep(watch.latest(), body, watch.numberResults)),
      ),
    polled: ignore,
    place: safetyNetPoll,
    decide: bodyFolded,
  };
}

function ignore(): void {
  // push has nothing to do with a reply this instance polled
}
