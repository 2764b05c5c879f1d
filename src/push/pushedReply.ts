/**
 * A pushed body read as a reply: Runware posts the flat task object of one finished generation (a
 * failure possibly as a flat error item); some integrations saw the getResponse envelope. Both become
 * the envelope a poll returns, so the watch decodes and reconciles pushes exactly like polls.
 *
 * @module
 */
import { isRecord } from '../protocol/isRecord.js';

/**
 * The body as a reply envelope: an envelope (`data`, `errors`, a legacy status-less `error`) stays as it is; a flat
 * error item (a `code`, not a success or processing item) goes under `errors`, any other object under `data`. An item that
 * names no task is given `taskUUID`: the URL's token already said which task it is. Anything else is
 * returned unchanged, for the decoder to refuse.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { pushedReply } from './pushedReply.js';
 *
 * const taskUUID = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
 * assert.deepEqual(pushedReply({ status: 'success', videoURL: 'https://example.com/1.mp4' }, taskUUID), {
 *   data: [{ status: 'success', videoURL: 'https://example.com/1.mp4', taskUUID }],
 * });
 * assert.deepEqual(pushedReply({ code: 'taskFailed', message: 'No.', taskUUID }, taskUUID), { errors: [{ code: 'taskFailed', message: 'No.', taskUUID }] });
 * ```
 */
export function pushedReply(body: unknown, taskUUID: string): unknown {
  if (!isRecord(body)) return body;
  // A legacy `{error, taskUUID}` reply has no status; an item with a status and an embedded `error` is a failed generation.
  const legacyError = body['error'] !== undefined && (body['status'] === undefined || body['status'] === null);
  if (body['data'] !== undefined || body['errors'] !== undefined || legacyError) {
    return { ...body, ...listWithTask('data', body['data'], taskUUID), ...listWithTask('errors', body['errors'], taskUUID) };
  }
  const item = withTask(body, taskUUID);
  const isFailure = typeof body['code'] === 'string' && body['status'] !== 'success' && body['status'] !== 'processing';
  return isFailure ? { errors: [item] } : { data: [item] };
}

function listWithTask(key: string, list: unknown, taskUUID: string): Record<string, unknown> {
  return Array.isArray(list) ? { [key]: list.map((item: unknown) => (isRecord(item) ? withTask(item, taskUUID) : item)) } : {};
}

function withTask(item: Readonly<Record<string, unknown>>, taskUUID: string): unknown {
  return item['taskUUID'] === undefined || item['taskUUID'] === null ? { ...item, taskUUID } : item;
}
