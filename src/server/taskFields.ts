/**
 * The fields a browser may send for each task type, through the proxy: the ones runware-rx documents
 * in its task codecs, less those that send results elsewhere or spend differently; an app adds its own.
 *
 * @module
 */
import * as t from 'io-ts';
import { AudioInferenceTask } from '../client/tasks/AudioInferenceTask.js';
import { ImageInferenceTask } from '../client/tasks/ImageInferenceTask.js';
import { VideoInferenceTask } from '../client/tasks/VideoInferenceTask.js';

/** The codec of each task type runware-rx documents: its fields are the allow-list, its bounds the check. */
export const TASK_CODECS: Readonly<Record<string, t.Mixed>> = Object.freeze({
  videoInference: VideoInferenceTask,
  imageInference: ImageInferenceTask,
  audioInference: AudioInferenceTask,
});

/** The codec of a documented task type; undefined for any other (a name like `constructor` included). */
export function taskCodecOf(taskType: string): t.Mixed | undefined {
  return Object.hasOwn(TASK_CODECS, taskType) ? TASK_CODECS[taskType] : undefined;
}

/** Every submission may carry these, whatever its type (the model is checked against `allowModels`). */
const BASE_FIELDS = ['taskType', 'taskUUID', 'model', 'deliveryMethod', 'numberResults'];

/**
 * Never forwarded from a browser, in any letter case, even when an app lists them: `webhookURL` and
 * `uploadEndpoint` send results (or uploads) to a URL of the browser's choosing, `apiKey` would be a key
 * of its own; the others are how a JSON object reaches an object's prototype.
 */
const NEVER_FORWARDED = new Set(['webhookurl', 'uploadendpoint', 'apikey', '__proto__', 'constructor', 'prototype']);

/** Whether `field` is one a browser may never set, whoever allows it. */
export function isNeverForwarded(field: string): boolean {
  return NEVER_FORWARDED.has(field.toLowerCase());
}

/**
 * The fields a submission of `taskType` may carry: its codec's (when runware-rx documents the type) and
 * the app's `extra` for it, less the ones never forwarded.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { taskFields } from './taskFields.js';
 *
 * const video = taskFields('videoInference', []);
 * assert.ok(video.has('positivePrompt') && video.has('duration'));
 * assert.ok(!video.has('uploadEndpoint') && !video.has('webhookURL'));
 * assert.deepEqual([...taskFields('imageUpscale', ['inputImage', 'upscaleFactor'])].slice(-2), ['inputImage', 'upscaleFactor']);
 * ```
 */
export function taskFields(taskType: string, extra: readonly string[]): ReadonlySet<string> {
  const codec = taskCodecOf(taskType);
  const documented = codec === undefined ? [] : fieldsOf(codec);
  return new Set([...BASE_FIELDS, ...documented, ...extra].filter((field) => !isNeverForwarded(field)));
}

/** The property names of an io-ts object codec (`t.type`, `t.partial`, their intersections). */
function fieldsOf(codec: t.Mixed): string[] {
  if (codec instanceof t.IntersectionType) return (codec.types as t.Mixed[]).flatMap(fieldsOf);
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return Object.keys(codec.props as object);
  return [];
}
