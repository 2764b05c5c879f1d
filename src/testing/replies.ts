/**
 * Builders for getResponse replies, shaped like Runware documents them (processing, success, failure), so a test
 * reads as the conversation it scripts: `reply(processing(), success())`.
 *
 * @module
 */
import { uuidV4From } from '../protocol/taskUUID.js';
import type { WireDataItem, WireErrorItem, WireReply } from './wire.js';

/**
 * The task every builder uses unless told otherwise: the taskUUID of Runware's documented examples.
 * Watch it, and the builders' replies (and the documented fixtures such as `VIDEO_SUCCESS`) are about the watched task.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { VIDEO_SUCCESS, FIXTURE_TASK_UUID, processing, success } from 'runware-rx/testing';
 *
 * assert.equal(processing().taskUUID, FIXTURE_TASK_UUID);
 * assert.equal(success().taskUUID, FIXTURE_TASK_UUID);
 * assert.equal(VIDEO_SUCCESS.data?.[0]?.taskUUID, FIXTURE_TASK_UUID);
 * ```
 */
export const FIXTURE_TASK_UUID = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

/** Fields every builder accepts: each overrides the built value or adds a wire field. */
export interface ItemOverrides {
  /** @defaultValue {@link FIXTURE_TASK_UUID} */
  readonly taskUUID?: string;
  /** @defaultValue `'videoInference'` */
  readonly taskType?: string;
  readonly [field: string]: unknown;
}

/** Options of {@link success}. */
export interface SuccessOverrides extends ItemOverrides {
  /**
   * Which generation of the task this is (0-based). It seeds the generated `videoUUID`, so the same
   * generation always gets the same UUID and different generations never share one. Not sent on the wire.
   * @defaultValue 0
   */
  readonly generation?: number;
}

/**
 * A generation still running: `{taskType, taskUUID, status: "processing"}`, with no media UUID (as Runware
 * sends it).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { FIXTURE_TASK_UUID, processing } from 'runware-rx/testing';
 *
 * assert.deepEqual(processing({ progress: 30 }), { taskType: 'videoInference', taskUUID: FIXTURE_TASK_UUID, status: 'processing', progress: 30 });
 * ```
 */
export function processing(overrides: ItemOverrides = {}): WireDataItem {
  return { taskType: 'videoInference', taskUUID: FIXTURE_TASK_UUID, status: 'processing', ...overrides };
}

/**
 * A finished video generation with a `videoUUID` derived from the taskUUID and `generation` (stable
 * across calls, so cumulative replies repeat the same item) and a `videoURL` built from it.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { success } from 'runware-rx/testing';
 *
 * const first = success();
 * const second = success({ generation: 1, cost: 0.18 });
 * assert.equal(first.videoUUID, success().videoUUID); // stable across calls
 * assert.notEqual(first.videoUUID, second.videoUUID); // one per generation
 * assert.equal(second['cost'], 0.18);
 * ```
 */
export function success(overrides: SuccessOverrides = {}): WireDataItem {
  const { generation = 0, ...rest } = overrides;
  const taskUUID = rest.taskUUID ?? FIXTURE_TASK_UUID;
  const videoUUID = typeof rest['videoUUID'] === 'string' ? rest['videoUUID'] : derivedUUID(`${taskUUID}#${generation}`);
  return {
    taskType: 'videoInference',
    taskUUID,
    status: 'success',
    videoUUID,
    videoURL: `https://im.runware.ai/video/ws/0.5/vi/${videoUUID}.mp4`,
    ...rest,
  };
}

/**
 * A failed generation in the documented shape: an `errors[]` entry
 * `{code, status: "error", message, documentation, taskUUID}`. {@link reply} puts it in `errors`.
 *
 * @param code - Runware's error code, for example `'timeoutProvider'`.
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { failure, reply } from 'runware-rx/testing';
 *
 * const body = reply(failure('timeoutProvider'));
 * assert.deepEqual(body.data, []);
 * assert.equal(body.errors?.[0]?.code, 'timeoutProvider');
 * assert.equal(body.errors?.[0]?.['status'], 'error');
 * ```
 */
export function failure(code: string, overrides: ItemOverrides = {}): WireErrorItem {
  const { taskType, ...rest } = overrides;
  return {
    code,
    status: 'error',
    message: `Simulated failure: ${code}.`,
    documentation: 'https://runware.ai/docs/en/video-inference/api-reference',
    taskUUID: FIXTURE_TASK_UUID,
    ...(taskType === undefined ? {} : { taskType }),
    ...rest,
  };
}

