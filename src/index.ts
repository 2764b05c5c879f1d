/**
 * runware-rx: Runware's asynchronous tasks as cold, testable RxJS streams.
 *
 * @module
 */

/* API */
export { watchTask } from './watchTask.js';

/* Events */
export { isTerminal } from './events.js';
export type { ErrorEvent, GenerationEvent, GenerationFailure, GenerationStatus, ProcessingEvent, SuccessEvent, SuccessItem } from './events.js';

/* Options */
export { DEFAULT_WATCH_SETTINGS } from './options.js';
export type { AttemptReport, ConnectionOptions, DelayReason, WatchOptions } from './options.js';

/* Transport */
export { createFetchTransport, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES } from './transport/fetchTransport.js';
export type { FetchTransportOptions } from './transport/fetchTransport.js';
export type { Transport } from './transport/Transport.js';

/* Errors */
export { isRunwareError, RunwareApiError, RunwareDecodeError, RunwareError, RunwareHttpError, RunwareTimeoutError } from './errors.js';
export type { RunwareHttpFailure } from './errors.js';
