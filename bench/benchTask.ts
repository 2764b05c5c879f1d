/**
 * The video task every bench run submits (polling and push alike): one model, so one cadence key, and
 * the simulator's `simulate` extension scripting its generations.
 */
import type { VideoInferenceTask } from '../src/index.js';

/** What the simulator is told of a task's generations (its `simulate` extension). */
export type SimulateScript = { readonly duration: number } | { readonly generations: ReadonlyArray<{ readonly duration: number }> };

/** A bench video task; `numberResults` only when given (the polling runs leave it out). */
export function benchTask(taskUUID: string, simulate: SimulateScript, numberResults?: number): VideoInferenceTask & { readonly simulate: SimulateScript } {
  return {
    taskType: 'videoInference',
    taskUUID,
    model: 'runware:bench@1',
    positivePrompt: 'benchmark',
    duration: 5,
    ...(numberResults === undefined ? {} : { numberResults }),
    simulate,
  };
}
