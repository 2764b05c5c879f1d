/**
 * A task's events as Server-Sent Events: one watch per task on the server, shared by every browser
 * that follows the task, each event numbered so that a browser that reconnects with `Last-Event-ID`
 * receives only what it missed.
 *
 * @module
 */
import { catchError, concat, defer, filter, map, type Observable, of, ReplaySubject, type SchedulerLike, share, tap, timer } from 'rxjs';
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
  /** How long a finished or unwatched task's events are kept for reconnecting browsers, in ms. */
  readonly linger: number;
  readonly scheduler: SchedulerLike;
  /** Draws the epoch that tells one server watch of a task from the next (after a restart or linger). */
  readonly random: () => number;
}

/** The stream of a task for one browser: every message after `lastEventId` (all of them for another epoch or none). */
export type TaskStreams = (taskUUID: string, numberResults: number | undefined, lastEventId: string | undefined) => Observable<TaskStreamMessage>;

/**
 * Shares one server watch per task (and `numberResults`) between its browsers, replaying its messages
 * to late and reconnecting ones; the watch is kept `linger` ms after its last browser leaves or after
 * it ends, then dropped (a later browser starts a new one, with a new epoch).
 */
export function createTaskStreams(options: TaskStreamsOptions): TaskStreams {
  const shared = new Map<string, Observable<TaskStreamMessage>>();
  const release = (key: string): Observable<unknown> => timer(options.linger, options.scheduler).pipe(tap(() => shared.delete(key)));
  const messagesOf = (taskUUID: string, numberResults: number | undefined): Observable<TaskStreamMessage> => {
    const key = `${taskUUID.toLowerCase()} ${numberResults ?? ''}`;
    const existing = shared.get(key);
    if (existing !== undefined) return existing;
    const messages = defer(() => {
      const epoch = Math.floor(options.random() * 2 ** 32).toString(36);
      let sequence = 0;
      const next = (event: TaskStreamMessage['event'], data: unknown): TaskStreamMessage => ({ id: `${epoch}.${(sequence += 1)}`, event, data });
      return concat(
        options.watch(taskUUID, numberResults).pipe(map((event) => next('generation', event))),
        defer(() => of(next('end', {}))),
      ).pipe(catchError((error: unknown) => of(next('failure', failureOf(error)))));
    }).pipe(
      share({
        connector: () => new ReplaySubject<TaskStreamMessage>(),
        resetOnError: () => release(key),
        resetOnComplete: () => release(key),
        resetOnRefCountZero: () => release(key),
      }),
    );
    shared.set(key, messages);
    return messages;
  };
  return (taskUUID, numberResults, lastEventId) => {
    const after = parseEventId(lastEventId);
    return defer(() => {
      let skipping = after !== undefined;
      return messagesOf(taskUUID, numberResults).pipe(
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
}

/** A message as the wire carries it: `id`, `event` and one `data` line (JSON has no raw newline). */
export function encodeMessage(message: TaskStreamMessage): string {
  return `id: ${message.id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

/** What a browser is told of a failed server watch: a code and a sentence, never Runware's words about the key. */
function failureOf(error: unknown): { readonly code: string; readonly message: string; readonly retryable: boolean } {
  if (error instanceof RunwareApiError && (error.status === 401 || error.status === 403)) return { code: 'upstreamAuth', message: 'The server could not use Runware.', retryable: false };
  if (error instanceof RunwareApiError) return { code: error.code, message: error.message, retryable: error.retryable };
  if (isRunwareError(error)) return { code: error.name, message: error.message, retryable: error.retryable };
  return { code: 'serverWatchFailed', message: 'The server could not watch this task.', retryable: true };
}

function parseEventId(id: string | undefined): { readonly epoch: string; readonly sequence: number } | undefined {
  const match = id === undefined ? null : /^([0-9a-z]{1,8})\.(\d{1,9})$/.exec(id.trim());
  return match === null ? undefined : { epoch: match[1] ?? '', sequence: Number(match[2]) };
}
