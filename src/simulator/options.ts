/**
 * Options of the simulator, their defaults and why, and the check that rejects bad ones at start.
 *
 * @module
 */
import { DIALECTS, type Dialect } from './dialect.js';
import type { FaultOptions } from './faults.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The generation task types the simulator runs. */
export type InferenceTaskType = 'videoInference' | 'imageInference' | 'audioInference' | '3dInference';

/** Every inference task type, in a fixed order. */
export const INFERENCE_TASK_TYPES: ReadonlyArray<InferenceTaskType> = ['videoInference', 'imageInference', 'audioInference', '3dInference'];

/** How long a generation takes, in simulated ms: uniform in [min, max], or a fixed number. */
export type DurationDistribution = number | { readonly min: number; readonly max: number };

/**
 * Where a failed generation shows up in a getResponse reply (the protocol leaves it UNCONFIRMED):
 * `errors` (documented), `embedded` (a `data[]` item with a nested `error`), `inline` (a `data[]` item
 * with `code`, `message`, `documentation` on itself), `task` (the first failure ends the whole task:
 * from then on the replies list the generations that succeeded before it and that one failure only).
 */
export type FailureShape = 'errors' | 'embedded' | 'inline' | 'task';

/** Every failure shape. */
export const FAILURE_SHAPES: ReadonlyArray<FailureShape> = ['errors', 'embedded', 'inline', 'task'];

/** Every option of {@link startSimulator}. All durations are milliseconds. */
export interface SimulatorOptions {
  /**
   * The one API key accepted (Bearer header or `authentication` task).
   * @defaultValue `SIMULATOR_API_KEY`, a fixed value so docs and scripts can use it
   */
  readonly apiKey?: string;
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** Interface to listen on. Loopback by default: the simulator is for local tests. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Seed of every random choice (durations, failures, seeds, media ids, drawn faults). @defaultValue 1 */
  readonly seed?: number;
  /**
   * Simulated duration of one generation, per task type. Defaults from community timings: video 30 to
   * 240 s, image 1 to 6 s, audio 5 to 30 s; 3D (our guess) 20 to 120 s.
   * @defaultValue {@link DEFAULT_DURATIONS} for every type not given
   */
  readonly durations?: Partial<Record<InferenceTaskType, DurationDistribution>>;
  /** Chance (0..1) that a generation fails. @defaultValue 0 */
  readonly failureRate?: number;
  /** Codes a failed generation gets, drawn uniformly. @defaultValue `['timeoutProvider']` (the documented one) */
  readonly failureCodes?: ReadonlyArray<string>;
  /**
   * `errors` (default, documented): failed generations move to `errors[]` with `status: "error"`.
   * `embedded`: they stay in `data[]` as `{taskType, taskUUID, status: "error", error: {code, message}}`.
   * `inline`: they stay in `data[]` as `{taskType, taskUUID, status: "error", code, message, documentation}`.
   * `task`: the first failure ends the task (the official SDKs' reading): later replies list only the
   * generations that succeeded before it and that failure in `errors[]`, fewer than `numberResults`.
   * @defaultValue `'errors'`
   */
  readonly failureShape?: FailureShape;
  /**
   * Simulated ms per real ms. 1 is real time; 1000 makes a 90 s video finish in 90 ms.
   * @defaultValue 1
   */
  readonly timeScale?: number;
  /** The real clock, in ms. Inject one to step time by hand in tests. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** Fault injection, by rate and/or script. @defaultValue none */
  readonly faults?: FaultOptions;
  /**
   * Reply to getResponse for a taskUUID the simulator does not know (UNCONFIRMED in the protocol):
   * an `errors[]` entry with this code and HTTP status. @defaultValue `{ code: 'taskNotFound', status: 200 }`
   */
  readonly unknownTask?: { readonly code?: string; readonly status?: number };
  /**
   * HTTP status when every task of a request fails validation (the docs list 400 for a bad request).
   * @defaultValue 400
   */
  readonly validationStatus?: number;
  /** Add `progress` (0..100) to processing items (only a few real models do). @defaultValue false */
  readonly progress?: boolean;
  /** Tasks kept; the oldest are forgotten beyond this (then getResponse says taskNotFound). @defaultValue 10000 */
  readonly maxTasks?: number;
  /**
   * `realistic` mixes in, per task (drawn from `seed` and the taskUUID, so the same on every poll), the
   * reply shapes the real service and its older versions send: `getResponse`-tagged items, results
   * without `status`, processing items without `taskType`, `null` fields, extra fields, failures under
   * the legacy singular `error` key, validation errors with an array `parameter`, and a 400 scoped to the
   * unknown task for a request of several tasks that holds one. `strict` sends only the documented shapes.
   * @defaultValue 'realistic'
   */
  readonly dialect?: Dialect;
  /** Webhook delivery to a task's `webhookURL`: retries and faults (see src/simulator/webhooks.ts). @defaultValue no faults */
  readonly webhooks?: WebhookOptions;
}

