/**
 * The polling lease: with a shared hub, one instance polls a task and the others hear its replies
 * through the hub.
 *
 * @module
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { asyncScheduler, catchError, defer, distinctUntilChanged, EMPTY, endWith, finalize, from, map, merge, of, shareReplay, Subject, takeUntil, timer, type Observable, type SchedulerLike } from 'rxjs';
import { taskKey } from '../push/taskKey.js';
import { leaseRenewals } from './leaseRenewals.js';
import { openRedisConnection, type RedisConnectionOptions } from './redisConnection.js';

/** Options of {@link createPollLease}. All durations are milliseconds. */
export interface PollLeaseOptions extends RedisConnectionOptions {
  /** Prefix of the lease keys (`<prefix>{<task>}:lease`). @defaultValue 'runware-rx:' */
  readonly prefix?: string;
  /** How long a lease outlives a holder that stopped renewing it (crashed, frozen, cut off). @defaultValue 10000 */
  readonly ttl?: number;
  /** How often a holder renews and a non-holder tries to take over; well under `ttl`. @defaultValue ttl / 3 */
  readonly renewInterval?: number;
  /** This process' name in the lease keys (for `redis-cli GET`) and its connection's: printable ASCII, no spaces. @defaultValue `<hostname>:<pid>:<random UUID>` */
  readonly owner?: string;
  /** Clock of the renewals. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Which instance polls which task. */
export interface PollLease {
  /**
   * Cold. While subscribed, holds or contends for the task's lease: emits `true` when this process
   * should poll the task (it holds the lease, or Redis cannot be asked: then every instance polls, the
   * safe side), `false` when another instance holds it (take the task's replies from the hub), and
   * again on every change. The first answer comes with the first connection to Redis, or `true` after
   * `renewInterval` ms without one; a lost connection is a `true` at once. Renews every `renewInterval` ms; releases the lease on unsubscribe, so
   * another instance takes over at its next try. Subscriptions to one task share one lease.
   */
  acquire(taskUUID: string): Observable<boolean>;
  /** Resolves once the connection is up the first time; rejects only if the lease is closed first. Awaiting it is optional. */
  readonly ready: Promise<void>;
  /** The owner written in the keys this process holds. */
  readonly owner: string;
  /**
   * Stops contending, releases every lease this process holds (another instance takes each over at its
   * next try instead of after `ttl`), lets the tries in flight finish, then closes the connection. Each
   * open `acquire` says `true` (nothing can be shared any more) and completes; a later `acquire` is
   * `true` at once. Reports nothing of its own close. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

/** Takes the lease when it is free, extends it when it is ours: SET NX PX and compare-and-extend, atomic. */
const ACQUIRE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return 1`;

/** Deletes the lease only if it is still ours (it may have expired and been taken since). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Leases on Redis so that, of the instances watching a task, one polls it. A holder renews its lease
 * while it polls; when it dies the lease expires after `ttl` ms and another instance takes over at its
 * next try. Pair it with {@link createRedisHub}: the holder publishes each polled reply to the hub, and
 * every instance's watch reads the hub (see docs/guides/scaling.md).
 *
 * @example
 * ```ts
 * import { createPollLease } from 'runware-rx/redis';
 *
 * const lease = createPollLease({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', ttl: 10_000 });
 * lease.acquire('0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c').subscribe((mine) => console.log(mine ? 'polling' : 'listening to the hub'));
 * ```
 */
export function createPollLease(options: PollLeaseOptions): PollLease {
  const prefix = options.prefix ?? 'runware-rx:';
  const ttl = options.ttl ?? 10_000;
  const renewInterval = options.renewInterval ?? Math.max(1, Math.floor(ttl / 3));
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const scheduler = options.scheduler ?? asyncScheduler;
  if (typeof options.url !== 'string') throw new TypeError('createPollLease: url must be a redis:// or rediss:// URL string');
  checkCount('ttl', ttl, 1);
  checkCount('renewInterval', renewInterval, 1);
  if (renewInterval >= ttl) throw new RangeError(`createPollLease: renewInterval must be below ttl (${ttl}), got ${renewInterval}`);
  if (typeof owner !== 'string' || owner === '') throw new TypeError('createPollLease: owner must be a non-empty string');
  // It names the connection too (CLIENT SETNAME), which Redis refuses with a space or a control character:
  // such a lease would never connect.
  if (!/^[\x21-\x7e]+$/.test(owner)) throw new RangeError(`createPollLease: owner must be printable ASCII without spaces, got ${JSON.stringify(owner)}`);

  const connection = openRedisConnection(options, `runware-rx:lease:${owner}`);
  connection.ready.catch(() => undefined); // reported through onError
  const report = (error: unknown): void => options.onError?.(error instanceof Error ? error : new Error(String(error)));
  const leases = new Map<string, Observable<boolean>>();
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Emits once, when close starts: every contention stops, releases, and says `true`. */
  const closeStarted = new Subject<void>();

  let reached = false;
  connection.ready.then(() => (reached = true), () => undefined);
  const connected = from(connection.ready).pipe(catchError(() => EMPTY));

  const contend = (key: string): Observable<boolean> =>
    defer(() => {
      if (closed) return of(true);
      let holding = false;
      let trying = false;
      const tryLease = (): Promise<boolean> => {
        trying = true;
        return connection.send(['EVAL', ACQUIRE_SCRIPT, '1', key, owner, String(ttl)]).then(
          (reply) => {
            trying = false;
            return (holding = reply === 1);
          },
          (error: unknown) => {
            trying = false;
            if (!closed) report(error); // a try cut by our own close is no failure
            return true; // nobody can be known to poll it: poll it ourselves
          },
        );
      };
      // Before the first connection a try waits for it (an instance that has not reached Redis yet knows
      // nothing), but says `true` after renewInterval ms without it: Redis may be down from the start.
      const attempt = (): Observable<boolean> =>
        reached
          ? from(tryLease())
          : merge(
              from(connection.ready.then(tryLease, () => true)),
              timer(renewInterval, scheduler).pipe(takeUntil(connected), map(() => true)),
            );
      return leaseRenewals(attempt, renewInterval, scheduler, connection.failures).pipe(
        takeUntil(closeStarted),
        endWith(true),
        distinctUntilChanged(),
        finalize(() => {
          leases.delete(key);
          // A try in flight may take the lease: the release goes after it on the same connection, and
          // deletes the key only if it is ours.
          // At close a release that cannot be sent (Redis away: already reported) is not reported again.
          if (holding || trying) connection.send(['EVAL', RELEASE_SCRIPT, '1', key, owner]).catch((error: unknown) => {
              if (!closed) report(error);
            });
        }),
      );
    });

  return {
    ready: connection.ready,
    owner,
    acquire(taskUUID) {
      const key = `${prefix}{${taskKey(taskUUID, 'PollLease.acquire')}}:lease`;
      if (closed) return of(true);
      let lease = leases.get(key);
      if (lease === undefined) {
        lease = contend(key).pipe(shareReplay({ bufferSize: 1, refCount: true }));
        leases.set(key, lease);
      }
      return lease;
    },
    close() {
      if (closing !== undefined) return closing;
      closed = true;
      closeStarted.next(); // each contention ends here, its release queued before the connection closes
      closeStarted.complete();
      closing = connection.close();
      return closing;
    },
  };
}

function checkCount(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RangeError(`createPollLease: ${name} must be a whole number >= ${min}, got ${String(value)}`);
}
