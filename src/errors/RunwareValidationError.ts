/**
 * {@link RunwareValidationError}: a task that runware-rx refused to send.
 *
 * @module
 */
import { RunwareError, type RunwareErrorDetails } from './RunwareError.js';

/** What was wrong with a task. */
export interface RunwareValidationErrorDetails extends RunwareErrorDetails {
  /** The task's `taskType`, when it had one. */
  readonly taskType: string | undefined;
  /** Readable paths of the first failures, e.g. `duration: expected number of at least 0, got "5"`. */
  readonly issues: ReadonlyArray<string>;
}

/**
 * A task failed the client-side check of its parameters (the io-ts codec of its `taskType`), so no
 * request was sent. Never retried: the same task would fail again. The task itself is not kept on the
 * error (it may hold prompts or input images); `issues` says what to fix.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, RunwareValidationError, type RunwareTask } from 'runware-rx';
 * import { replyScript } from 'runware-rx/testing';
 *
 * const transport = replyScript([]);
 * const client = createRunwareClient({ transport });
 * const fromAForm = JSON.parse('{"taskType":"videoInference","model":"klingai:5@3","duration":"5"}') as RunwareTask<'videoInference'>;
 * const error = await firstValueFrom(client.submit(fromAForm)).catch((caught: unknown) => caught);
 * assert.ok(error instanceof RunwareValidationError && error.taskType === 'videoInference');
 * console.log(error.issues); // [ 'duration: expected number of at least 0, got "5"' ]
 * assert.equal(transport.requests.length, 0); // nothing was sent
 * ```
 */
export class RunwareValidationError extends RunwareError {
  override readonly name = 'RunwareValidationError' as const;
  declare readonly retryable: false;
  declare readonly taskType: string | undefined;
  declare readonly issues: ReadonlyArray<string>;

  constructor(details: RunwareValidationErrorDetails) {
    super(
      `Runware task not sent: invalid ${details.taskType ?? 'task'}: ${details.issues.slice(0, 3).join('; ')}`,
      details,
      false,
      ['taskType', 'issues'] satisfies ReadonlyArray<keyof RunwareValidationErrorDetails>,
    );
  }
}