/** Webhook delivery options of the simulator. Rates are chances 0..1 per delivery; durations are real ms. */
export interface WebhookOptions {
  /** A delivery is lost: never sent (a receiver that was down through every retry). @defaultValue 0 */
  readonly dropRate?: number;
  /** A delivery is sent twice. @defaultValue 0 */
  readonly duplicateRate?: number;
  /** A delivery is held back by `delay`. @defaultValue 0 */
  readonly delayRate?: number;
  /** How long a delayed delivery is held back. @defaultValue 500 */
  readonly delay?: number;
  /**
   * A task's deliveries are held until its last generation finished, then sent last first, each after
   * the previous one was answered (so they arrive in reverse order). Per task with 2+ generations. @defaultValue 0
   */
  readonly reorderRate?: number;
  /** Attempts per delivery, the first included (Runware's limit is UNCONFIRMED). @defaultValue 10 */
  readonly maxAttempts?: number;
  /** First retry gap; it doubles up to 32 times this (Runware: 250 ms to 8 s), jittered ±20 %. @defaultValue 250 */
  readonly retryInterval?: number;
  /** How long a receiver has to answer an attempt (Runware: about 5 s). @defaultValue 5000 */
  readonly timeout?: number;
}

/** Options with every default applied. */
export interface SimulatorSettings {
  readonly apiKey: string;
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly durations: Readonly<Record<InferenceTaskType, { readonly min: number; readonly max: number }>>;
  readonly failureRate: number;
  readonly failureCodes: ReadonlyArray<string>;
  readonly failureShape: FailureShape;
  readonly timeScale: number;
  readonly now: () => number;
  readonly faults: FaultOptions | undefined;
  readonly unknownTaskCode: string;
  readonly unknownTaskStatus: number;
  readonly validationStatus: number;
  readonly progress: boolean;
  readonly maxTasks: number;
  readonly dialect: Dialect;
}

// -------------------------------------------------------------------------------------
// defaults
// -------------------------------------------------------------------------------------

/**
 * The simulator's default API key. Not a secret: it only opens the simulator. A script can talk to a
 * simulator started elsewhere (`runware-rx simulate`) with it.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { SIMULATOR_API_KEY, startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator({ port: 0 });
 * assert.equal(simulator.apiKey, SIMULATOR_API_KEY);
 * const refused = await fetch(simulator.url, { method: 'POST', headers: { Authorization: 'Bearer wrong' }, body: '[{"taskType":"ping"}]' });
 * assert.equal(refused.status, 401); // any other key is refused, as Runware would
 * await simulator.close();
 * ```
 */
export const SIMULATOR_API_KEY = 'sim-7f3a9c2e5b8d4a61';

/**
 * Default generation durations in simulated ms (see {@link SimulatorOptions.durations}).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { DEFAULT_DURATIONS, startSimulator } from 'runware-rx/simulator';
 *
 * assert.deepEqual(DEFAULT_DURATIONS.videoInference, { min: 30_000, max: 240_000 });
 * // A slow day: images take ten times as long, videos as usual.
 * const { min, max } = DEFAULT_DURATIONS.imageInference;
 * const simulator = await startSimulator({ durations: { imageInference: { min: 10 * min, max: 10 * max } } });
 * console.log(`simulating slow images at ${simulator.url}`);
 * await simulator.close();
 * ```
 */
export const DEFAULT_DURATIONS: Readonly<Record<InferenceTaskType, { readonly min: number; readonly max: number }>> = Object.freeze({
  videoInference: { min: 30_000, max: 240_000 },
  imageInference: { min: 1_000, max: 6_000 },
  audioInference: { min: 5_000, max: 30_000 },
  '3dInference': { min: 20_000, max: 120_000 },
});

