/**
 * The `simulate` field: a simulator-only extension of an inference task that scripts its generations,
 * so a user's test can say "generation 2 fails with providerError after 5 s" instead of relying on rates.
 * Real Runware does not know this field; never send it there.
 *
 * @module
 */
import { FAILURE_SHAPES, type FailureShape } from './options.js';
import { isRecord } from '../protocol/isRecord.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The script of one generation, by index. */
export interface SimulatedGeneration {
  /** Simulated ms until it finishes (overrides the drawn duration). @defaultValue `simulate.duration`, else drawn from the simulator's `durations` */
  readonly duration?: number;
  /**
   * `true` fails it with the first of `failureCodes`; a string fails it with that code; `false` makes it succeed.
   * @defaultValue drawn with the simulator's `failureRate`
   */
  readonly fail?: boolean | string;
  /** Message of the failure. @defaultValue the documented message of the code, or a generic one */
  readonly message?: string;
}

/**
 * `task.simulate`. Anything not scripted is drawn from the simulator's seeded options as usual.
 *
 * @example
 * ```json
 * { "taskType": "videoInference", "numberResults": 3, "simulate": {
 *     "duration": 4000, "generations": [{}, { "fail": "timeoutProvider", "duration": 2500 }, {}] } }
 * ```
 */
export interface SimulateExtension {
  /** Simulated ms for every generation of the task (a generation's own `duration` wins). @defaultValue drawn from the simulator's `durations`, per generation */
  readonly duration?: number;
  /** Per generation, by index; shorter than `numberResults` is fine. */
  readonly generations?: ReadonlyArray<SimulatedGeneration>;
  /** Overrides the simulator's `failureShape` for this task. @defaultValue the simulator's `failureShape` */
  readonly failureShape?: FailureShape;
  /**
   * Every successful generation's result is this `text` instead of media, as textInference, caption and
   * promptEnhance results are (no id, no URL): several generations of one task then look identical.
   * @defaultValue media of the task type
   */
  readonly text?: string;
  /**
   * The submit reply carries the task's state at submission instead of the bare ack: a generation of
   * `duration: 0` is already there as a result (and the others as processing items).
   * @defaultValue false
   */
  readonly resultInAck?: boolean;
}

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/** Reads `simulate` from a task; returns a problem description (the parameter path) when it is malformed. */
export function parseSimulate(value: unknown): { readonly ok: true; readonly value: SimulateExtension | undefined } | { readonly ok: false; readonly parameter: string; readonly problem: string } {
  if (value === undefined) return { ok: true, value: undefined };
  if (!isRecord(value)) return { ok: false, parameter: 'simulate', problem: 'must be an object' };
  if (value['duration'] !== undefined && !isDuration(value['duration'])) return { ok: false, parameter: 'simulate.duration', problem: 'must be a number of ms >= 0' };
  const shape = value['failureShape'];
  if (shape !== undefined && !(FAILURE_SHAPES as ReadonlyArray<unknown>).includes(shape)) return { ok: false, parameter: 'simulate.failureShape', problem: `must be one of ${FAILURE_SHAPES.join(', ')}` };
  if (value['text'] !== undefined && typeof value['text'] !== 'string') return { ok: false, parameter: 'simulate.text', problem: 'must be a string' };
  if (value['resultInAck'] !== undefined && typeof value['resultInAck'] !== 'boolean') return { ok: false, parameter: 'simulate.resultInAck', problem: 'must be a boolean' };
  const generations = value['generations'];
  if (generations !== undefined) {
    if (!Array.isArray(generations)) return { ok: false, parameter: 'simulate.generations', problem: 'must be an array' };
    for (const [index, generation] of generations.entries()) {
      const at = `simulate.generations.${index}`;
      if (!isRecord(generation)) return { ok: false, parameter: at, problem: 'must be an object' };
      if (generation['duration'] !== undefined && !isDuration(generation['duration'])) return { ok: false, parameter: `${at}.duration`, problem: 'must be a number of ms >= 0' };
      const fail = generation['fail'];
      if (fail !== undefined && typeof fail !== 'boolean' && (typeof fail !== 'string' || fail === '')) return { ok: false, parameter: `${at}.fail`, problem: 'must be a boolean or an error code' };
      if (generation['message'] !== undefined && typeof generation['message'] !== 'string') return { ok: false, parameter: `${at}.message`, problem: 'must be a string' };
    }
  }
  return { ok: true, value: value as SimulateExtension };
}

function isDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
