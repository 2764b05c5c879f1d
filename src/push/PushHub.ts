/**
 * The hub that carries webhook bodies from the process that received them to every watch of their
 * task: what a webhook receiver's `pushHub` option takes. Types only, free of Node modules.
 *
 * @module
 */
import type { Observable } from 'rxjs';

/**
 * Where received webhook bodies go and where watches read them: `createWebhookReceiver({ pushHub })`.
 * The in-memory hub ({@link createMemoryHub}, the default) serves one process; a Redis one
 * (`createRedisHub` of `runware-rx/redis`) serves many, so a webhook received by one instance reaches a
 * watch on another. A watch never takes a `PushHub` itself: it reads one through its receiver
 * (`push`), or through a `SharedHub` (`sharedHub`), which adds the polling lease.
 *
 * Contract, for every implementation:
 * - Task UUIDs are case-insensitive: `publish('ABC…')` reaches `watch('abc…')`.
 * - Bodies are kept raw (whatever JSON value the receiver accepted), in publication order, for a bounded
 *   time after the task's last publication; `watch` replays the kept bodies first, then emits live ones.
 *   So a webhook that lands before its watch subscribes is not lost.
 * - Every watch of a task receives every body (fan-out); `watch` never completes on its own and never
 *   errors for a task it has no bodies for (it waits); it errors only when the task's own storage cannot
 *   be read (a Redis key of another type), and that ends no other task's watch.
 * - A hub may drop a body identical to one it keeps, and may replay duplicates: watches decode and
 *   reconcile bodies exactly as polled replies, so a duplicate produces no duplicate event.
 * - `publish` resolves once the body is stored (for a remote hub: acknowledged by the store) and rejects
 *   when it cannot be, so the receiver can answer 5xx and let Runware retry.
 */
export interface PushHub {
  /** Stores one webhook body for the task and fans it out to the task's watches. */
  publish(taskUUID: string, body: unknown): Promise<void>;
  /** Cold: on subscription, the task's kept bodies, then every later one; unsubscribe to stop. */
  watch(taskUUID: string): Observable<unknown>;
  /** Releases timers and connections; open watches complete. Idempotent. */
  close(): Promise<void>;
}
