/**
 * Why the Runware proxy refused a request: one reason code per refusal, its HTTP status, and the reply
 * body the browser reads (Runware's own `{ errors: [...] }` shape, so the browser's client turns it into
 * a `RunwareApiError` whose `code` is the reason).
 *
 * @module
 */
import type { Reply } from './httpBody.js';

/**
 * The refusals of `createRunwareProxy`, each with its HTTP status. 4xx: the browser's request is not
 * allowed (never retried by the client); 502/504: Runware could not be used (the browser's watch
 * retries a 5xx like any transient failure). A Runware 401/403 is never passed on: it would tell the
 * world the server's key is wrong or out of credit, and its words might quote the key.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { PROXY_REFUSALS } from 'runware-rx/server';
 *
 * assert.equal(PROXY_REFUSALS.taskTypeNotAllowed, 403);
 * assert.equal(PROXY_REFUSALS.upstreamAuth, 502);
 * ```
 */
export const PROXY_REFUSALS = Object.freeze({
  /** Not a route of the proxy. */
  notFound: 404,
  /** A method the route does not take (POST for tasks, GET for events). */
  methodNotAllowed: 405,
  /** A submission without a JSON `Content-Type` (a form or a `no-cors` fetch sends none). */
  unsupportedMediaType: 415,
  /** A request a page of another origin sent (`Origin`, `Sec-Fetch-Site`), unless listed in `allowOrigins`. */
  crossOrigin: 403,
  /** A body over `maxBodyBytes`. */
  bodyTooLarge: 413,
  /** Not JSON, not an array of task objects, a task without a taskType or a valid taskUUID, a value its type's codec refuses, numberResults over `maxNumberResults`. */
  malformedBody: 400,
  /** More tasks in one request than `maxTasks`. */
  tooManyTasks: 400,
  /** A task type outside `allowTaskTypes` (and not `getResponse`). */
  taskTypeNotAllowed: 403,
  /** A submission whose `model` is outside `allowModels`. */
  modelNotAllowed: 403,
  /**
   * A field outside the task type's allow-list (its documented fields and the app's `allowFields`), and
   * always `webhookURL`, `uploadEndpoint`, `apiKey` (any case), `__proto__`, a nested task, a
   * `deliveryMethod` other than `async`.
   */
  fieldNotAllowed: 403,
  /** `authorize` said no (or threw). */
  unauthorized: 403,
  /** More event streams open than `maxStreams`, or than `maxStreamsPerTask` for this task. */
  tooManyStreams: 429,
  /** Runware refused the server's key (its 401 or 403, never passed on). */
  upstreamAuth: 502,
  /** Runware could not be reached, answered 5xx, or answered what is not a Runware reply. */
  upstreamUnavailable: 502,
  /** Runware did not answer within the proxy's `requestTimeout` (the request to it was aborted). */
  upstreamTimeout: 504,
} as const);

/** A reason code of {@link PROXY_REFUSALS}. */
export type ProxyRefusalReason = keyof typeof PROXY_REFUSALS;

/** What the browser reads about a refusal: the reason as `code`, a sentence, the HTTP status. */
export interface ProxyRefusal {
  readonly reason: ProxyRefusalReason;
  readonly message: string;
  /** Extra reply headers (Allow, Retry-After). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The reply of a refusal, in Runware's error shape: `{ errors: [{ code, message }] }`. */
export function refusalReply(refusal: ProxyRefusal): Reply {
  return {
    status: PROXY_REFUSALS[refusal.reason],
    headers: { 'Content-Type': 'application/json', ...refusal.headers },
    body: JSON.stringify({ errors: [{ code: refusal.reason, message: refusal.message }] }),
    log: { code: refusal.reason, message: refusal.message },
  };
}
