/**
 * Errors on the error channel of a watch. Every one extends {@link RunwareError}; a generation that
 * fails is not an error here but a `GenerationEvent` with `status: 'error'`.
 *
 * An error built by a transport is not yet bound to a task: the watch (or the client's batcher) binds
 * it with `forTask(taskUUID)`, which returns a copy whose message names that task.
 *
 * @module
 */
import type { GenerationEvent } from './events.js';

// -------------------------------------------------------------------------------------
// base
// -------------------------------------------------------------------------------------

/** Fields every runware-rx error carries. */
export interface RunwareErrorDetails {
  /** The task the error is about, once bound. */
  readonly taskUUID?: string | undefined;
  /** The underlying error (a network failure, an abort), when there is one. */
  readonly cause?: unknown;
}

/**
 * Base class of every error that runware-rx puts on an error channel.
 * Test with `instanceof RunwareError` or, across realms, {@link isRunwareError}; then with the subclass
 * for its fields: {@link RunwareApiError} (refused, fix the request), {@link RunwareHttpError} and
 * {@link RunwareDecodeError} (transient, retries spent), {@link RunwareTimeoutError} (deadline passed),
 * `RunwareValidationError` (not sent).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { RunwareApiError, RunwareError, RunwareHttpError, RunwareTimeoutError } from 'runware-rx';
 *
 * // What to tell the user when a watch fails, as in watchTask(taskUUID).subscribe({ error: (e) => show(explain(e)) })
 * function explain(error: unknown): string {
 *   if (error instanceof RunwareApiError) return `refused (${error.code}): fix the request`;
 *   if (error instanceof RunwareTimeoutError) return `not finished after ${error.timeout} ms`;
 *   if (error instanceof RunwareError) return error.retryable ? 'Runware is unreachable, try again later' : error.message;
 *   throw error; // not ours: a bug
 * }
 * assert.equal(explain(new RunwareApiError({ code: 'invalidApiKey', status: 401 })), 'refused (invalidApiKey): fix the request');
 * assert.equal(explain(new RunwareHttpError({ failure: 'network' })), 'Runware is unreachable, try again later');
 * ```
 */
export abstract class RunwareError extends Error {
  override readonly name: string = 'RunwareError';
  /** The task the error is about; `undefined` only for an error not yet bound to a task. */
  readonly taskUUID: string | undefined;
  /** Whether a poll that failed this way may be tried again. */
  abstract readonly retryable: boolean;

