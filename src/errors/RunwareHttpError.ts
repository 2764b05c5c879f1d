/**
 * {@link RunwareHttpError}: an HTTP exchange failed in a way that may pass; and the one rule for which
 * HTTP statuses are worth retrying.
 *
 * @module
 */
import { afterAttempts, RunwareError, type RunwareErrorDetails } from './RunwareError.js';

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
  /** For a `status` failure: the code of the reply's first error item (`rateLimitExceeded`, `serviceUnavailable`, ...), when it had one. */
  readonly code?: string | undefined;
  /** For a `status` failure: the message of the reply's first error item, as sent (the API key redacted). */
  readonly serverMessage?: string | undefined;
  /** For a `status` failure: the whole reply body, parsed (the API key redacted), when it was JSON. Not in the message. */
  readonly body?: unknown;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/** Whether an HTTP status is worth retrying: 408, 425, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && status <= 599);
}

/**
 * The HTTP exchange failed in a way that may pass: 408/425/429/5xx, a network failure or reset, or a request
 * that outlived `requestTimeout`. Retried up to `retries` consecutive times; this error is raised after that,
 * with `attempts` counting them. `failure` says which kind; `status` and `retryAfter` are the server's, and
 * for a status, what the last reply said: `code`, `serverMessage` and its whole `body` (the API key redacted),
 * so a 429's rate-limit code (`rateLimitExceeded`, `providerRateLimitExceeded`, ...) can be told apart.
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
  declare readonly retryable: boolean;
  declare readonly failure: RunwareHttpFailure;
  declare readonly status: number | undefined;
  declare readonly retryAfter: string | undefined;
  declare readonly attempts: number | undefined;
  /** For a `redirect`: the origin of its `Location`. */
  declare readonly location: string | undefined;
  /** For a `status`: the reply's error code, when its body had one. */
  declare readonly code: string | undefined;
  /** For a `status`: the reply's error message, when its body had one. */
  declare readonly serverMessage: string | undefined;
  /** For a `status`: the parsed reply body (key redacted), when it was JSON. */
  declare readonly body: unknown;

  constructor(details: RunwareHttpErrorDetails) {
    const { failure, status } = details;
    const what =
      failure === 'status'
        ? `HTTP ${status ?? '?'}${details.code === undefined ? '' : ` ${details.code}`}${details.serverMessage ? `: ${details.serverMessage}` : ''}`
        : failure === 'timeout'
          ? 'request timed out'
          : failure === 'redirect'
            ? `redirected (HTTP ${status ?? '?'}) to ${details.location ?? 'an unreadable Location'}, not followed`
            : 'network failure';
    super(
      `Runware request failed: ${what}${afterAttempts(details.attempts)}`,
      details,
      failure === 'status' ? isRetryableStatus(status ?? 0) : failure !== 'redirect',
      ['failure', 'status', 'retryAfter', 'attempts', 'location', 'code', 'serverMessage', 'body'] satisfies ReadonlyArray<keyof RunwareHttpErrorDetails>,
    );
  }
}
