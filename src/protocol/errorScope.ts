/**
 * What an error item is about: one generation of the task, or the request itself; and for a request-level
 * error, whether polling again may help. One table of codes, so every place that builds an error from the
 * wire (polls, `client.getResponse`, submit acks) asks the same question and gets the same answer.
 * docs/protocol.md ("Which errors are about the request") gives the evidence for each rule.
 *
 * @module
 */
import { RunwareApiError } from '../errors/RunwareApiError.js';
import type { ErrorItem } from './codecs.js';
import { parameterText } from './errorItems.js';

/**
 * Request-level codes of a server-side fault (the official TS classifier retries these; the Runware CLI's
 * tests show `serverError` without taskUUID on a 200), polled again within the retry budget.
 */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'serverError',
  'internalServerError',
  'serviceUnavailable',
  'timeout',
  'gatewayTimeout',
  'noAvailableServer',
  'rateLimitExceeded',
]);

/**
 * Request-level codes that say the task cannot be watched with this request (the SDKs' not-found and auth
 * classes), so the watch ends with a `RunwareApiError` even when the item names the task.
 */
export const FINAL_CODES: ReadonlySet<string> = new Set([
  'invalidApiKey',
  'missingApiKey',
  'insufficientCredits',
  'taskNotFound',
  'taskFailedOrNotFound',
  'taskExpired',
  'taskCancelled',
  'conflictTaskUUID',
]);

/** Fields of a getResponse request: a validation error naming one of them is about the poll itself. */
const POLL_PARAMETERS: ReadonlySet<string> = new Set(['taskUUID', 'taskType']);

/**
 * True when an error item of a getResponse reply is about the request rather than one generation:
 * it names no task, it answers the `authentication` task, it names a field of the poll itself, or its
 * code says the task cannot be watched. A `status: "error"` item is always a generation, and so is an item
 * tagged `taskType: "getResponse"` (the response's taskType echoes the request's).
 */
export function isRequestLevel(item: ErrorItem): boolean {
  if (item.status === 'error') return false;
  if (item.taskUUID === undefined || item.taskType === 'authentication') return true;
  if (typeof item.parameter === 'string' && POLL_PARAMETERS.has(item.parameter)) return true;
  return FINAL_CODES.has(item.code);
}

/** True for a request-level code that says the server failed for now, not that the request is wrong. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/**
 * A request-level error item as a {@link RunwareApiError}, every wire field kept in `wire`; `retryable`
 * when its code is transient and it came on a 2xx reply (a non-2xx status speaks for itself). A refused
 * reply (a 4xx) also gives its whole `body` and its status text, the message when the item has none.
 */
export function requestErrorFromWire(item: ErrorItem, status = 200, body?: unknown, statusText?: string): RunwareApiError {
  return new RunwareApiError({
    code: item.code,
    serverMessage: item.message ?? statusText,
    status,
    parameter: parameterText(item.parameter),
    documentation: item.documentation,
    wire: item,
    body,
    retryable: status === 200 && isTransientCode(item.code),
  });
}
