/**
 * A polled reply as a hub body: what one instance polled, handed to the other instances' watches of the
 * task. Runware's replies list every generation of a task (a webhook carries one), so the other
 * instances fold it as a poll, not as a push, and reach the same events as the instance that polled.
 *
 * @module
 */
import { isRecord } from '../protocol/isRecord.js';

/** The body a watch publishes after a poll: the reply's items about one task, and when it was polled. */
export interface SharedReply {
  readonly sharedReply: { readonly data: ReadonlyArray<unknown>; readonly errors: ReadonlyArray<unknown> };
  /** When the poll went out, on the publishing instance's clock (epoch ms by default). */
  readonly polledAt?: number;
  /** When the poll answered before it went out; absent for the instance's first answered poll. */
  readonly previousPollAt?: number;
}

/** When a shared reply was polled: a generation it first shows finished finished in between. */
export interface PolledBetween {
  /** The publishing instance's poll answered before, or undefined (none: the task's start). */
  readonly from: number | undefined;
  readonly to: number;
}

/**
 * The items of `reply` (a getResponse envelope, possibly of a batch) about `taskUUID` (compared without
 * case; an error item naming no task is kept), as a hub body; undefined when it has none.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { polledBetweenIn, sharedReply, sharedReplyIn } from './sharedReply.js';
 *
 * const taskUUID = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
 * const other = { taskUUID: 'c1d2e3f4-0000-4000-8000-000000000002', status: 'processing' };
 * const body = sharedReply({ data: [{ taskUUID, status: 'processing' }, other] }, taskUUID);
 * assert.deepEqual(sharedReplyIn(body), { data: [{ taskUUID, status: 'processing' }], errors: [] });
 * assert.equal(sharedReply({ data: [other] }, taskUUID), undefined);
 * assert.equal(sharedReplyIn({ taskUUID, status: 'success' }), undefined); // a webhook's body
 * // With when it was polled: the other instances learn the interval the poll saw.
 * const timed = sharedReply({ data: [{ taskUUID, status: 'success' }] }, taskUUID, { from: 41_000, to: 47_000 });
 * assert.deepEqual(polledBetweenIn(timed), { from: 41_000, to: 47_000 });
 * ```
 */
export function sharedReply(reply: unknown, taskUUID: string, polled?: PolledBetween): SharedReply | undefined {
  if (!isRecord(reply)) return undefined;
  const wanted = taskUUID.toLowerCase();
  const about = (item: unknown, unnamed: boolean): boolean => {
    if (!isRecord(item)) return false;
    const named = item['taskUUID'];
    return typeof named === 'string' ? named.toLowerCase() === wanted : unnamed && (named === undefined || named === null);
  };
  const data = Array.isArray(reply['data']) ? reply['data'].filter((item: unknown) => about(item, false)) : [];
  const errors = Array.isArray(reply['errors']) ? reply['errors'].filter((item: unknown) => about(item, true)) : [];
  if (data.length === 0 && errors.length === 0) return undefined;
  if (polled === undefined) return { sharedReply: { data, errors } };
  return polled.from === undefined ? { sharedReply: { data, errors }, polledAt: polled.to } : { sharedReply: { data, errors }, polledAt: polled.to, previousPollAt: polled.from };
}

/** The reply envelope a hub body carries when another instance polled it; undefined for any other body (a webhook's). */
export function sharedReplyIn(body: unknown): unknown {
  return isRecord(body) && isRecord(body['sharedReply']) ? body['sharedReply'] : undefined;
}

/**
 * When the shared reply `body` was polled, as its publisher said; undefined when it did not (a body of an
 * older instance) or says nonsense (a hub is shared, not trusted with more than lag).
 */
export function polledBetweenIn(body: unknown): PolledBetween | undefined {
  if (!isRecord(body)) return undefined;
  const to = body['polledAt'];
  const from = body['previousPollAt'];
  if (typeof to !== 'number' || !Number.isFinite(to)) return undefined;
  if (from === undefined) return { from: undefined, to };
  return typeof from === 'number' && Number.isFinite(from) && from <= to ? { from, to } : undefined;
}
