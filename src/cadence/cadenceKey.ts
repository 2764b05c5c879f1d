/**
 * Which tasks share learned durations: the cadence key a task's generations are observed and scheduled under.
 *
 * @module
 */

/** The parameters of a task that decide how long one of its generations takes; others are ignored. */
export interface CadenceKeyParams {
  readonly taskType: string;
  readonly model?: unknown;
  readonly duration?: unknown;
  readonly fps?: unknown;
  readonly width?: unknown;
  readonly height?: unknown;
  readonly steps?: unknown;
}

/**
 * The cadence key of a task: `taskType|model`, then each parameter that scales the work of one
 * generation where the task sets it: `duration` (`5s`), `fps` (`24fps`: frames = duration x fps),
 * `width` x `height` (`1280x720`: pixels per frame) and `steps` (`30steps`: denoising passes). Prompts,
 * seeds, `numberResults` and output options do not change how long a generation takes, so tasks that
 * differ only in them learn together. A parameter that is not a finite number is left out, as if unset.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { cadenceKey } from './cadenceKey.js';
 *
 * assert.equal(cadenceKey({ taskType: 'videoInference', model: 'klingai:5@3', duration: 5, width: 1280, height: 720 }), 'videoInference|klingai:5@3|5s|1280x720');
 * // The prompt and numberResults do not split what is learned.
 * const task = { taskType: 'videoInference', model: 'klingai:5@3', duration: 10, positivePrompt: 'a fox', numberResults: 4 };
 * assert.equal(cadenceKey(task), 'videoInference|klingai:5@3|10s');
 * ```
 */
export function cadenceKey(params: CadenceKeyParams): string {
  let key = `${params.taskType}|${typeof params.model === 'string' ? params.model : ''}`;
  if (isCount(params.duration)) key += `|${params.duration}s`;
  if (isCount(params.fps)) key += `|${params.fps}fps`;
  if (isCount(params.width) && isCount(params.height)) key += `|${params.width}x${params.height}`;
  if (isCount(params.steps)) key += `|${params.steps}steps`;
  return key;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
