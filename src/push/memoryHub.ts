/**
 * The default {@link PushHub}: one process, in memory, bounded in time, bodies per task and tasks.
 *
 * @module
 */
import { asyncScheduler, timer, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { hubCalls } from './hubCalls.js';
import type { PushHub } from './PushHub.js';

/** Options of {@link createMemoryHub}. All durations are milliseconds. */
export interface MemoryHubOptions {
  /**
   * How long a task's bodies are kept after its last publication, for a watch that subscribes late
   * (the webhook raced the subscription, or the task is watched from a later request).
   * @defaultValue 600000 (10 minutes)
   */
  readonly ttl?: number;
  /** Bodies kept per task; beyond it the oldest is forgotten (Runware sends one per generation). @defaultValue 100 */
  readonly maxBodiesPerTask?: number;
  /** Tasks kept; beyond it the least recently published unwatched task is forgotten. @defaultValue 10000 */
  readonly maxTasks?: number;
  /** Clock of the ttl. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

interface Entry {
  /** Kept bodies and their JSON texts (for dropping exact duplicates), oldest first. */
  readonly kept: Array<{ readonly body: unknown; readonly text: string }>;
  readonly watchers: Set<Subscriber<unknown>>;
  expiry: Subscription | undefined;
}

/**
 * A hub for a single process. Keeps each task's bodies for `ttl` ms after its last publication, drops a
 * body identical to one it keeps (Runware's retries and replays), and fans bodies out to every watch.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { createMemoryHub } from 'runware-rx/server';
 *
 * const hub = createMemoryHub({ ttl: 60_000 });
 * const taskUUID = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
 * await hub.publish(taskUUID, { taskUUID, status: 'success', videoURL: 'https://example.com/a.mp4' });
 * const seen: unknown[] = [];
 * const watching = hub.watch(taskUUID.toUpperCase()).subscribe((body) => seen.push(body)); // replayed
 * await hub.publish(taskUUID, { taskUUID, status: 'success', videoURL: 'https://example.com/b.mp4' }); // live
 * assert.equal(seen.length, 2);
 * watching.unsubscribe();
 * await hub.close();
 * ```
 */
export function createMemoryHub(options: MemoryHubOptions = {}): PushHub {
  const ttl = options.ttl ?? 600_000;
  const maxBodiesPerTask = options.maxBodiesPerTask ?? 100;
  const maxTasks = options.maxTasks ?? 10_000;
  const scheduler = options.scheduler ?? asyncScheduler;
  checkCount('ttl', ttl, 0);
  checkCount('maxBodiesPerTask', maxBodiesPerTask, 1);
  checkCount('maxTasks', maxTasks, 1);

  // Insertion order is publication recency: publish re-inserts its entry at the end.
  const entries = new Map<string, Entry>();
  let closed = false;

  const entryFor = (key: string): Entry => {
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { kept: [], watchers: new Set(), expiry: undefined };
      entries.set(key, entry);
    }
    return entry;
  };
  const forgetIfIdle = (key: string, entry: Entry): void => {
    if (entry.kept.length === 0 && entry.watchers.size === 0 && entries.get(key) === entry) entries.delete(key);
  };
  const expire = (key: string, entry: Entry): void => {
    entry.expiry?.unsubscribe();
    entry.expiry = undefined;
    entry.kept.length = 0;
    forgetIfIdle(key, entry);
  };
  const evictBeyondLimit = (): void => {
    for (const [key, entry] of entries) {
      if (entries.size <= maxTasks) return;
      if (entry.watchers.size === 0) {
        expire(key, entry);
        entries.delete(key);
      }
    }
  };

  return {
    ...hubCalls({
      name: 'createMemoryHub',
      isClosed: () => closed,
      publish(key, body, text) {
        const entry = entryFor(key);
        if (entry.kept.some((kept) => kept.text === text)) return Promise.resolve();
        entry.kept.push({ body, text });
        if (entry.kept.length > maxBodiesPerTask) entry.kept.shift();
        entry.expiry?.unsubscribe();
        entry.expiry = timer(ttl, scheduler).subscribe(() => expire(key, entry));
        entries.delete(key);
        entries.set(key, entry);
        for (const watcher of [...entry.watchers]) watcher.next(body);
        evictBeyondLimit();
        return Promise.resolve();
      },
      watch(key, subscriber) {
        const entry = entryFor(key);
        for (const { body } of [...entry.kept]) {
          if (subscriber.closed) break;
          subscriber.next(body);
        }
        entry.watchers.add(subscriber);
        return () => {
          entry.watchers.delete(subscriber);
          forgetIfIdle(key, entry);
        };
      },
    }),
    close() {
      closed = true;
      for (const entry of entries.values()) {
        entry.expiry?.unsubscribe();
        for (const watcher of [...entry.watchers]) watcher.complete();
      }
      entries.clear();
      return Promise.resolve();
    },
  };
}

function checkCount(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RangeError(`createMemoryHub: ${name} must be a whole number >= ${min}, got ${String(value)}`);
}
