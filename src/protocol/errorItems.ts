/**
 * Every error shape Runware and its older versions send, read into one: {@link ErrorItem}. Pure, so the
 * reply decoder (200 replies) and the fetch transport (non-2xx replies) read error bodies the same way.
 *
 * Shapes (docs/protocol.md has the evidence): `errors: [item, ...]` (current); the legacy singular
 * `error` as an item, an array of items, or the 2024 `{ error: true, errorId, errorMessage }`; an item
 * without `code`; `parameter` as a string or an array of strings; extra fields (`responseContent`,
 * `allowedValues`, ...), kept as sent.
 *
 * @module
 */
import type * as t from 'io-ts';
import { ErrorItem } from './codecs.js';
import { isRecord } from './isRecord.js';

/** The code given to an error item that carries none, so callers can always switch on `code`. */
export const UNKNOWN_ERROR_CODE = 'unknownError';

/**
 * The error items of a reply body (nulls already dropped or not), in order: `errors[]` first, then the
 * legacy `error`. Anything that is not an error item is left out; a body with none gives `[]`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { readErrorItems } from 'runware-rx';
 *
 * // the 2024 form of an authentication failure
 * const [item] = readErrorItems({ error: true, errorId: 19, errorMessage: 'Invalid api key' });
 * assert.deepEqual(item, { code: 'unknownError', message: 'Invalid api key', errorId: 19 });
 * ```
 */
export function readErrorItems(body: unknown): ErrorItem[] {
  if (!isRecord(body)) return [];
  const items: ErrorItem[] = [];
  for (const candidate of listOf(body['errors'])) pushItem(items, candidate, undefined);
  const legacy = body['error'];
  if (legacy === true) {
    // 2024: the error fields sit beside `error: true` on the body itself.
    const { error: _flag, data: _data, errors: _errors, ...fields } = body;
    pushItem(items, fields, undefined);
  } else {
    const taskUUID = typeof body['taskUUID'] === 'string' ? body['taskUUID'] : undefined;
    for (const candidate of listOf(legacy)) pushItem(items, candidate, taskUUID);
  }
  return items;
}

/**
 * One error object in the {@link ErrorItem} shape: `code` defaults to `unknownError`, `message` to the
 * legacy `errorMessage`, a `parameter` or `taskUUID` of the wrong type is dropped; every other field kept.
 * A bare string is read as the message of an error without code.
 */
export function toErrorItem(raw: unknown, fallbackTaskUUID?: string): ErrorItem | undefined {
  if (typeof raw === 'string') return { code: UNKNOWN_ERROR_CODE, message: raw };
  if (!isRecord(raw)) return undefined;
  const { code, message, parameter, taskUUID, ...rest } = raw;
  const item: Record<string, unknown> = { code: typeof code === 'string' && code !== '' ? code : UNKNOWN_ERROR_CODE };
  const text = typeof message === 'string' ? message : typeof rest['errorMessage'] === 'string' ? rest['errorMessage'] : undefined;
  if (text !== undefined) item['message'] = text;
  if (typeof rest['errorMessage'] === 'string') delete rest['errorMessage'];
  if (isParameter(parameter)) item['parameter'] = parameter;
  const owner = typeof taskUUID === 'string' ? taskUUID : fallbackTaskUUID;
  if (owner !== undefined) item['taskUUID'] = owner;
  for (const [key, value] of Object.entries(rest)) {
    // Fields the codec types (taskType, status, documentation, resultIndex) must have their type; anything else is kept as sent.
    const codec = Object.hasOwn(ErrorItem.optional, key) ? (ErrorItem.optional as Readonly<Record<string, t.Mixed>>)[key] : undefined;
    if (codec === undefined || codec.is(value)) item[key] = value;
  }
  return item as ErrorItem;
}

/** `parameter` as one string for a message: an array of fields joined with ", ". */
export function parameterText(parameter: unknown): string | undefined {
  if (typeof parameter === 'string') return parameter;
  return Array.isArray(parameter) && isParameter(parameter) ? parameter.join(', ') : undefined;
}

function pushItem(items: ErrorItem[], candidate: unknown, fallbackTaskUUID: string | undefined): void {
  const item = toErrorItem(candidate, fallbackTaskUUID);
  if (item !== undefined) items.push(item);
}

function listOf(value: unknown): ReadonlyArray<unknown> {
  if (value === undefined || value === null || value === false) return [];
  return Array.isArray(value) ? value : [value];
}

function isParameter(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string'));
}
