/**
 * The shared {@link PushHub}: Redis Streams, so a webhook received by one instance reaches the watches
 * of every instance.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { asyncScheduler, defer, firstValueFrom, from, merge, of, Subject, timer, type Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import type { SharedHub } from '../push/SharedHub.js';
import { backoffDelay } from '../schedule/backoff.js';
import { hubCalls } from '../push/hubCalls.js';
import type { PushHub } from '../push/PushHub.js';
import { taskKey } from '../push/taskKey.js';
import { WATCH_PART } from '../push/watchPart.js';
import { hubPart } from '../watch/sharedSteps.js';
import { createPollLease, type PollLeaseOptions } from './createPollLease.js';
import { DEFAULT_RECONNECT, isReplyError, openRedisConnection, type RedisConnectionOptions } from './redisConnection.js';
import { compareStreamIds, readRange, readStreams, type StreamEntry } from './streamEntries.js';

/** Options of {@link createRedisHub}. All durations are milliseconds. */
export interface RedisHubOptions extends RedisConnectionOptions {
  /** Prefix of every key the hub writes, so several apps can share one Redis. @defaultValue 'runware-rx:' */
  readonly prefix?: string;
  /**
   * How long a task's bodies are kept after its last publication, for a watch that subscribes late
   * (on any instance). @defaultValue 600000 (10 minutes)
   */
  readonly ttl?: number;
  /** Bodies kept per task (the stream's MAXLEN); beyond it the oldest is trimmed. @defaultValue 100 */
  readonly maxBodiesPerTask?: number;
  /** Longest time one XREAD blocks before it is sent again (new watches wake it sooner). @defaultValue 5000 */
  readonly block?: number;
  /** Clock of the pauses between failed reads while Redis is away, and of the lease. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /**
   * The polling lease of `acquire` (on a third connection): how long a lease
   * outlives a holder that died (the takeover delay), how often it is renewed, this process' name in it.
   * @defaultValue `{ ttl: 10000, renewInterval: ttl / 3 }`
   */
  readonly lease?: Pick<PollLeaseOptions, 'ttl' | 'renewInterval' | 'owner'>;
}

/**
 * Both contracts on Redis: a {@link PushHub} (pass it as `pushHub` to the webhook receiver) and the
 * {@link SharedHub} of a service's instances (pass it as `sharedHub` to the client or `watchTask`).
 */
