/**
 * Turns an unknown reply body into an {@link Envelope}, or a {@link RunwareDecodeError} that says where
 * it went wrong in words a person can act on.
 *
 * Tolerant of what Runware and its older versions send: `null` reads as absent, an item that names no task
 * is left out, and every error shape ({@link readErrorItems}) becomes an `errors[]` item. Only a body
 * that is not a Runware reply at all (not an object, no `data`/`errors`/`error`, `data` not a list) or
 * whose fields have the wrong type (`status: 3`, `taskUUID: 42`: schema drift, better retried than misread)
 * is an error.
 *
 * @module
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { DataItem, Envelope, ErrorItem } from './codecs.js';
import { describeIssues, MAX_ISSUES } from './describeIssues.js';
import { readErrorItems, toErrorItem } from './errorItems.js';
import { previewValue } from './previewValue.js';

/** Decodes a reply body, throwing {@link RunwareDecodeError} when it is not a Runware reply. */
export function decodeReply(body: unknown): Envelope {
  if (!isRecord(body)) {
    throw new RunwareDecodeError({ issues: [`body: expected an object with data or errors, got ${previewValue(body)}`], body });
  }
  // Fast path, the common reply: a valid envelope without nulls or legacy keys is returned as it is (the
  // type guard checks the same constraints about 4x faster than decode, and the codecs only check).
  if (body['error'] === undefined && (body['data'] !== undefined || body['errors'] !== undefined) && Envelope.is(body) && !containsNull(body)) {
    return body;
  }
  const source = withoutNulls(body) as Record<string, unknown>;
  const { data } = source;
  const hasErrors = source['errors'] !== undefined || source['error'] !== undefined;
  if (data === undefined && !hasErrors) {
    throw new RunwareDecodeError({ issues: ['body: expected data or errors, found neither'], body });
  }
  if (data !== undefined && !Array.isArray(data)) {
    throw new RunwareDecodeError({ issues: [`data: expected Array<DataItem>, got ${previewValue(data)}`], body });
  }
  const issues: string[] = [];
  const items: DataItem[] = [];
  (data ?? []).forEach((raw: unknown, position) => {
    // An item that names no task cannot be tied to one: left out, not a reason to reject the reply. A
    // taskUUID of the wrong type is schema drift, reported by the codec below.
    if (!isRecord(raw) || raw['taskUUID'] === undefined) return;
    const item = raw['error'] === undefined ? raw : { ...raw, error: toErrorItem(raw['error']) };
    const decoded = DataItem.decode(item);
    if (isLeft(decoded)) issues.push(...describeIssues(decoded.left, 'item').map((line) => `data.${position}.${line}`));
    else items.push(decoded.right);
  });
  const errors = readErrorItems(source).filter((item) => ErrorItem.is(item));
  if (issues.length > 0) throw new RunwareDecodeError({ issues: issues.slice(0, MAX_ISSUES), body });
  return {
    ...(data === undefined ? {} : { data: items }),
    ...(hasErrors ? { errors } : {}),
  };
}

/** `null` anywhere in the body: Runware's schemas allow it, and it means "absent". */
function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  for (const inner of Object.values(value)) if (containsNull(inner)) return true;
  return false;
}

/** A copy without the object fields whose value is `null` (list entries that are `null` stay, and are skipped later). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== null) copy[key] = withoutNulls(inner);
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