/**
 * A failed generation in the second shape the official SDKs accept: a `data[]` item with
 * `status: "error"` and a nested `error: {code, message}`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { embeddedFailure, reply } from 'runware-rx/testing';
 *
 * const item = embeddedFailure('safety', { taskType: 'imageInference' });
 * assert.deepEqual(item.error, { code: 'safety', message: 'Simulated failure: safety.' });
 * assert.equal(reply(item).data?.length, 1); // it stays in data[]
 * ```
 */
export function embeddedFailure(code: string, overrides: ItemOverrides = {}): WireDataItem {
  return {
    taskType: 'videoInference',
    taskUUID: FIXTURE_TASK_UUID,
    status: 'error',
    error: { code, message: `Simulated failure: ${code}.` },
    ...overrides,
  };
}

/**
 * A reply body from items: entries built by {@link failure} (they have a `code`) go to `errors`,
 * everything else to `data`, each in the order given. `data` is always present (Runware sends
 * `data: []` next to errors); `errors` only when there is one.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { failure, processing, reply, success } from 'runware-rx/testing';
 *
 * const body = reply(success(), processing({ progress: 50 }), failure('timeoutProvider'));
 * assert.deepEqual(body.data?.map((item) => item.status), ['success', 'processing']);
 * assert.deepEqual(body.errors?.map((item) => item.code), ['timeoutProvider']);
 * ```
 */
export function reply(...items: ReadonlyArray<WireDataItem | WireErrorItem>): WireReply {
  const data: WireDataItem[] = [];
  const errors: WireErrorItem[] = [];
  for (const item of items) {
    if (isErrorItem(item)) errors.push(item);
    else data.push(item);
  }
  return errors.length === 0 ? { data } : { data, errors };
}

function isErrorItem(item: WireDataItem | WireErrorItem): item is WireErrorItem {
  return typeof item['code'] === 'string';
}

/** A UUIDv4-shaped string from a seed (FNV-1a, four lanes): deterministic, so tests can predict it. */
function derivedUUID(seed: string): string {
  let hex = '';
  for (let lane = 0; lane < 4; lane++) {
    let hash = 0x811c9dc5 ^ lane;
    for (let i = 0; i < seed.length; i++) {
      hash ^= seed.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hex += (hash >>> 0).toString(16).padStart(8, '0');
  }
  return uuidV4From(Array.from({ length: 16 }, (_, byte) => Number.parseInt(hex.slice(2 * byte, 2 * byte + 2), 16)));
}

/** The builders of this module bound to one task: see {@link repliesFor}. */
export interface TaskReplies {
  /** {@link processing} for this task. */
  readonly processing: (overrides?: ItemOverrides) => WireDataItem;
  /** {@link success} for this task. */
  readonly success: (overrides?: SuccessOverrides) => WireDataItem;
  /** {@link failure} for this task. */
  readonly failure: (code: string, overrides?: ItemOverrides) => WireErrorItem;
  /** {@link embeddedFailure} for this task. */
  readonly embeddedFailure: (code: string, overrides?: ItemOverrides) => WireDataItem;
  /** {@link reply}: the items are this task's when built with the bound builders. */
  readonly reply: (...items: ReadonlyArray<WireDataItem | WireErrorItem>) => WireReply;
}

/**
 * Every builder bound to one taskUUID (and task type), for tests that watch several tasks.
 *
 * @param taskType - @defaultValue `'videoInference'`
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { repliesFor } from 'runware-rx/testing';
 *
 * const a = repliesFor('0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01', 'imageInference');
 * const script = [a.reply(a.processing()), a.reply(a.success(), a.failure('timeoutProvider'))];
 * assert.equal(script[1]?.data?.[0]?.taskUUID, '0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01');
 * assert.equal(script[1]?.errors?.[0]?.['taskType'], 'imageInference');
 * ```
 */
export function repliesFor(taskUUID: string, taskType = 'videoInference'): TaskReplies {
  const bound = { taskUUID, taskType };
  return {
    processing: (overrides = {}) => processing({ ...bound, ...overrides }),
    success: (overrides = {}) => success({ ...bound, ...overrides }),
    failure: (code, overrides = {}) => failure(code, { ...bound, ...overrides }),
    embeddedFailure: (code, overrides = {}) => embeddedFailure(code, { ...bound, ...overrides }),
    reply,
  };
}
