/**
 * One connection to Redis through the `redis` client package (an optional peer dependency: only this
 * folder imports it). Everything above speaks raw commands (`send(['XADD', ...])`), so the hub and the
 * lease depend on Redis' wire commands, not on one client version's helpers.
 *
 * @module
 */
import { Subject, type Observable } from 'rxjs';
import { createClient, ErrorReply } from 'redis';
import { backoffDelay, type BackoffSchedule } from '../schedule/backoff.js';

/** Options shared by the hub and the lease. All durations are milliseconds. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  readonly url: string;
  /**
   * Gaps between reconnection attempts after the connection is lost (the client retries forever).
   * @defaultValue `{ interval: 100, multiplier: 2, maxInterval: 5000, jitter: 0.5 }`
   */
  readonly reconnect?: BackoffSchedule;
  /** Randomness of the reconnection jitter, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /**
   * Told about connection errors (lost, refused, reconnecting) for your logs; the hub and the lease
   * handle them on their own. Messages never carry the URL's password. @defaultValue ignore
   */
  readonly onError?: (error: Error) => void;
}

/** A connection as the hub and the lease use it. */
export interface RedisConnection {
  /**
   * Sends one command; resolves with its raw RESP2 reply. Rejects at once while the connection is down
   * (no offline queue: a caller decides whether to retry, and a publish can fail fast).
   */
  send(args: ReadonlyArray<string>): Promise<unknown>;
  /** Resolves once the first connection is ready; rejects if the client gives up or is closed first. */
  readonly ready: Promise<void>;
  /** Every connection error (lost, refused, each failed reconnection), as it happens. */
  readonly failures: Observable<Error>;
  /**
   * Lets the commands already sent finish (their replies are read), then closes the socket; at once
   * while the connection is down. Commands sent after it reject, and nothing this close causes is
   * reported as an error. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
  /** Closes the socket at once; pending commands reject (not reported as errors). Idempotent. */
  destroy(): void;
}

/** True when Redis itself answered with an error (a wrong key type, a bad argument), not when the connection failed. */
export function isReplyError(error: unknown): boolean {
  return error instanceof ErrorReply;
}

export const DEFAULT_RECONNECT: BackoffSchedule = { interval: 100, multiplier: 2, maxInterval: 5000, jitter: 0.5 };

/** Opens a connection named `name` (visible in `CLIENT LIST`) and keeps it open until `close()`. */
export function openRedisConnection(options: RedisConnectionOptions, name: string): RedisConnection {
  const schedule = options.reconnect ?? DEFAULT_RECONNECT;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((): void => undefined);
  const password = passwordOf(options.url);
  const failures = new Subject<Error>();
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Each command sent and not yet answered, settled either way. */
  const inFlight = new Set<Promise<void>>();
  // What our own close causes (a refused connection attempt, a flushed command) is no failure of Redis.
  const report = (error: unknown): void => {
    if (closed) return;
    const redacted = redact(error, password);
    onError(redacted);
    failures.next(redacted);
  };
  const client = createClient({
    url: options.url,
    name,
    RESP: 2,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries: number) => backoffDelay(retries + 1, schedule, random) },
  });
  client.on('error', report);
  const ready = client.connect().then(
    () => undefined,
    (error: unknown) => {
      throw redact(error, password);
    },
  );
  ready.catch(report);
  return {
    ready,
    failures: failures.asObservable(),
    send: (args) => {
      if (closed) return Promise.reject(new Error('runware-rx/redis: connection closed'));
      const sent = client.sendCommand([...args]).catch((error: unknown) => Promise.reject(redact(error, password)));
      const settled = sent.then(ignore, ignore);
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return sent;
    },
    close() {
      if (closing !== undefined) return closing;
      closed = true;
      // Every command sent gets its reply (or its failure: a connection lost meanwhile fails them) before
      // the socket goes. Not the client's own graceful close: it never settles when the socket dies while
      // it drains. While Redis is away nothing is in flight (no offline queue): at once.
      closing = Promise.all(inFlight).then(() => {
        if (client.isOpen) client.destroy();
        failures.complete();
      });
      return closing;
    },
    destroy() {
      closed = true;
      if (client.isOpen) client.destroy();
      closing ??= Promise.resolve();
      failures.complete();
    },
  };
}

function passwordOf(url: string): string | undefined {
  try {
    const { password } = new URL(url);
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/** The error as an Error whose message holds no trace of the password (raw or URL-encoded). */
function redact(error: unknown, password: string | undefined): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  if (password === undefined) return original;
  const traces = [password, encodeURIComponent(password)];
  if (!traces.some((trace) => original.message.includes(trace) || (original.stack ?? '').includes(trace))) return original;
  let message = original.message;
  for (const trace of traces) message = message.split(trace).join('***');
  return new Error(message);
}

function ignore(): void {
  // a command's outcome is its caller's; the close only waits for it
}
