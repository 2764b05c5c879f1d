/**
 * The `videoInference` request, as an io-ts codec.
 *
 * Checked here: types, enums and the bounds Runware documents for every model. Left to the server: the
 * limits that vary by model (which durations, sizes and inputs a model takes), which it reports as a
 * validation error such as `unsupportedDuration` instead of an ack.
 *
 * @module
 */
import * as t from 'io-ts';
import { CommonTaskParams } from './CommonTaskParams.js';
import { numberInRange, stringOfLength } from './numberInRange.js';

/** A key frame: an image pinned to the first, the last, or a numbered frame. */
export const FrameImage = t.intersection(
  [t.type({ inputImage: t.string }), t.partial({ frame: t.union([t.literal('first'), t.literal('last'), numberInRange({ min: 0, integer: true })]) })],
  'FrameImage',
);
export type FrameImage = t.TypeOf<typeof FrameImage>;

/** Content safety checks of a task. */
export const Safety = t.partial({ checkContent: t.boolean, mode: t.union([t.literal('none'), t.literal('fast'), t.literal('full')]) }, 'Safety');
export type Safety = t.TypeOf<typeof Safety>;

/**
 * A `videoInference` task: its own parameters and {@link CommonTaskParams}. `taskUUID` is optional (the
 * client draws one). The client checks every task with it before sending; use it yourself to check
 * input you did not build (a task read from a queue or a form).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { VideoInferenceTask } from 'runware-rx';
 *
 * const fromQueue: unknown = JSON.parse('{"taskType":"videoInference","model":"klingai:5@3","duration":5,"fps":24}');
 * assert.ok(VideoInferenceTask.is(fromQueue)); // and typed as a VideoInferenceTask from here on
 * assert.ok(!VideoInferenceTask.is({ ...fromQueue, numberResults: 5 })); // at most 4 videos per task
 * assert.ok(!VideoInferenceTask.is({ ...fromQueue, width: 1020 })); // a multiple of 8
 * ```
 */
export const VideoInferenceTask = t.intersection(
  [
    t.type({
      taskType: t.literal('videoInference'),
      model: stringOfLength(1),
      duration: numberInRange({ min: 0 }),
    }),
    t.partial({
      // Documented as required, but image-to-video models may take frames alone: the server decides.
      positivePrompt: stringOfLength(2),
      width: numberInRange({ min: 8, integer: true, multipleOf: 8 }),
      height: numberInRange({ min: 8, integer: true, multipleOf: 8 }),
      fps: numberInRange({ min: 15, max: 60, integer: true }),
      steps: numberInRange({ min: 10, max: 50, integer: true }),
      CFGScale: numberInRange({ min: 0, max: 50 }),
      numberResults: numberInRange({ min: 1, max: 4, integer: true }),
      outputType: t.literal('URL'),
      outputFormat: t.union([t.literal('MP4'), t.literal('WEBM')]),
      safety: Safety,
      frameImages: t.array(FrameImage),
      referenceImages: t.array(t.string),
      referenceVideos: t.array(t.string),
      inputAudios: t.array(t.string),
      speech: t.partial({ voice: t.string, text: t.string }),
    }),
    CommonTaskParams,
  ],
  'VideoInferenceTask',
);
export type VideoInferenceTask = t.TypeOf<typeof VideoInferenceTask>;

/**
 * Builds a `videoInference` task: the same object with its `taskType`, checked by the compiler.
 *
 * @example
 * ```ts
 * import { createRunwareClient, videoInference } from 'runware-rx';
 *
 * const client = createRunwareClient(); // the API key from RUNWARE_API_KEY
 * client
 *   .run(videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5, numberResults: 2 }))
 *   .subscribe((event) => console.log(event.index, event.status));
 * // videoInference({ model: 'klingai:5@3', duration: '5' }) does not compile: duration is a number
 * ```
 */
export function videoInference(params: Omit<VideoInferenceTask, 'taskType'>): VideoInferenceTask {
  return { ...params, taskType: 'videoInference' };
}
