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
import type * as t from 'io-ts';
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { DataItem, Envelope, ErrorItem } from './codecs.js';
import { describeIssues, MAX_ISSUES } from './describeIssues.js';
import type { FieldsC } from './fieldsCodec.js';
import { readErrorItems, toErrorItem } from './errorItems.js';
import { isRecord } from './isRecord.js';
import { previewValue } from './previewValue.js';

/** Decodes a reply body, throwing {@link RunwareDecodeError} when it is not a Runware reply. */
export function decodeReply(body: unknown): Envelope {
  if (!isRecord(body)) {
    throw new RunwareDecodeError({ issues: [`body: expected an object with data or errors, got ${previewValue(body)}`], body });
  }
  // Fast path, the common reply: a valid envelope without nulls or legacy keys is returned as it is (the
  // codecs only check, they never change a value). One walk checks what `Envelope.is` checks and looks for
  // nulls at once; anything it is unsure of takes the full path below.
  if (isPlainEnvelope(body)) return body;
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
    if (decoded._tag === 'Left') issues.push(...describeIssues(decoded.left, 'item').map((line) => `data.${position}.${line}`));
    else items.push(decoded.right);
  });
  // toErrorItem gives every field the ErrorItem codec types its type (or leaves it out): no check again.
  const errors = readErrorItems(source);
  if (issues.length > 0) throw new RunwareDecodeError({ issues: issues.slice(0, MAX_ISSUES), body });
  return {
    ...(data === undefined ? {} : { data: items }),
    ...(hasErrors ? { errors } : {}),
  };
}

/**
 * True when `body` is an {@link Envelope} with `data` or `errors`, no legacy `error` and no `null` anywhere:
 * what `Envelope.is(body) && !containsNull(body)` says, in one walk. Only plain objects (from `JSON.parse`
 * or a literal) are walked, so every field seen is an own field; false means "not sure", never "invalid".
 */
function isPlainEnvelope(body: Record<string, unknown>): body is Envelope {
  if (!isPlainObject(body)) return false;
  let listed = false;
  for (const key in body) {
    const value = body[key];
    if (value === undefined) continue;
    if (key === 'data' || key === 'errors') {
      if (!Array.isArray(value)) return false;
      const plainItem = key === 'data' ? isPlainDataItem : isPlainErrorItem;
      for (let index = 0; index < value.length; index += 1) if (!plainItem(value[index])) return false;
      listed = true;
    } else if (key === 'error' || containsNull(value)) {
      return false;
    }
  }
  return listed;
}

/**
 * The guard of a plain item of `codec` without nulls, derived from the codec itself: a `typeof` for the
 * scalar fields, the field's own guard (and a null scan) for the others, a null scan for unknown fields.
 */
function plainItemGuard(codec: Pick<FieldsC<t.Props, t.Props>, 'required' | 'optional'>): (value: unknown) => boolean {
  const required = Object.keys(codec.required);
  const fields = new Map<string, (value: unknown) => boolean>();
  for (const [key, field] of Object.entries({ ...codec.optional, ...codec.required })) fields.set(key, fieldGuard(field));
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const key of required) if (value[key] === undefined) return false;
    for (const key in value) {
      const inner = value[key];
      if (inner === undefined) continue;
      const guard = fields.get(key);
      if (guard === undefined ? containsNull(inner) : !guard(inner)) return false;
    }
    return true;
  };
}

function fieldGuard(field: t.Mixed): (value: unknown) => boolean {
  switch ((field as { readonly _tag?: string })._tag) {
    case 'StringType':
      return (value) => typeof value === 'string';
    case 'NumberType':
      return (value) => typeof value === 'number';
    case 'BooleanType':
      return (value) => typeof value === 'boolean';
    default:
      return (value) => field.is(value) && !containsNull(value);
  }
}

const isPlainDataItem = plainItemGuard(DataItem);
const isPlainErrorItem = plainItemGuard(ErrorItem);

/** An object made by `JSON.parse` or a literal: every enumerable field is its own. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
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
