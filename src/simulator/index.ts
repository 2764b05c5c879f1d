/**
 * runware-rx/simulator: a local Runware REST server for tests, demos and benchmarks (Node only).
 * See docs/simulator.md for the protocol it speaks, its options and its fault kinds.
 *
 * @module
 */

/* API */
export { startSimulator } from './startSimulator.js';
export type { RunningSimulator } from './startSimulator.js';

/* Options */
export { DEFAULT_DIALECT, DEFAULT_DURATIONS, SIMULATOR_API_KEY } from './options.js';
export type { Dialect } from './dialect.js';
export type { DurationDistribution, FailureShape, InferenceTaskType, SimulatorOptions, WebhookOptions } from './options.js';
export { NUMBER_RESULTS_RANGE } from './validateTask.js';
export { GENERATION_COST } from './renderTask.js';

/* Faults */
export { FAULT_KINDS, TRANSIENT_FAULTS } from './faults.js';
export type { FaultKind, FaultOptions, FaultScope, FaultSpec } from './faults.js';

/* Scripting */
export type { SimulatedGeneration, SimulateExtension } from './simulateExtension.js';

/* Stats */
export type { SimulatorStats } from './stats.js';
export type { WebhookStats } from './webhooks.js';

/* Media */
export { mediaBytes } from './media.js';
export type { MediaKind } from './media.js';
