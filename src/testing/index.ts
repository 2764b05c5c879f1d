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
export { delayed, failWith, marbleTransport, replyScript, respondingTransport, scriptedTransport, ScriptStep, transportPerTask } from './scriptedTransport.js';
export type { RecordedRequest, ReplyScriptOptions, ScriptedTransport, ScriptOptions } from './scriptedTransport.js';

/* Fixtures */
export {
  ASYNC_ACK,
  AUTH_ERROR,
  REPLY_SHAPES,
  VALIDATION_ERROR,
  VIDEO_FAILED,
  VIDEO_PROCESSING,
  VIDEO_SUCCESS,
  SDK_MOCK_EMBEDDED_FAILURE,
  SDK_MOCK_FAILURE_WITHOUT_STATUS,
  SDK_MOCK_PROGRESS,
} from './fixtures.js';
export type { ReplyShape } from './fixtures.js';
