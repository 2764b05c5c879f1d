/**
 * A task's state as Runware shows it: the acknowledgement (ASYNC_ACK) and the cumulative getResponse items
 * (VIDEO_PROCESSING, VIDEO_SUCCESS, VIDEO_FAILED), one per generation in a stable order.
 *
 * @module
 */
import { accentFailure, accentItem, accentOf } from './dialect.js';
import { MEDIA_FORMATS } from './media.js';
import type { InferenceTaskType, SimulatorSettings } from './options.js';
import { generationStates, MEDIA_KIND, type GenerationState, type StoredTask } from './taskStore.js';
import { documentationFor, generationError, type WireError } from './wireErrors.js';

/** The `data[]` and `errors[]` items one task contributes to a reply. */
export interface ReplyParts {
  readonly data: ReadonlyArray<Record<string, unknown>>;
  readonly errors: ReadonlyArray<WireError>;
  /** The task's failures go under the legacy singular `error` key (realistic dialect only). */
  readonly legacyError?: boolean;
}

/**
 * Cost of one generation in USD when `includeCost` is set (video from the docs' example; others plausible).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { createRunwareClient, videoInference } from 'runware-rx';
 * import { GENERATION_COST, startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator({ timeScale: 1000 });
 * try {
 *   const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, initialDelay: 50, interval: 50 });
 *   const task = videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5, numberResults: 2, includeCost: true });
 *   const events = await lastValueFrom(client.run(task).pipe(toArray()));
 *   const cost = events.reduce((sum, event) => sum + (event.status === 'success' ? (event.result.cost ?? 0) : 0), 0);
 *   assert.equal(cost, 2 * GENERATION_COST.videoInference);
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export const GENERATION_COST: Readonly<Record<InferenceTaskType, number>> = {
  videoInference: 0.18,
  imageInference: 0.0013,
  audioInference: 0.0065,
  '3dInference': 0.05,
};

/** Where a result carries its media: its own fields, or (3dInference) the schema's `outputs.files[]`. */
const MEDIA_FIELDS: Readonly<Record<InferenceTaskType, { readonly uuid: string; readonly url: string } | 'outputs.files'>> = {
  videoInference: { uuid: 'videoUUID', url: 'videoURL' },
  imageInference: { uuid: 'imageUUID', url: 'imageURL' },
  audioInference: { uuid: 'audioUUID', url: 'audioURL' },
  '3dInference': 'outputs.files',
};

/** The media fields of one finished generation. */
function mediaOf(task: StoredTask, mediaUUID: string, origin: string): Record<string, unknown> {
  const fields = MEDIA_FIELDS[task.taskType];
  const url = mediaURL(origin, task, mediaUUID);
  return fields === 'outputs.files' ? { outputs: { files: [{ uuid: mediaUUID, url }] } } : { [fields.uuid]: mediaUUID, [fields.url]: url };
}

/** The documented async acknowledgement: taskType and taskUUID only, one per task (ASYNC_ACK). */
export function renderAck(task: StoredTask): Record<string, unknown> {
  return { taskType: task.taskType, taskUUID: task.taskUUID };
}

/** The URL a media file is served at, on the simulator itself. */
export function mediaURL(origin: string, task: StoredTask, mediaUUID: string): string {
  return `${origin}/media/${mediaUUID}.${MEDIA_FORMATS[MEDIA_KIND[task.taskType]].extension}`;
}

/**
 * The task's items at `now`, generations in index order: processing items without media ids, success
 * items with media, seed and (if asked) cost; failures in `errors[]` or embedded, per the task's shape.
 * In the realistic dialect, each item then speaks with the task's accent (see dialect.ts).
 */
export function renderTaskState(task: StoredTask, now: number, settings: SimulatorSettings, origin: string): ReplyParts {
  const data: Record<string, unknown>[] = [];
  const errors: WireError[] = [];
  const accent = accentOf(settings.dialect, settings.seed, task.taskUUID);
  const states = generationStates(task, now, settings.timeScale);
  // A task whose first failure ends it: once that failure is in, only what finished before it is listed.
  const ended = task.failureShape === 'task' ? endingOf(states) : undefined;
  for (const state of ended === undefined ? states : ended) {
    const { generation } = state;
    const speak = (item: Record<string, unknown>): Record<string, unknown> =>
      accentItem(item, accent, { taskType: task.taskType, index: generation.index, progress: state.status === 'processing' ? state.progress : 100 });
    if (state.status === 'processing') {
      data.push(speak({ taskType: task.taskType, taskUUID: task.taskUUID, status: 'processing', ...(settings.progress ? { progress: state.progress } : {}) }));
    } else if (state.status === 'success') {
      data.push(
        speak({
          taskType: task.taskType,
          taskUUID: task.taskUUID,
          status: 'success',
          // A text result carries no id, no URL and no seed: two of them can be byte-identical.
          ...(task.text === undefined ? { ...mediaOf(task, generation.mediaUUID, origin), seed: generation.seed } : { text: task.text }),
          ...(task.includeCost ? { cost: GENERATION_COST[task.taskType] } : {}),
        }),
      );
    } else {
      const failure = generation.failure ?? { code: 'unknownError', message: 'The generation failed.' };
      if (task.failureShape === 'embedded') {
        data.push(speak({ taskType: task.taskType, taskUUID: task.taskUUID, status: 'error', error: { code: failure.code, message: failure.message } }));
      } else if (task.failureShape === 'inline') {
        data.push(speak({ taskType: task.taskType, taskUUID: task.taskUUID, status: 'error', code: failure.code, message: failure.message, documentation: documentationFor(task.taskType) }));
      } else {
        errors.push(accentFailure(generationError(failure.code, failure.message, task.taskType, task.taskUUID), accent));
      }
    }
  }
  return { data, errors, ...(accent.legacyError ? { legacyError: true } : {}) };
}

/**
 * With the `task` failure shape, the states a reply lists once the first failure is in: the generations
 * that succeeded no later than it, then that failure; `undefined` while no generation has failed yet.
 */
function endingOf(states: ReadonlyArray<GenerationState>): GenerationState[] | undefined {
  const failures = states.filter((state) => state.status === 'error');
  if (failures.length === 0) return undefined;
  const first = failures.reduce((earliest, state) => (state.generation.duration < earliest.generation.duration ? state : earliest));
  const before = states.filter((state) => state.status === 'success' && state.generation.duration <= first.generation.duration);
  return [...before, first];
}
