/**
 * The base of every error runware-rx puts on an error channel: it holds the details once and makes the
 * bound (`forTask`) and counted (`withAttempts`) copies for every subclass. A generation that fails is
 * not an error here but a `GenerationEvent` with `status: 'error'`.
 *
 * An error built by a transport is not yet bound to a task: the watch (or the client's batcher) binds
 * it with `forTask(taskUUID)`, which returns a copy whose message names that task.
 *
 * Every message is in one voice: `Runware <what happened>: <details>`, then ` (task <uuid>)` once bound.
 *
 * @module
 */

/** Fields every runware-rx error carries. */
export interface RunwareErrorDetails {
  /** The task the error is about, once bound. */
  readonly taskUUID?: string | undefined;
  /** The underlying error (a network failure, an abort), when there is one. */
  readonly cause?: unknown;
}

/**
 * Marks every runware-rx error on its prototype. `Symbol.for` keys live in the one registry all copies of
 * the package and all realms of a process share, so a second copy (two bundles, a nested
 * node_modules) or another realm still recognises the error where `instanceof` cannot.
 */
const RUNWARE_ERROR = Symbol.for('runware-rx.RunwareError');

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
  /** What the error was built from, kept once for the copies below (private: not in JSON or logs). */
  readonly #details: RunwareErrorDetails;

  /**
   * `retryable` and `fields` (the names of the subclass's own fields, each copied from `details`) are set
   * here, in that order after `taskUUID`: the one place the library's classes set their fields (they only
   * `declare` them), so JSON and `inspect` list them as declared. A subclass that gives no `retryable`
   * defines its own.
   */
  protected constructor(summary: string, details: RunwareErrorDetails, retryable?: boolean, fields: ReadonlyArray<string> = []) {
    super(
      details.taskUUID === undefined ? summary : `${summary} (task ${details.taskUUID})`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.taskUUID = details.taskUUID;
    if (retryable !== undefined) (this as { retryable?: boolean }).retryable = retryable;
    for (const field of fields) (this as Record<string, unknown>)[field] = (details as Readonly<Record<string, unknown>>)[field];
    this.#details = details;
  }

  /** A copy of this error bound to `taskUUID`, its message naming that task. */
  forTask(taskUUID: string): this {
    return this.#copy({ taskUUID });
  }

  /**
   * A copy that records how many consecutive attempts failed, for an error that counts them
   * ({@link RunwareHttpError}, {@link RunwareDecodeError}); any other error returns itself.
   */
  withAttempts(attempts: number): this {
    // The transient kinds are those with an `attempts` field (set, if only to undefined, by the constructor).
    return 'attempts' in this ? this.#copy({ attempts }) : this;
  }

  /** The same class built again from the same details with `changes`: every subclass's constructor takes only its details. */
  #copy(changes: Readonly<Record<string, unknown>>): this {
    const Class = this.constructor as new (details: RunwareErrorDetails) => this;
    return new Class({ ...this.#details, ...changes });
  }
}
// On the prototype, not the instance: it stays out of JSON, spreads and inspect output. (Not a static
// block: those need Safari 16.4.)
Object.defineProperty(RunwareError.prototype, RUNWARE_ERROR, { value: true });

/**
 * True for any error made by runware-rx: `instanceof RunwareError`, or an error of another copy of the
 * library (a second bundle, another realm) recognised by the mark every runware-rx error carries. An
 * object that only looks like one (a `name` such as `RunwareHttpError`) is not recognised.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { isRunwareError, RunwareHttpError } from 'runware-rx';
 *
 * assert.ok(isRunwareError(new RunwareHttpError({ failure: 'timeout' })));
 * assert.ok(!isRunwareError(new TypeError('watchTask: taskUUID must be a UUID'))); // a bug in the caller, not a Runware failure
 * assert.ok(!isRunwareError(Object.assign(new Error('look-alike'), { name: 'RunwareHttpError' }))); // a name is not enough
 * ```
 */
export function isRunwareError(value: unknown): value is RunwareError {
  return value instanceof RunwareError || (typeof value === 'object' && value !== null && (value as { readonly [RUNWARE_ERROR]?: unknown })[RUNWARE_ERROR] === true);
}

/** ` after 3 attempts` for a message, or `''` when the attempts were not counted. */
export function afterAttempts(attempts: number | undefined): string {
  return attempts === undefined ? '' : ` after ${countOf(attempts, 'attempt')}`;
}

/** `1 attempt`, `6 attempts`: a count with its noun, for messages. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
