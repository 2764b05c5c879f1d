/**
 * Reads what one reply says about one task: its generations (processing, finished, failed) and any
 * request-level error. Items of other tasks are left out.
 *
 * @module
 */
import type { GenerationFailure, SuccessItem } from '../events/events.js';
import type { DataItem, Envelope, ErrorItem } from './codecs.js';
import { toErrorItem, UNKNOWN_ERROR_CODE } from './errorItems.js';
import { isRequestLevel } from './errorScope.js';
import { generationIdentity, hasOutput } from './resultFields.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a finished generation looks like in one reply: how to know it again. */
interface FinishedIdentity {
  /** The generation's own name (`videoUUID:...`, `resultIndex:2`, ...), or `undefined` when it carries none. */
  readonly identity: string | undefined;
  /**
   * The item's content, key order aside: equal in two replies when nothing about it changed (its identity
   * when it has one). A function, written out only when asked (and then once): a poll whose anonymous
   * finished items are all known by their count never asks.
   */
  readonly fingerprint: () => string;
  /**
   * The content without what may change between polls (messages, URL query strings such as signatures); its
   * identity when it has one. Written out only when asked: most polls match on the fingerprint.
   */
  readonly resemblance: () => string;
}

/** A generation as one reply shows it. Processing items are anonymous; finished ones may carry an identity. */
export type GenerationItem =
  | { readonly kind: 'processing'; readonly taskType: string | undefined; readonly progress: number | undefined }
  | ({ readonly kind: 'success'; readonly result: SuccessItem } & FinishedIdentity)
  | ({ readonly kind: 'failure'; readonly taskType: string | undefined; readonly failure: GenerationFailure } & FinishedIdentity);

/** A generation that has finished, one way or the other. */
export type FinishedItem = Exclude<GenerationItem, { kind: 'processing' }>;

/** What one reply says about one task. */
export interface TaskReply {
  /** Generations in reply order: `data[]` first, then `errors[]`. */
  readonly generations: ReadonlyArray<GenerationItem>;
  /** Errors about the request rather than a generation (see `isRequestLevel`). */
  readonly requestErrors: ReadonlyArray<ErrorItem>;
  /**
   * Statuses of `data[]` items that are none of {@link KNOWN_STATUSES} (`"completed"`, ...), once each, when
   * there are any: such an item was read as a success when it carried a result, else as processing.
   */
  readonly unknownStatuses?: ReadonlyArray<string>;
}

/**
 * The statuses runware-rx knows: Runware's three (`processing`, `success`, `error`), the older docs'
 * `pending`, and the non-terminal ones the legacy Python SDK waits on (`queued`, `scheduled`, `waiting`).
 */
export const KNOWN_STATUSES: ReadonlySet<string> = new Set(['processing', 'success', 'error', 'pending', 'queued', 'scheduled', 'waiting']);

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Splits an envelope into the generations and request-level errors of `taskUUID`. Within one reply, a
 * finished generation listed twice under the same identity is read once (two different generations never
 * share an id). Finished items without an identity all stay apart, identical or not: two generations can
 * fail the same way, and two completions of a text task can be the same text (a short or deterministic
 * answer), so N such items in a reply are N generations, as the official SDKs count them.
 */
export function readTaskReply(envelope: Envelope, taskUUID: string): TaskReply {
  const generations: GenerationItem[] = [];
  const requestErrors: ErrorItem[] = [];
  let unknownStatuses: string[] | undefined;
  // The names of the finished generations read so far: a few per reply, so a list rather than a Set.
  const seen: string[] = [];
  // UUIDs are case-insensitive: a server that answers in lower case must not leave the watch waiting
  // forever. Compared as they are first: lower-casing every item's UUID costs a string per item.
  const wanted = taskUUID.toLowerCase();
  for (const item of envelope.data ?? []) {
    if (item.taskUUID !== taskUUID && item.taskUUID.toLowerCase() !== wanted) continue;
    if (item.status !== undefined && !KNOWN_STATUSES.has(item.status) && !(unknownStatuses ??= []).includes(item.status)) unknownStatuses.push(item.status);
    const generation = readDataItem(item);
    if (firstSight(generation, seen)) generations.push(generation);
  }
  for (const item of envelope.errors ?? []) {
    if (item.taskUUID !== undefined && item.taskUUID !== taskUUID && item.taskUUID.toLowerCase() !== wanted) continue;
    if (isRequestLevel(item)) {
      requestErrors.push(item);
      continue;
    }
    const generation = failureItem(item, originalTaskType(item.taskType), toFailure(item));
    if (firstSight(generation, seen)) generations.push(generation);
  }
  return unknownStatuses === undefined ? { generations, requestErrors } : { generations, requestErrors, unknownStatuses };
}

