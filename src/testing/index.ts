/**
 * runware-rx/testing: helpers for testing code built on runware-rx in virtual time with marble
 * diagrams: reply builders, scripted transports that record what they were asked, and Runware's
 * documented replies as fixtures.
 *
 * @module
 */

/* Replies */
export { embeddedFailure, failure, FIXTURE_TASK_UUID, processing, repliesFor, reply, success } from './replies.js';
export type { ItemOverrides, SuccessOverrides, TaskReplies } from './replies.js';
export type { WireDataItem, WireErrorItem, WireReply } from './wire.js';

/* Transports */
export { delayed, failWith, marbleTransport, replyScript, scriptedTransport, ScriptStep, transportPerTask } from './scriptedTransport.js';
export type { RecordedRequest, ReplyScriptOptions, ScriptedTransport, ScriptOptions } from './scriptedTransport.js';

/* Fixtures */
export {
  F1_ASYNC_ACK,
  F2_VALIDATION_ERROR,
  F3_FAILED,
  F3_PROCESSING,
  F3_SUCCESS,
  F7_AUTH_ERROR,
  F8_EMBEDDED_FAILURE,
  F8_EMPTY_DATA_WITH_ERROR,
  F8_PROGRESS,
} from './fixtures.js';
