/**
 * {@link RunwareApiError}: Runware refused the request.
 *
 * @module
 */
import { RunwareError, type RunwareErrorDetails } from './RunwareError.js';

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
  /**
   * The whole reply body of a refused request, parsed (the API key already redacted), when it was JSON:
   * a 4xx may still carry `data[]` items of other tasks, which a batch hands to them. Not in the message.
   */
  readonly body?: unknown;
  /** True for a server-side code on a 200 reply (`serverError`, `serviceUnavailable`, ...): worth polling again. Default false. */
  readonly retryable?: boolean | undefined;
}

/**
 * The request itself was refused: a request-level `errors[]` entry (`invalidApiKey`, `taskNotFound`,
 * a validation error) or HTTP 400/401/402/403/404. Not retried: the same request would fail again; the
 * exception is a server-side code on a 200 reply (`serverError`, `serviceUnavailable`, ...), `retryable`.
 * `code`, `parameter` and the whole `wire` object say what to fix.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, RunwareApiError, videoInference } from 'runware-rx';
 * import { VALIDATION_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const client = createRunwareClient({ transport: replyScript([VALIDATION_ERROR]) }); // Runware refuses the duration
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
  declare readonly retryable: boolean;
  declare readonly code: string;
  declare readonly status: number | undefined;
  declare readonly parameter: string | undefined;
  declare readonly documentation: string | undefined;
  declare readonly wire: Readonly<Record<string, unknown>> | undefined;
  /** The parsed reply body of a refused request (key redacted), when it was JSON; see {@link RunwareApiErrorDetails.body}. */
  declare readonly body: unknown;

  constructor(details: RunwareApiErrorDetails) {
    const statusPart = details.status === undefined || details.status === 200 ? '' : `HTTP ${details.status} `;
    super(
      `Runware refused the request: ${statusPart}${details.code}${details.serverMessage ? `: ${details.serverMessage}` : ''}`,
      details,
      details.retryable ?? false,
      ['code', 'status', 'parameter', 'documentation', 'wire', 'body'] satisfies ReadonlyArray<keyof RunwareApiErrorDetails>,
    );
  }
}
