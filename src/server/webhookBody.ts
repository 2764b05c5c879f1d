/**
 * What a webhook body may be. Runware documents the flat task object (one per finished generation);
 * some integrations saw it wrapped as a getResponse reply (`{data: [...]}`, `{errors: [...]}`). Both are
 * accepted, kept raw for the watch to decode like a polled reply; anything else is refused, and so is a
 * body that names a task other than the one its token is for (at its top or in an item), and one in the
 * hub's own shape (`{ sharedReply }`: a reply another instance polled, which watches on a shared hub
 * trust as a poll of Runware; the token authenticates the URL, not the body, so nobody may post one).
 *
 * @module
 */
import { isRecord } from '../protocol/isRecord.js';
import { parseTaskKey } from '../push/taskKey.js';

/** The parsed body, or why it is refused. */
export type BodyCheck = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly problem: string };

/** Parses `text` as a webhook body for the task `taskKey` (lower case). */
export function checkWebhookBody(text: string, taskKey: string): BodyCheck {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'The body is not JSON.' };
  }
  if (isRecord(body) && Object.hasOwn(body, 'sharedReply')) return { ok: false, problem: "The body has the hub's internal shape, not a webhook's." };
  const items = bodyItems(body);
  if (items === undefined) return { ok: false, problem: 'The body must be a task object or an object with data/errors arrays.' };
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, problem: 'Every item must be an object.' };
    const named = (item as { taskUUID?: unknown }).taskUUID;
    // Absent or null: the token says which task it is (tolerant reader). Present: it must agree.
    if (named !== undefined && named !== null && parseTaskKey(named) !== taskKey) return { ok: false, problem: 'The body names another task than its URL.' };
  }
  return { ok: true, body };
}

/** The task items of a flat object or an envelope; undefined for any other shape. */
function bodyItems(body: unknown): ReadonlyArray<unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  const envelope = [data, errors].filter((part) => part !== undefined && part !== null);
  if (envelope.length === 0) return [body];
  if (!envelope.every(Array.isArray)) return undefined;
  // The envelope's own taskUUID, when it has one, must agree like its items'.
  return [{ taskUUID: (body as { taskUUID?: unknown }).taskUUID }, ...(envelope as unknown[][]).flat()];
}
