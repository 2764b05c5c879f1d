/**
 * Submitting a task for asynchronous delivery, and its acknowledgement.
 *
 * @module
 */
import { catchError, concat, defer, ignoreElements, map, type Observable, of, retry, type SchedulerLike, throwError, timer } from 'rxjs';
import { RunwareApiError } from '../errors/RunwareApiError.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import type { RunwareError } from '../errors/RunwareError.js';
import { RunwareHttpError } from '../errors/RunwareHttpError.js';
import { bindError } from '../errors/bindError.js';
import { decodeReply } from '../protocol/decodeReply.js';
import { requestErrorFromWire } from '../protocol/errorScope.js';
import { isTaskUUID } from '../protocol/taskUUID.js';
import { backoffDelay, type BackoffSchedule } from '../schedule/backoff.js';
import { parseRetryAfter } from '../schedule/retryAfter.js';
import type { Transport } from '../transport/Transport.js';
import { requestOnce } from '../transport/requestOnce.js';
import { validateTask } from './tasks/RunwareTask.js';

/** Runware's acknowledgement of a submitted task: the task is queued under this `taskUUID`. */
export interface Ack {
  readonly taskType: string;
  readonly taskUUID: string;
}

/** An ack and the reply body it came in, which may already hold results (`client.run` emits them at once). */
export interface Submitted {
  readonly ack: Ack;
  /** Undefined when the ack was inferred (a resend answered with `conflictTaskUUID`). */
  readonly reply: unknown;
}

/** A task as sent: checked, with its taskUUID and `deliveryMethod: "async"`. */
export interface WireTask {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly [field: string]: unknown;
}

/** What a submit needs to know, every value resolved. */
export interface SubmitSettings extends BackoffSchedule {
  readonly scheduler: SchedulerLike;
  readonly requestTimeout: number;
  /** Transient failures after which the same task (same taskUUID) is sent again. 0: never. */
  readonly submitRetries: number;
  readonly random: () => number;
  /** Draws the taskUUID of a task that has none. */
  readonly uuid: () => string;
}

/**
 * Sends `task` with `deliveryMethod: "async"` (and a fresh taskUUID if it has none) and emits the ack
 * once. Cold: each subscription is one submission and draws its own taskUUID, so re-subscribing to a
 * task without a taskUUID submits a new task, never a duplicate that relies on the server to notice.
 *
 * Errors with `RunwareValidationError` (nothing sent) for a task that fails its codec; with
 * `RunwareApiError` (code, parameter, the wire object) when Runware answers with an error instead of an
 * ack; and with the transient error (`RunwareHttpError`, `RunwareDecodeError`) after `submitRetries`
 * further attempts with the same taskUUID. Every error after sending names the taskUUID: the task may
 * exist even when its ack was lost. A resent submission answered with `conflictTaskUUID` (on a 200 or
 * as HTTP 409) is the ack: the taskUUID is taken, so an earlier attempt reached Runware.
 */
export function submitWithTransport(task: unknown, transport: Transport, settings: SubmitSettings): Observable<Ack> {
  return submitForReply(task, transport, settings).pipe(map((submitted) => submitted.ack));
}

/** {@link submitWithTransport}, with the reply body the ack came in; `beforeSend` (a task store's record) is subscribed once before the first attempt. */
export function submitForReply(task: unknown, transport: Transport, settings: SubmitSettings, beforeSend?: (wire: WireTask) => Observable<unknown>): Observable<Submitted> {
  return defer(() => {
    const checked = validateTask(task);
    const taskUUID = checked.taskUUID ?? settings.uuid();
    if (!isTaskUUID(taskUUID)) throw new TypeError(`createRunwareClient: the uuid factory returned ${JSON.stringify(taskUUID)}, not a UUID`);
    const wire = { ...checked, taskUUID, deliveryMethod: 'async' };
    let sent = 0;
    const attempt = defer(() => {
      const resend = sent > 0;
      sent += 1;
      return requestOnce(transport, [wire], settings).pipe(
        map((body): Submitted => ({ ack: readAck(body, wire, resend), reply: body })),
        catchError((caught: unknown) => (resend && isConflict(caught) ? of({ ack: ackOf(wire), reply: undefined }) : throwError(() => caught))),
      );
    });
    const attempts = attempt.pipe(
      catchError((caught: unknown) => throwError(() => bindError(caught, taskUUID))),
      retry({
        count: settings.submitRetries,
        delay: (error: RunwareError, retryCount) => {
          if (!error.retryable) return throwError(() => error);
          const gap = backoffDelay(retryCount, settings, settings.random);
          const hint = error instanceof RunwareHttpError ? parseRetryAfter(error.retryAfter, settings.scheduler.now()) : undefined;
          return timer(hint === undefined ? gap : Math.max(gap, hint), settings.scheduler);
        },
      }),
    );
    // Recorded before the first attempt, once: a failed record sends nothing.
    return beforeSend === undefined ? attempts : concat(beforeSend(wire).pipe(ignoreElements()), attempts);
  });
}

/**
 * The ack for `wire` in a reply body, or the error Runware sent instead. Every error item of the task (or
 * of no task) refuses the submission, except `conflictTaskUUID` on a resend, which is the lost ack.
 */
function readAck(body: unknown, wire: { readonly taskType: string; readonly taskUUID: string }, resend: boolean): Ack {
  const envelope = decodeReply(body);
  const wanted = wire.taskUUID.toLowerCase();
  const refusal = (envelope.errors ?? []).find((item) => item.taskUUID === undefined || item.taskUUID.toLowerCase() === wanted);
  if (refusal !== undefined) {
    if (resend && refusal.code === CONFLICT) return ackOf(wire);
    throw requestErrorFromWire(refusal);
  }
  const data = envelope.data ?? [];
  const item = data.find((candidate) => candidate.taskUUID.toLowerCase() === wanted);
  if (item !== undefined) return { taskType: item.taskType ?? wire.taskType, taskUUID: wire.taskUUID };
  // `{"data": []}` is an ack variant the official SDKs' tests use: the task was accepted.
  if (data.length === 0) return ackOf(wire);
  throw new RunwareDecodeError({ issues: [`data: no acknowledgement for task ${wire.taskUUID}`], body });
}

/** The code Runware answers a taskUUID already taken with (sdk-python issue 320: a resend after a dropped socket). */
const CONFLICT = 'conflictTaskUUID';

function isConflict(error: unknown): boolean {
  return error instanceof RunwareApiError && error.code === CONFLICT;
}

function ackOf(wire: { readonly taskType: string; readonly taskUUID: string }): Ack {
  return { taskType: wire.taskType, taskUUID: wire.taskUUID };
}
