/**
 * The `imageInference` request, as an io-ts codec (protocol reference §4.2).
 *
 * Checked here: types, enums and the bounds Runware documents for every model; model-specific limits are
 * left to the server, which reports them as a validation error instead of an ack.
 *
 * @module
 */
import * as t from 'io-ts';
import { numberInRange, stringOfLength, TaskUUIDString } from './numberInRange.js';

/**
 * An `imageInference` task. `taskUUID` is optional (the client draws one); `deliveryMethod` can only be
 * `"async"` (the client sends it in any case). Parameters runware-rx does not model (`providerSettings`,
 * `inputs`, `advancedFeatures`, `acceleration`) pass through unchecked.
 */
export const ImageInferenceTask = t.intersection(
  [
    t.type({
      taskType: t.literal('imageInference'),
      model: stringOfLength(1),
      // 2 to 3000 characters; `__BLANK__` is Runware's way to send none.
      positivePrompt: stringOfLength(2, 3000),
    }),
    t.partial({
      taskUUID: TaskUUIDString,
      negativePrompt: t.string,
      width: numberInRange({ min: 1, integer: true }),
      height: numberInRange({ min: 1, integer: true }),
      steps: numberInRange({ min: 1, integer: true }),
      CFGScale: numberInRange({ min: 0 }),
      seed: numberInRange({ min: 0, integer: true }),
      numberResults: numberInRange({ min: 1, integer: true }),
      outputType: t.union([t.literal('URL'), t.literal('base64Data'), t.literal('dataURI')]),
      outputFormat: t.union([t.literal('JPG'), t.literal('PNG'), t.literal('WEBP')]),
      outputQuality: numberInRange({ min: 20, max: 99, integer: true }),
      includeCost: t.boolean,
      webhookURL: t.string,
      deliveryMethod: t.literal('async'),
      uploadEndpoint: t.string,
      ttl: numberInRange({ min: 60, integer: true }),
      providerSettings: t.record(t.string, t.unknown),
      inputs: t.record(t.string, t.unknown),
      advancedFeatures: t.unknown,
      acceleration: t.unknown,
    }),
  ],
  'ImageInferenceTask',
);
export type ImageInferenceTask = t.TypeOf<typeof ImageInferenceTask>;

/**
 * Builds an `imageInference` task: the same object with its `taskType`, checked by the compiler.
 *
 * @example
 * ```ts
 * client.run(imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', numberResults: 2 }));
 * ```
 */
export function imageInference(params: Omit<ImageInferenceTask, 'taskType'>): ImageInferenceTask {
  return { ...params, taskType: 'imageInference' };
}
