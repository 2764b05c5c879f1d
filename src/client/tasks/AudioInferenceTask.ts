/**
 * The `audioInference` request, as an io-ts codec.
 *
 * Checked here: types and enums. Left to the server: what varies by model (which durations and formats a
 * model takes), which it reports as a validation error instead of an ack.
 *
 * @module
 */
import * as t from 'io-ts';
import { CommonTaskParams } from './CommonTaskParams.js';
import { numberInRange, stringOfLength } from './numberInRange.js';

/**
 * An `audioInference` task (music, sound effects, speech): its own parameters and {@link CommonTaskParams}.
 * `taskUUID` is optional (the client draws one). Its results carry `audioUUID` and `audioURL` (or
 * `audioBase64Data` / `audioDataURI`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { AudioInferenceTask } from 'runware-rx';
 *
 * const task = { taskType: 'audioInference', model: 'elevenlabs:1@1', positivePrompt: 'rain on a tin roof', duration: 10 };
 * assert.ok(AudioInferenceTask.is(task));
 * assert.ok(!AudioInferenceTask.is({ ...task, duration: 0 })); // a length in seconds, at least 1
 * assert.ok(!AudioInferenceTask.is({ ...task, outputFormat: 'AAC' })); // MP3, WAV, FLAC or OGG
 * ```
 */
export const AudioInferenceTask = t.intersection(
  [
    t.type({
      taskType: t.literal('audioInference'),
      model: stringOfLength(1),
    }),
    t.partial({
      positivePrompt: stringOfLength(1),
      duration: numberInRange({ min: 1 }),
      numberResults: numberInRange({ min: 1, integer: true }),
      outputType: t.union([t.literal('URL'), t.literal('base64Data'), t.literal('dataURI')]),
      outputFormat: t.union([t.literal('MP3'), t.literal('WAV'), t.literal('FLAC'), t.literal('OGG')]),
      audioSettings: t.partial({ sampleRate: numberInRange({ min: 1, integer: true }), bitrate: numberInRange({ min: 1, integer: true }) }),
    }),
    CommonTaskParams,
  ],
  'AudioInferenceTask',
);
export type AudioInferenceTask = t.TypeOf<typeof AudioInferenceTask>;

/**
 * Builds an `audioInference` task: the same object with its `taskType`, checked by the compiler.
 *
 * @example
 * ```ts
 * import { createRunwareClient, audioInference } from 'runware-rx';
 *
 * const client = createRunwareClient(); // the API key from RUNWARE_API_KEY
 * client
 *   .run(audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'rain on a tin roof', duration: 10 }))
 *   .subscribe((event) => {
 *     if (event.status === 'success') console.log(event.result.audioURL);
 *   });
 * ```
 */
export function audioInference(params: Omit<AudioInferenceTask, 'taskType'>): AudioInferenceTask {
  return { ...params, taskType: 'audioInference' };
}
