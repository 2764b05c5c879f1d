/**
 * The tasks a client can submit, typed by `taskType`, and their runtime check.
 *
 * @module
 */
import type * as t from 'io-ts';
import { describeIssues } from '../../protocol/describeIssues.js';
import { isTaskUUID } from '../../protocol/taskUUID.js';
import { RunwareValidationError } from '../../errors/RunwareValidationError.js';
import { AudioInferenceTask } from './AudioInferenceTask.js';
import { ImageInferenceTask } from './ImageInferenceTask.js';
import { VideoInferenceTask } from './VideoInferenceTask.js';

/** Any task: a `taskType`, and optionally the `taskUUID` and `numberResults` the client reads. */
export interface AnyTask {
  readonly taskType: string;
  readonly taskUUID?: string;
  readonly numberResults?: number;
  readonly [param: string]: unknown;
}

/** The task types runware-rx has a codec for. */
export interface TypedTasks {
  readonly videoInference: VideoInferenceTask;
  readonly imageInference: ImageInferenceTask;
  readonly audioInference: AudioInferenceTask;
}

/**
 * A task of type `K`: the codec's type for a known `taskType` ({@link TypedTasks}), {@link AnyTask}
 * otherwise. The client's methods take `RunwareTask<K>` with `K` inferred from the literal, so
 * `{ taskType: 'videoInference', duration: '5' }` or a misspelt parameter fails to compile while other
 * task types stay open.
 */
export type RunwareTask<K extends string = string> = { readonly taskType: K } & (K extends keyof TypedTasks ? TypedTasks[K] : AnyTask);

const CODECS: { readonly [K in keyof TypedTasks]: t.Decoder<unknown, TypedTasks[K]> } = {
  videoInference: VideoInferenceTask,
  imageInference: ImageInferenceTask,
  audioInference: AudioInferenceTask,
};

/**
 * Checks a task before it is sent: with its codec for a known `taskType`, and for every task that it is
 * an object with a `taskType` and, when given, a UUID `taskUUID` and a whole `numberResults` >= 1.
 * Returns the task unchanged, or throws {@link RunwareValidationError}.
 */
export function validateTask(task: unknown): AnyTask {
  if (typeof task !== 'object' || task === null || Array.isArray(task)) {
    throw new RunwareValidationError({ taskType: undefined, issues: [`task: expected an object, got ${task === null ? 'null' : Array.isArray(task) ? 'an array' : typeof task}`] });
  }
  const { taskType, taskUUID, numberResults } = task as Partial<Record<string, unknown>>;
  if (typeof taskType !== 'string' || taskType === '') {
    throw new RunwareValidationError({ taskType: undefined, issues: ['taskType: expected a non-empty string'] });
  }
  const issues: string[] = [];
  if (Object.hasOwn(CODECS, taskType)) {
    const result = CODECS[taskType as keyof TypedTasks].decode(task);
    if (result._tag === 'Left') issues.push(...describeIssues(result.left, 'task'));
  } else {
    if (taskUUID !== undefined && !isTaskUUID(taskUUID)) issues.push('taskUUID: expected UUID');
    if (numberResults !== undefined && !(Number.isSafeInteger(numberResults) && (numberResults as number) >= 1)) {
      issues.push('numberResults: expected integer of at least 1');
    }
  }
  if (issues.length > 0) throw new RunwareValidationError({ taskType, issues, taskUUID: isTaskUUID(taskUUID) ? taskUUID : undefined });
  return task as AnyTask;
}
