/**
 * The contract between a watch and a hub shared by several instances (`runware-rx/redis`): types
 * only, free of Node modules, so the core package can import it without pulling in Redis.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { PushHub } from './PushHub.js';
import type { WATCH_PART, WatchPartMaker } from './watchPart.js';

/**
 * A {@link PushHub}'s `publish` and `watch` shared by several instances, plus the polling lease: what the
 * `sharedHub` option of a watch takes (a webhook receiver's `pushHub` takes a `PushHub`).
 * What a watch needs to share a task with the other instances of a service (`watchTask(uuid, { sharedHub })`,
 * `createRunwareClient({ sharedHub })`): the bodies every instance hands to the hub (webhooks received by any
 * instance, replies polled by any instance), a way to hand it the replies this instance polls, and the
 * polling lease that decides which instance polls the task at its full cadence. `createRedisHub` of
 * `runware-rx/redis` is one; `createSharedHub` makes one of your own (a test can script one with
 * subjects), with the code a watch runs for it.
 *
 * @example
 * ```ts
 * import { NEVER, of } from 'rxjs';
 * import { createSharedHub } from 'runware-rx';
 *
 * // A hub of one instance that always holds the lease: the watch polls at its own cadence.
 * export const alone = createSharedHub({
 *   watch: () => NEVER,
 *   publish: () => Promise.resolve(),
 *   acquire: () => of(true),
 * });
 * ```
 */
export interface SharedHub extends Pick<PushHub, 'publish' | 'watch'> {
  /**
   * Cold: the task's bodies kept by the hub, then every later one, from every instance; raw (a webhook's
   * flat task object or envelope, or a reply another instance polled). Should never complete or error;
   * if it does, the watch goes on polling on its own.
   */
  watch(taskUUID: string): Observable<unknown>;
  /** Hands one body of the task to every instance's watches; rejects when the hub cannot take it. */
  publish(taskUUID: string, body: unknown): Promise<void>;
  /**
   * Cold: while subscribed, holds or contends for the task's polling lease; emits `true` while this
   * instance should poll the task (it holds the lease, or the hub cannot be asked), `false` while
   * another instance polls it, and again on every change. Unsubscribing releases the lease.
   */
  acquire(taskUUID: string): Observable<boolean>;
  /** How a watch reads this hub (its bodies, its lease) and hands it what it polled: set by `createSharedHub` (and `createRedisHub`), so a watch without a hub carries none of it. */
  readonly [WATCH_PART]: WatchPartMaker;
}
