/**
 * Validation of inference tasks, answering like Runware does: one documented-shape error per task,
 * instead of its acknowledgement.
 *
 * @module
 */
import { isTaskUUID as isUUID } from '../protocol/taskUUID.js';
import type { InferenceTaskType } from './options.js';
import { parseSimulate, type SimulateExtension } from './simulateExtension.js';
import { validationError, type WireError } from './wireErrors.js';

/** An inference task that passed validation. */
export interface InferenceRequest {
  readonly taskType: InferenceTaskType;
  readonly taskUUID: string;
  readonly model: string;
  readonly numberResults: number;
  readonly includeCost: boolean;
  readonly deliveryMethod: 'sync' | 'async';
  readonly seed: number | undefined;
  readonly simulate: SimulateExtension | undefined;
  readonly webhookURL?: string | undefined;
}

/**
 * `numberResults` bounds per task type: video 1-4 is documented; image and audio bounds are our choice.
 * A task outside them gets an `invalidNumberResults` validation error.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, imageInference, RunwareApiError } from 'runware-rx';
 * import { NUMBER_RESULTS_RANGE, startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator();
 * try {
 *   const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey });
 *   const tooMany = imageInference({ model: 'runware:101@1', positivePrompt: 'a fox', numberResults: NUMBER_RESULTS_RANGE.imageInference.max + 1 });
 *   const error = await firstValueFrom(client.submit(tooMany)).catch((caught: unknown) => caught);
 *   assert.ok(error instanceof RunwareApiError && error.code === 'invalidNumberResults');
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export const NUMBER_RESULTS_RANGE: Readonly<Record<InferenceTaskType, { readonly min: number; readonly max: number }>> = {
  videoInference: { min: 1, max: 4 },
  imageInference: { min: 1, max: 20 },
  audioInference: { min: 1, max: 4 },
  '3dInference': { min: 1, max: 4 },
};

/** Documented default delivery: video async, image sync; audio follows the legacy SDK (sync); 3D, long like video, async. */
const DEFAULT_DELIVERY: Readonly<Record<InferenceTaskType, 'sync' | 'async'>> = {
  videoInference: 'async',
  imageInference: 'sync',
  audioInference: 'sync',
  '3dInference': 'async',
};

/** AIR identifiers: `provider:id@version`, e.g. `klingai:5@3`. */
const AIR = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+$/;

/** Checks the taskUUID of any task; undefined when it is fine. */
export function checkTaskUUID(task: Readonly<Record<string, unknown>>, taskType: string): WireError | undefined {
  const taskUUID = task['taskUUID'];
  if (taskUUID === undefined) {
    return validationError({ code: 'missingTaskUUID', message: 'Missing taskUUID parameter. Every task needs a client-generated UUIDv4.', parameter: 'taskUUID', type: 'string', taskType });
  }
  if (!isUUID(taskUUID)) {
    return validationError({ code: 'invalidTaskUUID', message: 'Invalid value for taskUUID parameter. It must be a UUID.', parameter: 'taskUUID', type: 'string', taskType });
  }
  return undefined;
}

/** Validates an inference task; returns the first problem as a wire error, or the parsed request. */
export function validateInference(task: Readonly<Record<string, unknown>>, taskType: InferenceTaskType): { readonly ok: true; readonly request: InferenceRequest } | { readonly ok: false; readonly error: WireError } {
  const uuidProblem = checkTaskUUID(task, taskType);
  if (uuidProblem !== undefined) return { ok: false, error: uuidProblem };
  const taskUUID = task['taskUUID'] as string;
  const fail = (code: string, message: string, parameter: string, type: string, extra?: Record<string, unknown>) =>
    ({ ok: false, error: validationError({ code, message, parameter, type, taskType, taskUUID, ...(extra ? { extra } : {}) }) }) as const;

  const model = task['model'];
  if (model === undefined) return fail('missingModel', 'Missing model parameter.', 'model', 'string');
  if (typeof model !== 'string' || !AIR.test(model)) return fail('invalidModel', 'Invalid value for model parameter. Use an AIR identifier like provider:id@version.', 'model', 'string');

  const prompt = task['positivePrompt'];
  if (prompt === undefined) return fail('missingPositivePrompt', 'Missing positivePrompt parameter.', 'positivePrompt', 'string');
  if (typeof prompt !== 'string' || prompt.length < 2 || prompt.length > 3000) {
    return fail('invalidPositivePrompt', 'Invalid value for positivePrompt parameter. It must be a string of 2 to 3000 characters.', 'positivePrompt', 'string', { min: 2, max: 3000 });
  }

  const range = NUMBER_RESULTS_RANGE[taskType];
  const numberResults = task['numberResults'] ?? 1;
  if (typeof numberResults !== 'number' || !Number.isInteger(numberResults) || numberResults < range.min || numberResults > range.max) {
    return fail('invalidNumberResults', `Invalid value for numberResults parameter. It must be an integer between ${range.min} and ${range.max}.`, 'numberResults', 'integer', { min: range.min, max: range.max });
  }

  const deliveryMethod = task['deliveryMethod'] ?? DEFAULT_DELIVERY[taskType];
  if (deliveryMethod !== 'sync' && deliveryMethod !== 'async') {
    return fail('invalidDeliveryMethod', 'Invalid value for deliveryMethod parameter.', 'deliveryMethod', 'string', { allowedValues: ['sync', 'async'] });
  }

  const includeCost = task['includeCost'] ?? false;
  if (typeof includeCost !== 'boolean') return fail('invalidIncludeCost', 'Invalid value for includeCost parameter. It must be a boolean.', 'includeCost', 'boolean');

  const seed = task['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 1)) {
    return fail('invalidSeed', 'Invalid value for seed parameter. It must be a positive integer.', 'seed', 'integer', { min: 1 });
  }

  const webhookURL = task['webhookURL'];
  if (webhookURL !== undefined && !isWebhookURL(webhookURL)) return fail('invalidWebhookURL', 'Invalid value for webhookURL parameter. It must be an http or https URL.', 'webhookURL', 'string');

  const simulate = parseSimulate(task['simulate']);
  if (!simulate.ok) return fail('invalidSimulate', `Invalid value for ${simulate.parameter} (simulator extension): ${simulate.problem}.`, simulate.parameter, 'object');

  return {
    ok: true,
    request: { taskType, taskUUID, model, numberResults, includeCost, deliveryMethod, seed: seed as number | undefined, simulate: simulate.value, webhookURL },
  };
}

/** True for an absolute http(s) URL, what Runware can POST to. */
export function isWebhookURL(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