/**
 * The dialect of a simulator started without one.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { DEFAULT_DIALECT, startSimulator } from 'runware-rx/simulator';
 *
 * assert.equal(DEFAULT_DIALECT, 'realistic'); // the shapes the real service sends, not only the documented ones
 * // A test that reads exact bytes asks for the documented shapes rather than relying on the default.
 * const simulator = await startSimulator({ dialect: 'strict' });
 * await simulator.close();
 * ```
 */
export const DEFAULT_DIALECT: Dialect = 'realistic';

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** Applies defaults; throws a RangeError or TypeError naming the first bad option. */
export function resolveSimulatorOptions(options: SimulatorOptions = {}): SimulatorSettings {
  const durations = { ...DEFAULT_DURATIONS };
  for (const [taskType, distribution] of Object.entries(options.durations ?? {})) {
    if (!(taskType in DEFAULT_DURATIONS)) throw new RangeError(`startSimulator: durations has unknown task type ${JSON.stringify(taskType)}`);
    durations[taskType as InferenceTaskType] = resolveDistribution(`durations.${taskType}`, distribution);
  }
  const settings: SimulatorSettings = {
    apiKey: options.apiKey ?? SIMULATOR_API_KEY,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 1,
    durations,
    failureRate: options.failureRate ?? 0,
    failureCodes: options.failureCodes ?? ['timeoutProvider'],
    failureShape: options.failureShape ?? 'errors',
    timeScale: options.timeScale ?? 1,
    now: options.now ?? Date.now,
    faults: options.faults,
    unknownTaskCode: options.unknownTask?.code ?? 'taskNotFound',
    unknownTaskStatus: options.unknownTask?.status ?? 200,
    validationStatus: options.validationStatus ?? 400,
    progress: options.progress ?? false,
    maxTasks: options.maxTasks ?? 10_000,
    dialect: options.dialect ?? DEFAULT_DIALECT,
  };
  if (typeof settings.apiKey !== 'string' || settings.apiKey.trim() === '') throw new TypeError('startSimulator: apiKey must be a non-empty string');
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) throw new RangeError(`startSimulator: port must be 0..65535, got ${String(settings.port)}`);
  if (!Number.isSafeInteger(settings.seed)) throw new RangeError(`startSimulator: seed must be an integer, got ${String(settings.seed)}`);
  checkRange('failureRate', settings.failureRate, 0, 1);
  if (!Array.isArray(settings.failureCodes) || settings.failureCodes.length === 0 || settings.failureCodes.some((code) => typeof code !== 'string' || code === '')) {
    throw new RangeError('startSimulator: failureCodes must be a non-empty list of codes');
  }
  if (!FAILURE_SHAPES.includes(settings.failureShape)) throw new RangeError(`startSimulator: failureShape must be one of ${FAILURE_SHAPES.join(', ')}`);
  checkRange('timeScale', settings.timeScale, Number.MIN_VALUE, 1e9);
  if (typeof settings.now !== 'function') throw new TypeError('startSimulator: now must be a function returning ms');
  checkStatus('unknownTask.status', settings.unknownTaskStatus);
  checkStatus('validationStatus', settings.validationStatus);
  if (!Number.isInteger(settings.maxTasks) || settings.maxTasks < 1) throw new RangeError('startSimulator: maxTasks must be a whole number >= 1');
  if (!DIALECTS.includes(settings.dialect)) throw new RangeError(`startSimulator: dialect must be one of ${DIALECTS.join(', ')}, got ${JSON.stringify(settings.dialect)}`);
  return settings;
}

function resolveDistribution(name: string, distribution: DurationDistribution): { min: number; max: number } {
  const range = typeof distribution === 'number' ? { min: distribution, max: distribution } : distribution;
  checkRange(`${name}.min`, range.min, 0, 1e12);
  checkRange(`${name}.max`, range.max, range.min, 1e12);
  return { min: range.min, max: range.max };
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`startSimulator: ${name} must be a finite number from ${min} to ${max}, got ${String(value)}`);
  }
}

function checkStatus(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 200 || value > 599) throw new RangeError(`startSimulator: ${name} must be an HTTP status, got ${String(value)}`);
}
