/**
 * A task store's writes as entries (one JSON value each), and the codec that checks an entry read back
 * from a file or from Redis before it is trusted. The durable stores keep these; the memory store folds
 * them without writing them out.
 *
 * @module
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeIssues } from '../protocol/describeIssues.js';
import type { DeliveredEvent, LearnedDuration, StoredTask } from './TaskStore.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One write to a task store. */
export type TaskStoreEntry =
  | { readonly kind: 'task'; readonly task: StoredTask }
  | { readonly kind: 'ack'; readonly taskUUID: string }
  | { readonly kind: 'delivery'; readonly event: DeliveredEvent }
  | { readonly kind: 'end'; readonly taskUUID: string; readonly at: number }
  | { readonly kind: 'learned'; readonly durations: ReadonlyArray<LearnedDuration> };

const optional = <C extends t.Mixed>(codec: C) => t.union([codec, t.undefined]);

const Whole = t.refinement(t.number, (value) => Number.isSafeInteger(value) && value >= 0, 'whole number');
const Time = t.refinement(t.number, Number.isFinite, 'finite number');

const StoredTaskCodec = t.type({
  taskUUID: t.string,
  taskType: t.string,
  model: optional(t.string),
  numberResults: t.refinement(Whole, (value) => value >= 1, 'whole number of at least 1'),
  cadenceKey: optional(t.string),
  fingerprint: t.string,
  submittedAt: Time,
});

/** The fields a delivered event needs to be known again: its task, its index, its status and its payload. */
const DeliveredEventCodec = t.union([
  t.type({ status: t.literal('success'), taskUUID: t.string, taskType: t.string, index: Whole, result: t.UnknownRecord }),
  t.type({ status: t.literal('error'), taskUUID: t.string, index: Whole, error: t.type({ code: t.string, message: t.string }) }),
]);

const LearnedDurationCodec = t.type({ key: t.string, from: Time, to: Time, startedAt: optional(Time), origin: t.string });

const EntryCodec = t.union([
  t.type({ kind: t.literal('task'), task: StoredTaskCodec }),
  t.type({ kind: t.literal('ack'), taskUUID: t.string }),
  t.type({ kind: t.literal('delivery'), event: DeliveredEventCodec }),
  t.type({ kind: t.literal('end'), taskUUID: t.string, at: Time }),
  t.type({ kind: t.literal('learned'), durations: t.array(LearnedDurationCodec) }),
]);

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** `value` as an entry, or a TypeError saying what is wrong with it (`where` names it: `line 12`). */
export function readTaskStoreEntry(value: unknown, where: string): TaskStoreEntry {
  const result = EntryCodec.decode(value);
  if (isLeft(result)) throw new TypeError(`${where} is not a task store entry: ${describeIssues(result.left, 'entry').slice(0, 3).join('; ')}`);
  return value as TaskStoreEntry;
}
