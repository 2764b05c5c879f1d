/**
 * The contract between a push source (a webhook receiver) and the watch: types only, free of Node
 * modules, so the core package can import it without pulling in the server.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { PushHub } from './PushHub.js';
import type { WATCH_PART, WatchPartMaker } from './watchPart.js';

/**
 * What a watch consumes to take pushed replies (`createRunwareClient({ push })`, `watchTask(uuid,
 * { push })`): the URL to give Runware as a task's `webhookURL`, and the bodies pushed for a task.
 * A webhook receiver (`runware-rx/server`) is one; `createPushSource` makes one of your own (a test
 * can script one with a `Subject`), with the code a watch runs for it.
 *
 * @example
 * ```ts
 * import { filter, map, Subject } from 'rxjs';
 * import { createPushSource } from 'runware-rx';
 *
 * // A scripted push source: a body pushed into `pushed` reaches the watches of its task.
 * const pushed = new Subject<{ readonly taskUUID: string; readonly body: unknown }>();
 * export const push = createPushSource({
 *   urlFor: (taskUUID) => `https://app.example.com/runware/webhook?task=${taskUUID}`,
 *   watch: (taskUUID) => pushed.pipe(filter((one) => one.taskUUID === taskUUID), map((one) => one.body)),
 * });
 * ```
 */
export interface PushSource {
  /** The `webhookURL` to submit with this task: the public URL plus a token bound to the task. */
  urlFor(taskUUID: string): string;
  /**
   * The task's pushed bodies, raw (flat task objects or `{data, errors}` envelopes): the ones already
   * received, then live ones. Should never complete or error; if it does, the watch goes on polling.
   */
  watch(taskUUID: string): Observable<unknown>;
  /**
   * The {@link PushHub} the source publishes its bodies to, when it has one (a webhook receiver's): a
   * watch with a `sharedHub` checks that it is the same, or every webhook would be lost to it.
   */
  readonly pushHub?: Pick<PushHub, 'publish' | 'watch'>;
  /** How a watch takes this source's bodies: set by `createPushSource` (and the webhook receiver), so a watch without push carries none of it. */
  readonly [WATCH_PART]: WatchPartMaker;
}
