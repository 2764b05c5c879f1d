/**
 * runware-rx: Runware's asynchronous tasks as cold, testable RxJS streams.
 *
 * @module
 */

/* API */
export { watchTask } from './watchTask.js';

/* Client */
export { createRunwareClient } from './client/createRunwareClient.js';
export type { ClientWatchOptions, RunwareClient, RunwareClientOptions } from './client/createRunwareClient.js';
export type { BatchOptions } from './client/batchGetResponses.js';
export type { Ack } from './client/submitTask.js';
export type { TaskSnapshot } from './client/getResponseOnce.js';
export { CommonTaskParams } from './client/tasks/CommonTaskParams.js';
export { ImageInferenceTask, imageInference } from './client/tasks/ImageInferenceTask.js';
export { VideoInferenceTask, videoInference } from './client/tasks/VideoInferenceTask.js';
export type { AnyTask, RunwareTask, TypedTasks } from './client/tasks/RunwareTask.js';

/* Cadence */
export { createCadence } from './cadence/createCadence.js';
export type { Cadence, CadenceOptions } from './cadence/createCadence.js';
export type { CadenceSnapshot } from './cadence/cadenceSnapshot.js';
export type { DurationHistogram } from './cadence/durationHistogram.js';

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
export { RunwareValidationError } from './client/RunwareValidationError.js';