export interface RedisHub extends PushHub, SharedHub {
  /**
   * Resolves once its three connections (commands, reader, lease) are up the first time (it waits while Redis cannot be reached, and
   * rejects only if the hub is closed first). Awaiting it is optional: before it, a publish rejects and a
   * watch waits.
   */
  readonly ready: Promise<void>;
  /**
   * The task's polling lease (see {@link PollLease.acquire}): cold; `true` while this process should poll
   * the task (it holds the lease, Redis cannot be asked, or Redis was not reached within the lease's
   * `renewInterval`), `false` while another process does. Unsubscribing releases it. Throws a TypeError
   * at call for a task that is not a UUID; after close, `true` (nothing can be shared any more).
   */
  acquire(taskUUID: string): Observable<boolean>;
  /**
   * Shuts this instance's part down without losing what is in flight: open watches complete, publishes
   * already sent land, every lease this process holds is released (another instance takes each over at
   * its next try instead of after the lease's ttl) and each open `acquire` says `true` and completes;
   * then the connections close. Later publishes reject. Nothing of the close is reported to `onError`.
   * With Redis away it resolves at once. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Publishes a body once: a set of the task's body digests drops exact duplicates (Runware's retries,
 * received by any instance); the body is appended to the task's stream, trimmed to MAXLEN; both keys
 * expire `ttl` ms after the task's last new body. Atomic, so the set and the stream never disagree.
 */
const PUBLISH_SCRIPT = `
if redis.call('SADD', KEYS[2], redis.sha1hex(ARGV[1])) == 0 then return 0 end
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], '*', 'body', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/** One watched task of this process: where its reading is, and its local watches. */
interface Tail {
  lastId: string;
  readonly watchers: Set<Subscriber<unknown>>;
}

/**
 * A hub shared by every process connected to the same Redis. A task's bodies live in a stream
 * (`<prefix>{<task>}:bodies`, one entry per distinct body) that expires `ttl` ms after its last
 * publication, so a watch that subscribes late reads what was kept, then tails the stream from the
 * last ID it read: no pub/sub race, nothing read twice. All watches of a process share ONE blocking
 * connection (a single `XREAD BLOCK` over every watched stream) and one command connection.
 *
 * When Redis is away: `publish` rejects at once (the receiver answers 503 and Runware retries), open
 * watches stay open and silent (the watch's own polling carries on), and when Redis is back each tail
 * resumes from its last ID: nothing is delivered twice, and what was published meanwhile arrives.
 *
 * @example
 * ```ts
 * import { createRedisHub } from 'runware-rx/redis';
 * import { createWebhookReceiver } from 'runware-rx/server';
 *
 * const hub = createRedisHub({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', ttl: 600_000 });
 * await hub.ready;
 * const secret = process.env['RUNWARE_WEBHOOK_SECRET'] ?? '';
 * const webhooks = createWebhookReceiver({ publicUrl: 'https://app.example.com/runware/webhook', secret, pushHub: hub });
 * webhooks.watch('0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c').subscribe((body) => console.log('pushed', body));
 * ```
 */
export function createRedisHub(options: RedisHubOptions): RedisHub {
  const prefix = options.prefix ?? 'runware-rx:';
  const ttl = options.ttl ?? 600_000;
  const maxBodiesPerTask = options.maxBodiesPerTask ?? 100;
  const block = options.block ?? 5000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const retrySchedule = options.reconnect ?? DEFAULT_RECONNECT;
  if (typeof options.url !== 'string') throw new TypeError('createRedisHub: url must be a redis:// or rediss:// URL string');
  if (typeof prefix !== 'string') throw new TypeError('createRedisHub: prefix must be a string');
  checkCount('ttl', ttl, 1);
  checkCount('maxBodiesPerTask', maxBodiesPerTask, 1);
  checkCount('block', block, 1);

  const processId = randomUUID();
  const commands = openRedisConnection(options, `runware-rx:hub:${processId}:commands`);
  const reader = openRedisConnection(options, `runware-rx:hub:${processId}:reader`);
  const lease = createPollLease({ ...options, ...options.lease, prefix, scheduler });
  const ready = Promise.all([commands.ready, reader.ready, lease.ready]).then(() => undefined);
  ready.catch(() => undefined); // reported through onError; awaiting it is optional

  const streamKey = (key: string): string => `${prefix}{${key}}:bodies`;
  const seenKey = (key: string): string => `${prefix}{${key}}:seen`;
  // Written to wake the blocked reader when a new task is watched: an entry the next XREAD cannot miss.
  const wakeKey = `${prefix}wake:${processId}`;

  const report = (error: unknown): void => options.onError?.(error instanceof Error ? error : new Error(String(error)));
  const tails = new Map<string, Tail>();
  /** Watches whose replay is still being read: close completes them too. */
  const joining = new Set<Subscriber<unknown>>();
  const wakeup = new Subject<void>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let reading = false;

  /** Waits the retry gap after `failures` failures in a row, or less if woken or closed. */
  const pause = (failures: number): Promise<unknown> => firstValueFrom(merge(timer(backoffDelay(failures, retrySchedule, random), scheduler), wakeup), { defaultValue: undefined });

  const wake = (): void => {
    if (!reading) {
      wakeup.next();
      return;
    }
    // The reader is blocked in XREAD: an entry on its wake stream returns it, even if it is not yet blocking.
    commands.send(['XADD', wakeKey, 'MAXLEN', '1', '*', 'wake', '1']).catch(() => undefined);
    commands.send(['PEXPIRE', wakeKey, String(ttl)]).catch(() => undefined);
  };

  const emit = (subscriber: Subscriber<unknown>, entry: StreamEntry): void => {
    const body = parseBody(entry.body);
    if (body !== undefined && !subscriber.closed) subscriber.next(body);
  };

  /** Replays the task's kept bodies to `subscriber`, then adds it to the task's tail (creating it). */
  const join = async (key: string, subscriber: Subscriber<unknown>): Promise<void> => {
    for (let failures = 0; !closed && !subscriber.closed; ) {
      const tail = tails.get(key);
      // Bodies up to where this process' reader is: the reader delivers every later one.
      const upTo = tail?.lastId ?? '+';
      let entries: StreamEntry[];
      try {
        entries = readRange(await commands.send(['XRANGE', streamKey(key), '-', upTo]));
      } catch (error) {
        // Redis answered, with an error about this task's key (not a stream): only this watch fails.
        if (isReplyError(error)) return subscriber.error(unreadable(streamKey(key), error));
        await pause(++failures);
        continue;
      }
      if (closed || subscriber.closed) return;
      const current = tails.get(key);
      if (current !== tail || (tail !== undefined && tail.lastId !== upTo)) continue; // the reader moved meanwhile
      const target = current ?? { lastId: entries.at(-1)?.id ?? '0-0', watchers: new Set<Subscriber<unknown>>() };
      for (const entry of entries) emit(subscriber, entry);
      if (subscriber.closed) return;
      target.watchers.add(subscriber);
      if (current === undefined) {
        tails.set(key, target);
        wake();
      }
      return;
    }
  };

  const deliver = (reply: unknown, wakeId: string): string => {
    let nextWakeId = wakeId;
    for (const { key: stream, entries } of readStreams(reply)) {
      if (stream === wakeKey) {
        nextWakeId = entries.at(-1)?.id ?? nextWakeId;
        continue;
      }
      const key = taskOfStream(stream, prefix);
      const tail = key === undefined ? undefined : tails.get(key);
      if (tail === undefined) continue;
      for (const entry of entries) {
        if (compareStreamIds(entry.id, tail.lastId) <= 0) continue;
        tail.lastId = entry.id;
        for (const watcher of [...tail.watchers]) emit(watcher, entry);
      }
    }
    return nextWakeId;
  };

  /**
   * Ends the watches of the tasks whose stream key holds something other than a stream (written by
   * someone else under our prefix); true when it found one.
   */
  const dropUnreadable = async (keys: ReadonlyArray<string>): Promise<boolean> => {
    let types: unknown[];
    try {
      types = await Promise.all(keys.map((key) => commands.send(['TYPE', streamKey(key)])));
    } catch {
      return false;
    }
    let found = false;
    keys.forEach((key, index) => {
      const type = types[index];
      const tail = tails.get(key);
      if (type === 'stream' || type === 'none' || tail === undefined) return;
      found = true;
      tails.delete(key);
      const error = unreadable(streamKey(key), new Error(`it holds a ${String(type)}`));
      for (const watcher of [...tail.watchers]) watcher.error(error);
    });
    return found;
  };


  /** The one reader of this process: XREAD BLOCK over every watched stream, from each one's last ID. */
  const readLoop = async (): Promise<void> => {
    try {
      await firstValueFrom(merge(from(reader.ready), wakeup), { defaultValue: undefined });
    } catch {
      return; // closed before it ever connected
    }
    let wakeId = '0-0';
    for (let failures = 0; !closed; ) {
      const watched = [...tails].filter(([, tail]) => tail.watchers.size > 0);
      if (watched.length === 0) {
        await firstValueFrom(wakeup, { defaultValue: undefined });
        continue;
      }
      const streams = [wakeKey, ...watched.map(([key]) => streamKey(key))];
      const ids = [wakeId, ...watched.map(([, tail]) => tail.lastId)];
      reading = true;
      let reply: unknown;
      try {
        reply = await reader.send(['XREAD', 'COUNT', String(maxBodiesPerTask), 'BLOCK', String(block), 'STREAMS', ...streams, ...ids]);
      } catch (error) {
        reading = false;
        if (closed) return;
        report(error);
        // One unreadable key fails the whole XREAD: find it and end its watches, so the others read on.
        if (isReplyError(error) && (await dropUnreadable(watched.map(([key]) => key)))) continue;
        await pause(++failures);
        continue;
      }
      reading = false;
      failures = 0;
      wakeId = deliver(reply, wakeId);
    }
  };
  const reading$ = readLoop();

  return {
    ready,
    ...hubCalls({
      name: 'createRedisHub',
      isClosed: () => closed,
      publish: (key, _body, text) => commands.send(['EVAL', PUBLISH_SCRIPT, '2', streamKey(key), seenKey(key), text, String(ttl), String(maxBodiesPerTask)]).then(() => undefined),
      watch(key, subscriber) {
        joining.add(subscriber);
        void join(key, subscriber).finally(() => joining.delete(subscriber));
        return () => {
          joining.delete(subscriber);
          const tail = tails.get(key);
          if (tail === undefined) return;
          tail.watchers.delete(subscriber);
          if (tail.watchers.size === 0) tails.delete(key);
        };
      },
    }),
    [WATCH_PART]: hubPart,
    acquire(taskUUID) {
      taskKey(taskUUID, 'RedisHub.acquire');
      return defer(() => {
        if (closed) return of(true);
        return lease.acquire(taskUUID);
      });
    },
    close() {
      if (closing !== undefined) return closing;
      closed = true;
      wakeup.next();
      for (const watcher of [...joining]) watcher.complete();
      for (const tail of tails.values()) for (const watcher of [...tail.watchers]) watcher.complete();
      tails.clear();
      // The reader holds nothing that matters (a blocked XREAD): cut it. The commands (publishes in
      // flight) and the lease (its releases) are drained, so the other instances get this one's last
      // replies and take its tasks over at their next try.
      reader.destroy();
      closing = Promise.all([commands.close(), lease.close(), reading$]).then(() => undefined);
      return closing;
    },
  };
}

/** The error that ends the watches of a task whose stream key cannot be read. */
function unreadable(key: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`createRedisHub: cannot read ${key} as a stream (${reason}); this task's watches end, its polling goes on`, { cause });
}

/** The task key of `<prefix>{<task>}:bodies`, or undefined. */
function taskOfStream(stream: string, prefix: string): string | undefined {
  if (!stream.startsWith(`${prefix}{`) || !stream.endsWith('}:bodies')) return undefined;
  return stream.slice(prefix.length + 1, -'}:bodies'.length);
}

/** A kept body's JSON value; undefined for an entry that is not ours (no body, not JSON). */
function parseBody(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checkCount(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RangeError(`createRedisHub: ${name} must be a whole number >= ${min}, got ${String(value)}`);
}
