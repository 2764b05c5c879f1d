/**
 * Push as a part of a watch: a push source's bodies for the task, folded like polled replies as they
 * arrive. How sparse polling is while a task has push is the plan's (`plan.ts`).
 *
 * @module
 */
import type { PushSource } from '../push/PushSource.js';
import { foldPushed } from './foldReply.js';
import { bodyStep, bodySteps, type WatchPart } from './parts.js';

/** The part `push` plugs into a watch: each pushed body as one generation's news (a webhook lands at the finish). */
export function pushPart(source: Pick<PushSource, 'watch'>): WatchPart {
  return {
    leased: false,
    steps: (taskUUID, latest, numberResults) =>
      bodySteps(source.watch(taskUUID), (body) => {
        const folded = foldPushed(latest(), body, numberResults);
        return folded === undefined ? undefined : bodyStep(folded, numberResults, undefined);
      }),
    polled: ignore,
  };
}

function ignore(): void {
  // push has nothing to do with a reply this instance polled
}
