/**
 * The request parameters videoInference and imageInference share (protocol reference §4.1, §4.2).
 *
 * @module
 */
import * as t from 'io-ts';
import { numberInRange, TaskUUIDString } from './numberInRange.js';

/**
 * Delivery, output and pass-through parameters common to both inference tasks. `deliveryMethod` can
 * only be `"async"` (the client sends it in any case); `providerSettings`, `inputs`,
 * `advancedFeatures` and `acceleration` pass through unchecked.
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
