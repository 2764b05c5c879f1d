/**
 * {@link RunwareDecodeError}: a reply arrived but could not be read.
 *
 * @module
 */
import { afterAttempts, RunwareError, type RunwareErrorDetails } from './RunwareError.js';

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
  declare readonly retryable: boolean;
  declare readonly issues: ReadonlyArray<string>;
  declare readonly body: unknown;
  declare readonly attempts: number | undefined;

  constructor(details: RunwareDecodeErrorDetails) {
    super(
      `Runware reply could not be read${afterAttempts(details.attempts)}: ${details.issues.slice(0, 3).join('; ')}`,
      details,
      details.retryable ?? true,
      ['issues', 'body', 'attempts'] satisfies ReadonlyArray<keyof RunwareDecodeErrorDetails>,
    );
  }
}
