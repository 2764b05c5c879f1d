/**
 * The `imageInference` request, as an io-ts codec.
 *
 * Checked here: types, enums and the bounds Runware documents for every model; model-specific limits are
 * left to the server, which reports them as a validation error instead of an ack.
 *
 * @module
 */
import * as t from 'io-ts';
import { CommonTaskParams } from './CommonTaskParams.js';
import { numberInRange, stringOfLength } from './numberInRange.js';

/**
 * An `imageInference` task: its own parameters and {@link CommonTaskParams}. `taskUUID` is optional (the
 * client draws one). The client checks every task with it before sending.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { ImageInferenceTask } from 'runware-rx';
 *
 * const task = { taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 1024, height: 1024 };
 * assert.ok(ImageInferenceTask.is(task));
 * assert.ok(!ImageInferenceTask.is({ ...task, positivePrompt: 'a' })); // 2 to 3000 characters
 * assert.ok(!ImageInferenceTask.is({ ...task, outputFormat: 'GIF' })); // JPG, PNG or WEBP
 * ```
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
      width: numberInRange({ min: 1, integer: true }),
      height: numberInRange({ min: 1, integer: true }),
      steps: numberInRange({ min: 1, integer: true }),
      CFGScale: numberInRange({ min: 0 }),
      numberResults: numberInRange({ min: 1, integer: true }),
      outputType: t.union([t.literal('URL'), t.literal('base64Data'), t.literal('dataURI')]),
      outputFormat: t.union([t.literal('JPG'), t.literal('PNG'), t.literal('WEBP')]),
    }),
    CommonTaskParams,
  ],
  'ImageInferenceTask',
);
export type ImageInferenceTask = t.TypeOf<typeof ImageInferenceTask>;

/**
 * Builds an `imageInference` task: the same object with its `taskType`, checked by the compiler.
 *
 * @example
 * ```ts
 * import { createRunwareClient, imageInference } from 'runware-rx';
 *
 * const client = createRunwareClient(); // the API key from RUNWARE_API_KEY
 * client
 *   .run(imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', numberResults: 2, outputFormat: 'WEBP' }))
 *   .subscribe((event) => {
 *     if (event.status === 'success') console.log(event.result.imageURL);
 *   });
 * ```
 */
export function imageInference(params: Omit<ImageInferenceTask, 'taskType'>): ImageInferenceTask {
  return { ...params, taskType: 'imageInference' };
}
