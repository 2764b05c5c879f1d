/**
 * What every {@link PushHub} does around its own work, written once: the checks of `publish` and
 * `watch`, task UUIDs folded to their lower-case key, no publication and no new watch after close, and
 * every failure of `publish` as a rejection, never a throw.
 *
 * @module
 */
import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import type { PushHub } from './PushHub.js';
import { taskKey } from './taskKey.js';

/** A hub's own work, given checked input. */
export interface HubWork {
  /** Names the hub in errors (`createMemoryHub`). */
  readonly name: string;
  isClosed(): boolean;
  /** Stores the task's body (`text` is its JSON) and fans it out; `key` is the task UUID in lower case. */
  publish(key: string, body: unknown, text: string): Promise<void>;
  /** Starts one watch of the task for `subscriber` (an open hub); returns its teardown. */
  watch(key: string, subscriber: Subscriber<unknown>): TeardownLogic;
}

/**
 * `publish` and `watch` of a hub from its work: `publish` rejects (a TypeError) for a task that is not
 * a UUID or a body that is not a JSON value, and after close; `watch` throws a TypeError at call for a
 * task that is not a UUID, and completes at once after close.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { hubCalls } from './hubCalls.js';
 *
 * const stored: string[] = [];
 * const hub = hubCalls({ name: 'exampleHub', isClosed: () => false, publish: (key, _body, text) => (stored.push(`${key} ${text}`), Promise.resolve()), watch: () => undefined });
 * await hub.publish('0B5A2C1E-3F4D-4E6A-9B7C-8D9E0F1A2B3C', { status: 'success' });
 * assert.deepEqual(stored, ['0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c {"status":"success"}']);
 * await assert.rejects(hub.publish('0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c', undefined), TypeError);
 * ```
 */
export function hubCalls(work: HubWork): Pick<PushHub, 'publish' | 'watch'> {
  return {
    publish(taskUUID, body) {
      try {
        if (work.isClosed()) throw new Error(`${work.name}: publish after close`);
        const key = taskKey(taskUUID, 'PushHub.publish');
        const text = JSON.stringify(body);
        if (text === undefined) throw new TypeError('PushHub.publish: body must be a JSON value');
        return work.publish(key, body, text);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    watch(taskUUID) {
      const key = taskKey(taskUUID, 'PushHub.watch');
      return new Observable<unknown>((subscriber) => {
        if (work.isClosed()) {
          subscriber.complete();
          return undefined;
        }
        return work.watch(key, subscriber);
      });
    },
  };
}