/**
 * The failure of a task this reply shows ended by the service, or `undefined`: at least one failed
 * generation, none processing, and fewer generations listed than the `numberResults` expected. The
 * official SDKs fail the whole task at its first error, so a service that stops the task there may
 * never list the other generations; a watch that waited for them would wait until its deadline. One
 * such reply may be a moment of a task still starting its generations: the watch acts on two in a row.
 */
export function endedTaskFailure(reply: TaskReply, numberResults: number | undefined): GenerationFailure | undefined {
  if (numberResults === undefined || reply.generations.length >= numberResults) return undefined;
  let failure: GenerationFailure | undefined;
  for (const generation of reply.generations) {
    if (generation.kind === 'processing') return undefined;
    if (generation.kind === 'failure') failure ??= generation.failure;
  }
  return failure;
}

/** False for a finished generation already read in this reply (by identity, or a success by content); `seen` then holds its name. */
function firstSight(generation: GenerationItem, seen: string[]): boolean {
  if (generation.kind === 'processing') return true;
  // Only a name tells a copy: two identical anonymous results (text, captions) are two generations.
  const name = generation.identity;
  if (name === undefined) return true;
  if (seen.includes(name)) return false;
  seen.push(name);
  return true;
}

function readDataItem(item: DataItem): GenerationItem {
  const taskType = originalTaskType(item.taskType);
  // An item without status, or with one we do not know ("completed"), is finished when it carries an
  // output (the Python SDK's terminal detection); an id and progress alone are still running.
  const status = item.status !== undefined && KNOWN_STATUSES.has(item.status) ? item.status : hasOutput(item) ? 'success' : 'processing';
  if (status === 'success') {
    const identity = generationIdentity(item);
    const result: SuccessItem = { ...item, taskType: taskType ?? '', status: 'success' };
    return { kind: 'success', identity, fingerprint: contentOf(item, identity, false), resemblance: contentOf(item, identity, true), result };
  }
  if (status === 'error') {
    // The failure's words: the nested `error` (the TypeScript SDK's shape), else the item's own fields
    // (an `errors[]` entry left in `data[]`: code, message, documentation beside `status`).
    const { error, ...rest } = item;
    return failureItem(item, taskType, toFailure(toErrorItem({ ...rest, ...error }) ?? { code: UNKNOWN_ERROR_CODE }));
  }
  // "processing", the older "pending", and the like: not finished yet.
  return { kind: 'processing', taskType, progress: item.progress };
}

/**
 * The task's own type: `getResponse` is the poll's echo (Runware's task polling page), which says
 * nothing about the task, so the watch keeps the type it learnt elsewhere, if any.
 */
function originalTaskType(taskType: string | undefined): string | undefined {
  return taskType === 'getResponse' ? undefined : taskType;
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** A failed generation read from `item` (a `data[]` item with status error, or an `errors[]` item). */
function failureItem(item: Readonly<Record<string, unknown>>, taskType: string | undefined, failure: GenerationFailure): GenerationItem {
  const identity = generationIdentity(item);
  return { kind: 'failure', identity, fingerprint: contentOf(item, identity, false), resemblance: contentOf(item, identity, true), taskType, failure };
}

/**
 * How to know a finished item again (`loose`: its resemblance, else its fingerprint). An item with an
 * identity is known by it, so its content is not written out at all: most finished items carry one, and
 * writing out an item costs more than parsing it. Without one, the content is written out when first
 * asked, and once.
 */
function contentOf(item: Readonly<Record<string, unknown>>, identity: string | undefined, loose: boolean): () => string {
  if (identity !== undefined) return () => identity;
  let written: string | undefined;
  return () => (written ??= fingerprint(item, loose));
}

function toFailure(item: ErrorItem): GenerationFailure {
  return { ...item, message: item.message ?? '' };
}

/**
 * A key for a parsed value's content, key order aside, so the same item always has the same fingerprint.
 * `loose` leaves out what a re-signed or reworded item changes: `message` fields, and URL query strings
 * (signatures). Strings are written with their length in front (`s5:hello`), so no text needs escaping
 * and no two values share a key; keys whose value is `undefined` are left out, as in JSON. Written by
 * hand: a `JSON.stringify` replacer that sorts keys costs more than parsing the reply.
 */
export function fingerprint(value: unknown, loose = false): string {
  if (typeof value === 'string') {
    const text = loose && /^https?:\/\//.test(value) ? (value.split('?')[0] as string) : value;
    return `s${text.length}:${text}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'n' : 'b'}${String(value)};`;
  if (typeof value !== 'object' || value === null) return 'z';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) text += fingerprint(value[index], loose);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const inner = record[key];
    if (inner === undefined || typeof inner === 'function' || (loose && key === 'message')) continue;
    text += `${key.length}:${key}${fingerprint(inner, loose)}`;
  }
  return `${text}}`;
}
