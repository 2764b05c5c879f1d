/**
 * Reads what one reply says about one task: its generations (processing, finished, failed) and any
 * request-level error. Items of other tasks are left out.
 *
 * @module
 */
import type { GenerationFailure, SuccessItem } from '../events.js';
import type { DataItem, Envelope, ErrorItem } from './codecs.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A generation as one reply shows it. Processing items are anonymous; finished ones carry a key. */
export type GenerationItem =
  | { readonly kind: 'processing'; readonly taskType: string | undefined; readonly progress: number | undefined }
  | { readonly kind: 'success'; readonly key: string; readonly result: SuccessItem }
  | { readonly kind: 'failure'; readonly key: string; readonly taskType: string | undefined; readonly failure: GenerationFailure };

/** What one reply says about one task. */
export interface TaskReply {
  /** Generations in reply order: `data[]` first, then `errors[]`. */
  readonly generations: ReadonlyArray<GenerationItem>;
  /** Errors about the request rather than a generation: `invalidApiKey`, `taskNotFound`, a validation error. */
  readonly requestErrors: ReadonlyArray<ErrorItem>;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Codes that say the task cannot be watched (guesses from the official SDKs' classifiers; see
 * docs/protocol.md), so they end the watch instead of counting as a failed generation.
 */
const REQUEST_LEVEL_CODES: ReadonlySet<string> = new Set([
  'invalidApiKey',
  'insufficientCredits',
  'taskNotFound',
  'taskFailedOrNotFound',
  'taskExpired',
  'taskCancelled',
  'conflictTaskUUID',
]);

/** Fields that identify a finished generation, most specific first. */
const MEDIA_KEYS = ['videoUUID', 'imageUUID', 'audioUUID', 'mediaUUID'] as const;

/** Splits an envelope into the generations and request-level errors of `taskUUID`. */
export function readTaskReply(envelope: Envelope, taskUUID: string): TaskReply {
  const generations: GenerationItem[] = [];
  const requestErrors: ErrorItem[] = [];
  const seenMedia = new Set<string>();
  // UUIDs are case-insensitive: a server that answers in lower case must not leave the watch waiting forever.
  const wanted = taskUUID.toLowerCase();
  for (const item of envelope.data ?? []) {
    if (item.taskUUID.toLowerCase() !== wanted) continue;
    const generation = readDataItem(item);
    if (generation.kind === 'success') {
      // A media UUID names one generation: the same one twice in a reply is a duplicate, not a second result.
      if (seenMedia.has(generation.key)) continue;
      seenMedia.add(generation.key);
    }
    generations.push(generation);
  }
  for (const item of envelope.errors ?? []) {
    if (item.taskUUID !== undefined && item.taskUUID.toLowerCase() !== wanted) continue;
    if (isRequestLevel(item)) requestErrors.push(item);
    else generations.push({ kind: 'failure', key: fingerprint(item), taskType: item.taskType, failure: toFailure(item) });
  }
  return { generations, requestErrors };
}

function readDataItem(item: DataItem): GenerationItem {
  const status = item.status ?? (hasMedia(item) ? 'success' : 'processing');
  if (status === 'success') {
    const mediaKey = MEDIA_KEYS.map((key) => item[key]).find((value) => value !== undefined);
    return { kind: 'success', key: mediaKey ?? fingerprint(item), result: { ...item, taskType: item.taskType ?? '', status: 'success' } };
  }
  if (status === 'error') {
    const { error, ...rest } = item;
    const failure: GenerationFailure = { ...rest, code: error?.code ?? 'unknownError', message: error?.message ?? '', ...error };
    return { kind: 'failure', key: fingerprint(item), taskType: item.taskType, failure };
  }
  // "processing", the older "pending", and any status Runware adds later all mean: not finished yet.
  return { kind: 'processing', taskType: item.taskType, progress: item.progress };
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

function isRequestLevel(item: ErrorItem): boolean {
  if (item.status === 'error') return false;
  return (
    item.taskUUID === undefined ||
    item.parameter !== undefined ||
    item.taskType === 'getResponse' ||
    item.taskType === 'authentication' ||
    REQUEST_LEVEL_CODES.has(item.code)
  );
}

function hasMedia(item: DataItem): boolean {
  return ['videoURL', 'imageURL', 'audioURL', 'mediaURL', ...MEDIA_KEYS].some((key) => item[key as keyof DataItem] !== undefined);
}

function toFailure(item: ErrorItem): GenerationFailure {
  return { ...item, message: item.message ?? '' };
}

/** Key-order-independent JSON, so the same item always has the same fingerprint. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
