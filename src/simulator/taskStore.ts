/**
 * The tasks the simulator runs. Each generation's fate (duration, success or failure, seed, media id)
 * is drawn once at submission; its status at any moment is then a pure function of the clock, so a poll
 * never changes anything and a run is reproducible from the seed.
 *
 * @module
 */
import type { MediaKind } from './media.js';
import type { FailureShape, InferenceTaskType, SimulatorSettings } from './options.js';
import { randomInt, randomUUID, type Random } from './random.js';
import type { InferenceRequest } from './validateTask.js';
import { failureMessage } from './wireErrors.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One generation's fate, fixed at submission. */
export interface Generation {
  readonly index: number;
  /** Simulated ms from submission to the end. */
  readonly duration: number;
  readonly seed: number;
  readonly mediaUUID: string;
  /** Set when the generation is going to fail. */
  readonly failure: { readonly code: string; readonly message: string } | undefined;
}

/** A submitted task. */
export interface StoredTask {
  readonly taskType: InferenceTaskType;
  readonly taskUUID: string;
  /** Real ms (the simulator's `now()`) at submission. */
  readonly submittedAt: number;
  readonly includeCost: boolean;
  readonly failureShape: FailureShape;
  /** The text every successful generation returns instead of media (`simulate.text`). */
  readonly text?: string | undefined;
  /** The submit reply shows the task's state at submission (`simulate.resultInAck`). */
  readonly resultInAck?: boolean | undefined;
  readonly generations: ReadonlyArray<Generation>;
  /** Where each finished generation is POSTed (src/simulator/webhooks.ts), if the task asked. */
  readonly webhookURL?: string | undefined;
}

/** Where a generation stands at some moment. */
export type GenerationState =
  | { readonly status: 'processing'; readonly generation: Generation; readonly progress: number }
  | { readonly status: 'success'; readonly generation: Generation }
  | { readonly status: 'error'; readonly generation: Generation };

/** The media kind each task type produces. */
export const MEDIA_KIND: Readonly<Record<InferenceTaskType, MediaKind>> = {
  videoInference: 'video',
  imageInference: 'image',
  audioInference: 'audio',
  '3dInference': 'model',
};

// -------------------------------------------------------------------------------------
// store
// -------------------------------------------------------------------------------------

/** The task table, bounded: beyond `maxTasks` the oldest task (and its media) is forgotten. */
export class TaskStore {
  readonly #tasks = new Map<string, StoredTask>();
  readonly #media = new Map<string, MediaKind>();
  readonly #settings: SimulatorSettings;
  readonly #random: Random;
  readonly #onAdd: ((task: StoredTask) => void) | undefined;

  /** `onAdd` learns of each task as it is recorded (webhook delivery plans its finishes from it). */
  constructor(settings: SimulatorSettings, random: Random, onAdd?: (task: StoredTask) => void) {
    this.#settings = settings;
    this.#random = random;
    this.#onAdd = onAdd;
  }

  /** Whether a task with this UUID (in any case) was submitted (and not yet forgotten). */
  has(taskUUID: string): boolean {
    return this.#tasks.has(taskUUID.toLowerCase());
  }

  /** The task, if known; UUIDs match regardless of case, as Runware's do. */
  get(taskUUID: string): StoredTask | undefined {
    return this.#tasks.get(taskUUID.toLowerCase());
  }

  /** The kind of a media file of a successful generation, if known. */
  mediaKind(mediaUUID: string): MediaKind | undefined {
    return this.#media.get(mediaUUID);
  }

  /** Records a validated task, drawing every generation's fate now. */
  add(request: InferenceRequest): StoredTask {
    const settings = this.#settings;
    const random = this.#random;
    const range = settings.durations[request.taskType];
    const scripted = request.simulate;
    const generations: Generation[] = [];
    for (let index = 0; index < request.numberResults; index += 1) {
      // Draw everything for every generation, scripted or not, so scripting one task does not shift
      // the random sequence of the next.
      const drawnDuration = Math.round(range.min + random() * (range.max - range.min));
      const drawnFails = random() < settings.failureRate;
      const drawnCode = settings.failureCodes[Math.floor(random() * settings.failureCodes.length)] ?? 'timeoutProvider';
      const drawnSeed = randomInt(random, 1, 2_147_483_647);
      const mediaUUID = randomUUID(random);
      const own = scripted?.generations?.[index];
      const duration = own?.duration ?? scripted?.duration ?? drawnDuration;
      const fail = own?.fail ?? drawnFails;
      const code = typeof fail === 'string' ? fail : own?.fail === true ? (settings.failureCodes[0] ?? drawnCode) : drawnCode;
      const failure = fail === false ? undefined : { code, message: own?.message ?? failureMessage(code) };
      const seed = request.seed === undefined ? drawnSeed : request.seed + index;
      generations.push({ index, duration, seed, mediaUUID, failure });
    }
    const task: StoredTask = {
      taskType: request.taskType,
      taskUUID: request.taskUUID,
      submittedAt: settings.now(),
      includeCost: request.includeCost,
      failureShape: scripted?.failureShape ?? settings.failureShape,
      text: scripted?.text,
      resultInAck: scripted?.resultInAck,
      generations,
      webhookURL: request.webhookURL,
    };
    this.#tasks.set(task.taskUUID.toLowerCase(), task);
    for (const generation of generations) {
      if (generation.failure === undefined && task.text === undefined) this.#media.set(generation.mediaUUID, MEDIA_KIND[task.taskType]);
    }
    this.#evict();
    this.#onAdd?.(task);
    return task;
  }

  #evict(): void {
    while (this.#tasks.size > this.#settings.maxTasks) {
      const oldest = this.#tasks.keys().next();
      if (oldest.done === true) return;
      const task = this.#tasks.get(oldest.value);
      this.#tasks.delete(oldest.value);
      for (const generation of task?.generations ?? []) this.#media.delete(generation.mediaUUID);
    }
  }
}

// -------------------------------------------------------------------------------------
// state machine
// -------------------------------------------------------------------------------------

/**
 * Every generation's state at real time `now`: processing until `duration` simulated ms have passed
 * since submission (`(now - submittedAt) * timeScale`), then success or error for good.
 */
export function generationStates(task: StoredTask, now: number, timeScale: number): GenerationState[] {
  const elapsed = Math.max(0, now - task.submittedAt) * timeScale;
  return task.generations.map((generation): GenerationState => {
    if (elapsed < generation.duration) {
      const progress = Math.min(99, Math.floor((100 * elapsed) / Math.max(1, generation.duration)));
      return { status: 'processing', generation, progress };
    }
    return generation.failure === undefined ? { status: 'success', generation } : { status: 'error', generation };
  });
}