  protected constructor(summary: string, details: RunwareErrorDetails) {
    super(
      details.taskUUID === undefined ? summary : `${summary} (task ${details.taskUUID})`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.taskUUID = details.taskUUID;
  }

  /** A copy of this error bound to `taskUUID`, its message naming that task. */
  abstract forTask(taskUUID: string): RunwareError;
}

/**
 * True for any error made by runware-rx, even one from another copy of the library (a second bundle,
 * another realm) where `instanceof RunwareError` is false: it also recognises the error by its `name`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { isRunwareError, RunwareHttpError } from 'runware-rx';
 *
 * assert.ok(isRunwareError(new RunwareHttpError({ failure: 'timeout' })));
 * assert.ok(!isRunwareError(new TypeError('watchTask: taskUUID must be a UUID'))); // a bug in the caller, not a Runware failure
 * ```
 */
export function isRunwareError(value: unknown): value is RunwareError {
  return value instanceof RunwareError || (value instanceof Error && /^Runware[A-Za-z]*Error$/.test(value.name));
}

// -------------------------------------------------------------------------------------
// RunwareApiError
// -------------------------------------------------------------------------------------

/** What a request-level failure reported. */
export interface RunwareApiErrorDetails extends RunwareErrorDetails {
  /** Runware's error code, such as `invalidApiKey` or `taskNotFound`; `httpStatus<N>` when the body had none. */
  readonly code: string;
  /** Runware's message, as sent. */
  readonly serverMessage?: string | undefined;
  /** HTTP status of the reply (200 when the error came inside a successful reply). */
  readonly status?: number | undefined;
  /** The request parameter at fault, for a validation error. */
  readonly parameter?: string | undefined;
  /** Link to the documentation of the error. */
  readonly documentation?: string | undefined;
  /** The wire error object as sent (every field, for example `allowedValues`). */
  readonly wire?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The request itself was refused: a request-level `errors[]` entry (`invalidApiKey`, `taskNotFound`,
 * a validation error) or HTTP 400/401/402/403/404. Never retried: the same request would fail again.
 * `code`, `parameter` and the whole `wire` object say what to fix.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, RunwareApiError, videoInference } from 'runware-rx';
 * import { F2_VALIDATION_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const client = createRunwareClient({ transport: replyScript([F2_VALIDATION_ERROR]) }); // Runware refuses the duration
 * const task = videoInference({ taskUUID: FIXTURE_TASK_UUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });
 * const error = await firstValueFrom(client.submit(task)).catch((caught: unknown) => caught);
 * assert.ok(error instanceof RunwareApiError && !error.retryable);
 * assert.equal(error.code, 'unsupportedDuration');
 * assert.equal(error.parameter, 'duration');
 * assert.deepEqual(error.wire?.['allowedValues'], [6]);
 * ```
 */
export class RunwareApiError extends RunwareError {
  override readonly name = 'RunwareApiError' as const;
  readonly retryable = false;
  readonly code: string;
  readonly status: number | undefined;
  readonly parameter: string | undefined;
  readonly documentation: string | undefined;
  readonly wire: Readonly<Record<string, unknown>> | undefined;
  readonly #details: RunwareApiErrorDetails;

  constructor(details: RunwareApiErrorDetails) {
    const statusPart = details.status === undefined || details.status === 200 ? '' : `HTTP ${details.status} `;
    super(`Runware refused the request: ${statusPart}${details.code}${details.serverMessage ? `: ${details.serverMessage}` : ''}`, details);
    this.code = details.code;
    this.status = details.status;
    this.parameter = details.parameter;
    this.documentation = details.documentation;
    this.wire = details.wire;
    this.#details = details;
  }

  forTask(taskUUID: string): RunwareApiError {
    return new RunwareApiError({ ...this.#details, taskUUID });
  }
}

// -------------------------------------------------------------------------------------
// RunwareHttpError
// -------------------------------------------------------------------------------------

/** Why an HTTP exchange failed. */
export type RunwareHttpFailure = 'status' | 'network' | 'timeout' | 'redirect';

/** What went wrong with an HTTP exchange. */
export interface RunwareHttpErrorDetails extends RunwareErrorDetails {
  /**
   * `status`: the server answered with an error status; `network`: no answer (reset, refused, DNS, a body
   * cut short); `timeout`: no answer within `requestTimeout`; `redirect`: the server answered with a
   * redirect that was not followed (never retried: see the `followRedirects` option).
   */
  readonly failure: RunwareHttpFailure;
  /** HTTP status, when the server answered. */
  readonly status?: number | undefined;
  /** The `Retry-After` header as sent (seconds or an HTTP date; the API key redacted), when there was one. */
  readonly retryAfter?: string | undefined;
  /** Consecutive failed attempts when the watch gave up. */
  readonly attempts?: number | undefined;
  /** For a `redirect`: the origin (scheme, host, port) of its `Location`, when it had a readable one; never its path or query. */
  readonly location?: string | undefined;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/** Whether an HTTP status is worth retrying: 408, 425, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && status <= 599);
}

/**
 * The HTTP exchange failed in a way that may pass: 408/429/5xx, a network failure or reset, or a request
 * that outlived `requestTimeout`. Retried up to `retries` consecutive times; this error is raised after that,
 * with `attempts` counting them. `failure` says which kind; `status` and `retryAfter` are the server's.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareHttpError, watchTask } from 'runware-rx';
 * import { failWith, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   const transport = replyScript([failWith(new RunwareHttpError({ failure: 'status', status: 503 }))], { whenExhausted: 'repeatLast' });
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, retries: 2 }).subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * assert.ok(caught instanceof RunwareHttpError && caught.retryable);
 * assert.deepEqual([caught.failure, caught.status, caught.attempts], ['status', 503, 3]); // the first try and 2 retries
 * ```
 */
export class RunwareHttpError extends RunwareError {
  override readonly name = 'RunwareHttpError' as const;
  readonly retryable: boolean;
  readonly failure: RunwareHttpFailure;
  readonly status: number | undefined;
  readonly retryAfter: string | undefined;
  readonly attempts: number | undefined;
  /** For a `redirect`: the origin of its `Location`. */
  readonly location: string | undefined;
  readonly #details: RunwareHttpErrorDetails;

  constructor(details: RunwareHttpErrorDetails) {
    const what =
      details.failure === 'status'
        ? `HTTP ${details.status ?? '?'}`
        : details.failure === 'timeout'
          ? 'request timed out'
          : details.failure === 'redirect'
            ? `redirected (HTTP ${details.status ?? '?'}) to ${details.location ?? 'an unreadable Location'}, not followed`
            : 'network failure';
    const attempts = details.attempts === undefined ? '' : ` after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'}`;
    super(`Runware request failed: ${what}${attempts}`, details);
    this.failure = details.failure;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
    this.attempts = details.attempts;
    this.location = details.location;
    this.retryable = details.failure === 'status' ? isRetryableStatus(details.status ?? 0) : details.failure !== 'redirect';
    this.#details = details;
  }

  forTask(taskUUID: string): RunwareHttpError {
    return new RunwareHttpError({ ...this.#details, taskUUID });
  }

  /** A copy that records how many consecutive attempts failed. */
  withAttempts(attempts: number): RunwareHttpError {
    return new RunwareHttpError({ ...this.#details, attempts });
  }
}

// -------------------------------------------------------------------------------------
// RunwareDecodeError
// -------------------------------------------------------------------------------------

/** What could not be read. */
export interface RunwareDecodeErrorDetails extends RunwareErrorDetails {
  /** Readable paths of the first validation failures, e.g. `data.0.taskUUID: expected string, got 42`. */
  readonly issues: ReadonlyArray<string>;
  /** The body as received: the parsed JSON, or the text when it was not JSON. */
  readonly body: unknown;
  /** Consecutive failed attempts when the watch gave up. */
  readonly attempts?: number | undefined;
  /**
   * False when the same reply would fail the same way (larger than `maxResponseBytes`, nested too deep):
   * the watch then ends at once instead of retrying. @defaultValue true
   */
  readonly retryable?: boolean | undefined;
}

/**
 * A reply arrived but could not be read: not JSON, or JSON that fails the wire codec (schema drift).
 * Transient until the retry budget is spent, except a reply over `maxResponseBytes` or nested deeper
 * than runware-rx reads (`retryable: false`: the watch ends at once). No event is ever emitted from such
 * a reply. `issues` says what did not match; `body` is what arrived (the API key redacted).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareDecodeError, watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   const drifted = { data: [{ taskUUID: 42, status: 'processing' }] }; // a taskUUID that is not a string
 *   watchTask(FIXTURE_TASK_UUID, { transport: replyScript([drifted], { whenExhausted: 'repeatLast' }), scheduler, retries: 1 })
 *     .subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * assert.ok(caught instanceof RunwareDecodeError && caught.attempts === 2);
 * console.log(caught.issues); // [ 'data.0.taskUUID: expected string, got 42' ]
 * ```
 */
export class RunwareDecodeError extends RunwareError {
  override readonly name = 'RunwareDecodeError' as const;
  readonly retryable: boolean;
  readonly issues: ReadonlyArray<string>;
  readonly body: unknown;
  readonly attempts: number | undefined;
  readonly #details: RunwareDecodeErrorDetails;

  constructor(details: RunwareDecodeErrorDetails) {
    super(`Runware reply could not be read: ${details.issues.slice(0, 3).join('; ')}`, details);
    this.issues = details.issues;
    this.body = details.body;
    this.attempts = details.attempts;
    this.retryable = details.retryable ?? true;
    this.#details = details;
  }

  forTask(taskUUID: string): RunwareDecodeError {
    return new RunwareDecodeError({ ...this.#details, taskUUID });
  }

  /** A copy that records how many consecutive attempts failed. */
  withAttempts(attempts: number): RunwareDecodeError {
    return new RunwareDecodeError({ ...this.#details, attempts });
  }
}

// -------------------------------------------------------------------------------------
// RunwareTimeoutError
// -------------------------------------------------------------------------------------

/** Where the watch stood when its deadline passed. */
export interface RunwareTimeoutErrorDetails extends RunwareErrorDetails {
  /** The `timeout` option that expired, in milliseconds. */
  readonly timeout: number;
  /** The latest event of every generation known at that moment, by index: finished results are not lost. */
  readonly generations: ReadonlyArray<GenerationEvent>;
}

/**
 * The watch outlived its `timeout` (counted from subscription). Carries what was known by then:
 * `generations` holds the latest event of each generation, so finished results are not lost.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareTimeoutError, watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, processing, reply, replyScript, success } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   const transport = replyScript([reply(success(), processing())], { whenExhausted: 'repeatLast' }); // the 2nd never ends
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler, timeout: 60_000 }).subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * assert.ok(caught instanceof RunwareTimeoutError && caught.timeout === 60_000);
 * assert.deepEqual(caught.generations.map((event) => event.status), ['success', 'processing']);
 * ```
 */
export class RunwareTimeoutError extends RunwareError {
  override readonly name = 'RunwareTimeoutError' as const;
  readonly retryable = false;
  readonly timeout: number;
  readonly generations: ReadonlyArray<GenerationEvent>;
  readonly #details: RunwareTimeoutErrorDetails;

  constructor(details: RunwareTimeoutErrorDetails) {
    const pending = details.generations.filter((g) => g.status === 'processing').length;
    super(
      `watch timed out after ${details.timeout} ms with ${details.generations.length} generation(s) known, ${pending} still processing`,
      details,
    );
    this.timeout = details.timeout;
    this.generations = details.generations;
    this.#details = details;
  }

  forTask(taskUUID: string): RunwareTimeoutError {
    return new RunwareTimeoutError({ ...this.#details, taskUUID });
  }
}
