/**
 * A task's events as Server-Sent Events: one watch per task on the server, shared by every browser
 * that follows the task, each event numbered so that a browser that reconnects with `Last-Event-ID`
 * receives only what it missed.
 *
 * @module
 */
import { catchError, concat, defer, filter, finalize, map, type Observable, of, ReplaySubject, type SchedulerLike, share, tap, timer } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { isRunwareError } from '../errors/RunwareError.js';
import type { GenerationEvent } from '../events/events.js';

/** One message of the stream: its id (`<epoch>.<sequence>`), its event name, its JSON data. */
export interface TaskStreamMessage {
  readonly id: string;
  /** `generation`: a `GenerationEvent`; `end`: the watch completed; `failure`: the watch failed (its `code` and `message`). */
  readonly event: 'generation' | 'end' | 'failure';
  readonly data: unknown;
}

/** Watches one task on the server: `watchTask` through the proxy's key by default, or one with push. */
export type ServerTaskWatch = (taskUUID: string, numberResults: number | undefined) => Observable<GenerationEvent>;

/** Options of {@link createTaskStreams}. */
export interface TaskStreamsOptions {
  readonly watch: ServerTaskWatch;
  /** How long a finished task's events are kept for reconnecting browsers, in ms. */
  readonly linger: number;
  /** How long a task's server watch goes on after its last browser left (a reload comes back within it), in ms. @defaultValue `linger` */
  readonly abandonAfter?: number;
  /** Most browser streams open at once, all tasks together. @defaultValue no limit */
  readonly maxStreams?: number;
  /** Most browser streams of one task open at once. @defaultValue no limit */
  readonly maxStreamsPerTask?: number;
  /** Told of every server watch that failed (what the browsers are told, and the error). */
  readonly onFailure?: (taskUUID: string, failure: StreamFailure, error: unknown) => void;
  readonly scheduler: SchedulerLike;
  /** Draws the epoch that tells one server watch of a task from the next (after a restart or linger). */
  readonly random: () => number;
}

/** What a browser is told of a failed server watch. */
export interface StreamFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** Why a browser's stream is not opened: too many open in total, or for its task. */
export type StreamLimit = 'tooManyStreams' | 'tooManyTaskStreams';

/**
 * The stream of a task for one browser: every message after `lastEventId` (all of them for another
 * epoch or none). `admit` says whether one more stream of the task fits the limits now; a stream
 * subscribed past them gets one `failure` message (`tooManyStreams`) and ends.
 */
export interface TaskStreams {
  (taskUUID: string, numberResults: number | undefined, lastEventId: string | undefined): Observable<TaskStreamMessage>;
  admit(taskUUID: string): StreamLimit | undefined;
}

/**
 * Shares one server watch per task between its browsers, whatever `numberResults` each asks (the
 * first browser's is the watch's), replaying its messages to late and reconnecting ones. A finished
 * watch is kept `linger` ms, an abandoned one (its last browser left) `abandonAfter` ms, then dropped:
 * a later browser starts a new one, with a new epoch. Streams are counted while subscribed.
 */
export function createTaskStreams(options: TaskStreamsOptions): TaskStreams {
  const shared = new Map<string, Observable<TaskStreamMessage>>();
  const openStreams = new Map<string, number>();
  let total = 0;
  const { maxStreams = Infinity, maxStreamsPerTask = Infinity } = options;
  const admit = (taskUUID: string): StreamLimit | undefined =>
    (openStreams.get(taskUUID.toLowerCase()) ?? 0) >= maxStreamsPerTask ? 'tooManyTaskStreams' : total >= maxStreams ? 'tooManyStreams' : undefined;
  const count = (key: string, change: 1 | -1): void => {
    total += change;
    const now = (openStreams.get(key) ?? 0) + change;
    if (now === 0) openStreams.delete(key);
    else openStreams.set(key, now);
  };
  const messagesOf = (taskUUID: string, numberResults: number | undefined): Observable<TaskStreamMessage> => {
    const key = taskUUID.toLowerCase();
    const drop = (after: number) => (): Observable<unknown> =>
      timer(after, options.scheduler).pipe(
        tap(() => {
          if (shared.get(key) === messages) shared.delete(key);
        }),
      );
    const existing = shared.get(key);
    if (existing !== undefined) return existing;
    const messages = defer(() => {
      const epoch = Math.floor(options.random() * 2 ** 32).toString(36);
      let sequence = 0;
      const next = (event: TaskStreamMessage['event'], data: unknown): TaskStreamMessage => ({ id: `${epoch}.${(sequence += 1)}`, event, data });
      return concat(
        options.watch(taskUUID, numberResults).pipe(map((event) => next('generation', event))),
        defer(() => of(next('end', {}))),
      ).pipe(
        catchError((error: unknown) => {
          const failure = failureOf(error);
          options.onFailure?.(taskUUID, failure, error);
          return of(next('failure', failure));
        }),
      );
    }).pipe(
      share({
        connector: () => new ReplaySubject<TaskStreamMessage>(),
        resetOnError: drop(options.linger),
        resetOnComplete: drop(options.linger),
        resetOnRefCountZero: drop(options.abandonAfter ?? options.linger),
      }),
    );
    shared.set(key, messages);
    return messages;
  };
  const streams = (taskUUID: string, numberResults: number | undefined, lastEventId: string | undefined): Observable<TaskStreamMessage> => {
    const after = parseEventId(lastEventId);
    return defer(() => {
      const limit = admit(taskUUID);
      if (limit !== undefined) return of<TaskStreamMessage>({ id: '0.0', event: 'failure', data: { code: limit, message: 'Too many event streams; try again later.', retryable: true } });
      const key = taskUUID.toLowerCase();
      count(key, 1);
      let skipping = after !== undefined;
      return messagesOf(taskUUID, numberResults).pipe(
        finalize(() => count(key, -1)),
        // Within the browser's epoch, skip what it has; another epoch's numbers mean nothing here, so it gets everything.
        map((message) => {
          if (skipping && after !== undefined) {
            const [epoch, sequence] = message.id.split('.');
            if (epoch === after.epoch && Number(sequence) <= after.sequence) return undefined;
            skipping = false;
          }
          return message;
        }),
        filter((message): message is TaskStreamMessage => message !== undefined),
      );
    });
  };
  return Object.assign(streams, { admit });
}

/** A message as the wire carries it: `id`, `event` and one `data` line (JSON has no raw newline). */
export function encodeMessage(message: TaskStreamMessage): string {
  return `id: ${message.id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

/** What a browser is told of a failed server watch: a code and a sentence, never Runware's words about the key. */
function failureOf(error: unknown): StreamFailure {
  if (error instanceof RunwareApiError && (error.status === 401 || error.status === 403)) return { code: 'upstreamAuth', message: 'The server could not use Runware.', retryable: false };
  if (error instanceof RunwareApiError) return { code: error.code, message: error.message, retryable: error.retryable };
  if (isRunwareError(error)) return { code: error.name, message: error.message, retryable: error.retryable };
  return { code: 'serverWatchFailed', message: 'The server could not watch this task.', retryable: true };
}

function parseEventId(id: string | undefined): { readonly epoch: string; readonly sequence: number } | undefined {
  const match = id === undefined ? null : /^([0-9a-z]{1,8})\.(\d{1,9})$/.exec(id.trim());
  return match === null ? undefined : { epoch: match[1] ?? '', sequence: Number(match[2]) };
}
