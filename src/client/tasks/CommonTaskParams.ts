/**
 * The request parameters videoInference and imageInference share.
 *
 * @module
 */
import * as t from 'io-ts';
import { numberInRange, TaskUUIDString } from './numberInRange.js';

/**
 * Delivery, output and pass-through parameters common to both inference tasks. `deliveryMethod` can
 * only be `"async"` (the client sends it in any case); `providerSettings`, `inputs`,
 * `advancedFeatures` and `acceleration` pass through unchecked.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { CommonTaskParams } from 'runware-rx';
 *
 * // Defaults a service adds to every task it sends, checked once at start-up:
 * const defaults = { includeCost: true, outputQuality: 90, ttl: 3600 };
 * assert.ok(CommonTaskParams.is(defaults));
 * assert.ok(!CommonTaskParams.is({ outputQuality: 100 })); // 20 to 99
 * assert.ok(!CommonTaskParams.is({ deliveryMethod: 'sync' })); // runware-rx always delivers async
 * ```
 */
export const CommonTaskParams = t.partial(
  {
    taskUUID: TaskUUIDString,
    negativePrompt: t.string,
    seed: numberInRange({ min: 0, integer: true }),
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
  },
  'CommonTaskParams',
);
export type CommonTaskParams = t.TypeOf<typeof CommonTaskParams>;
