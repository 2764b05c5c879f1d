/**
 * {@link RunwareHttpError}: an HTTP exchange failed in a way that may pass; and the one rule for which
 * HTTP statuses are worth retrying.
 *
 * @module
 */
import { countOf, RunwareError, type RunwareErrorDetails } from './RunwareError.js';

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
  readonly retryable: boolean;
  readonly failure: RunwareHttpFailure;
  readonly status: number | undefined;
  readonly retryAfter: string | undefined;
  readonly attempts: number | undefined;
  /** For a `redirect`: the origin of its `Location`. */
  readonly location: string | undefined;
  /** For a `status`: the reply's error code, when its body had one. */
  readonly code: string | undefined;
  /** For a `status`: the reply's error message, when its body had one. */
  readonly serverMessage: string | undefined;
  /** For a `status`: the parsed reply body (key redacted), when it was JSON. */
  readonly body: unknown;

  constructor(details: RunwareHttpErrorDetails) {
    const what =
      details.failure === 'status'
        ? `HTTP ${details.status ?? '?'}${details.code === undefined ? '' : ` ${details.code}`}${details.serverMessage ? `: ${details.serverMessage}` : ''}`
        : details.failure === 'timeout'
          ? 'request timed out'
          : details.failure === 'redirect'
            ? `redirected (HTTP ${details.status ?? '?'}) to ${details.location ?? 'an unreadable Location'}, not followed`
            : 'network failure';
    const attempts = details.attempts === undefined ? '' : ` after ${countOf(details.attempts, 'attempt')}`;
    super(`Runware request failed: ${what}${attempts}`, details);
    this.failure = details.failure;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
    this.attempts = details.attempts;
    this.location = details.location;
    this.code = details.code;
    this.serverMessage = details.serverMessage;
    this.body = details.body;
    this.retryable = details.failure === 'status' ? isRetryableStatus(details.status ?? 0) : details.failure !== 'redirect';
  }

  protected override get countsAttempts(): boolean {
    return true;
  }
}
