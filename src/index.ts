/**
 * runware-rx: Runware's asynchronous tasks as cold, testable RxJS streams.
 *
 * @module
 */

/* API */
export { watchTask } from './watch/watchTask.js';

/* Client */
export { createRunwareClient } from './client/createRunwareClient.js';
export type { RunwareClient, RunwareClientOptions } from './client/createRunwareClient.js';
export { watchTaskStream } from './client/watchTaskStream.js';
export type { TaskConnection, TaskStreamOptions } from './client/watchTaskStream.js';
export type { BatchOptions } from './client/batchGetResponses.js';
export type { Ack } from './client/submitTask.js';
export type { TaskSnapshot } from './client/getResponseOnce.js';
export { CommonTaskParams } from './client/tasks/CommonTaskParams.js';
export { AudioInferenceTask, audioInference } from './client/tasks/AudioInferenceTask.js';
export { ImageInferenceTask, imageInference } from './client/tasks/ImageInferenceTask.js';
export { VideoInferenceTask, videoInference } from './client/tasks/VideoInferenceTask.js';
export type { AnyTask, RunwareTask, TypedTasks } from './client/tasks/RunwareTask.js';

/* Task store */
export { createMemoryTaskStore } from './store/createMemoryTaskStore.js';
export type { MemoryTaskStoreOptions, TaskStoreOptions } from './store/createMemoryTaskStore.js';
export { requestFingerprint } from './store/requestFingerprint.js';
export type { Answer, AnsweringTaskStore, DeliveredEvent, LearnedDuration, LearnedSince, ObservedTaskStore, PromisedTaskStore, StoreAnswer, StoredTask, TaskRecord, TaskStore } from './store/TaskStore.js';

/* Cadence */
export { cadenceKey } from './cadence/cadenceKey.js';
export type { CadenceKeyParams } from './cadence/cadenceKey.js';
export { createCadence } from './cadence/createCadence.js';
export type { Cadence, CadenceOptions } from './cadence/createCadence.js';
export type { CadenceSnapshot } from './cadence/cadenceSnapshot.js';
export type { CadenceTuning } from './cadence/planNextPoll.js';
export type { DurationHistogram } from './cadence/durationHistogram.js';

/* Events */
export { isTerminal } from './events/events.js';
export type { AsyncTaskType, ErrorEvent, GenerationErrorEvent, GenerationEvent, GenerationFailure, GenerationStatus, OutputFile, ProcessingEvent, SuccessEvent, SuccessItem } from './events/events.js';

/* Protocol */
export { readErrorItems } from './protocol/errorItems.js';

/* Options */
export { DEFAULT_WATCH_SETTINGS } from './watch/settings.js';
export type { DefaultWatchSettings } from './watch/settings.js';
export type { AttemptReport, CadenceOption, ClientWatchOptions, DelayReason, PushOption, ScheduledPoll, WatchOptions } from './watch/options.js';
export type { PushSource } from './push/PushSource.js';
export type { SharedHub } from './push/SharedHub.js';
export { createPushSource } from './watch/pushSteps.js';
export { createSharedHub } from './watch/sharedSteps.js';
export type { ConnectionOptions } from './transport/transportFor.js';

/* Transport */
export { createFetchTransport, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES } from './transport/fetchTransport.js';
export type { FetchTransportOptions, RequestHeaders } from './transport/fetchTransport.js';
export type { Transport } from './transport/Transport.js';

/* Errors */
export { RunwareError, isRunwareError } from './errors/RunwareError.js';
export type { RunwareErrorDetails } from './errors/RunwareError.js';
export { RunwareApiError } from './errors/RunwareApiError.js';
export type { RunwareApiErrorDetails } from './errors/RunwareApiError.js';
export { RunwareHttpError } from './errors/RunwareHttpError.js';
export type { RunwareHttpErrorDetails, RunwareHttpFailure } from './errors/RunwareHttpError.js';
export { RunwareDecodeError } from './errors/RunwareDecodeError.js';
export type { RunwareDecodeErrorDetails } from './errors/RunwareDecodeError.js';
export { RunwareTimeoutError } from './errors/RunwareTimeoutError.js';
export type { RunwareTimeoutErrorDetails } from './errors/RunwareTimeoutError.js';
export { RunwareValidationError } from './errors/RunwareValidationError.js';
export type { RunwareValidationErrorDetails } from './errors/RunwareValidationError.js';
