/**
 * The simulator's dialects: `strict` sends only the documented reply shapes; `realistic` mixes in, per
 * task, the shapes the real service and its older versions send and that Runware's official clients
 * read (protocol reference §9). Each choice is drawn from the seed and the taskUUID only, so a task
 * speaks the same way on every poll and in every run with that seed, whatever else is going on.
 *
 * @module
 */
import { mulberry32 } from './random.js';
import type { WireError } from './wireErrors.js';

/** How the simulator speaks: see {@link SimulatorOptions.dialect}. */
export type Dialect = 'realistic' | 'strict';

/** Every dialect. */
export const DIALECTS: ReadonlyArray<Dialect> = ['realistic', 'strict'];

/** The realistic shapes one task gets (every field false in the strict dialect). */
export interface Accent {
  /** Items tagged `taskType: "getResponse"`, echoing the request, as the seed page's field text says. */
  readonly getResponseTag: boolean;
  /** Processing items with `progress` and without `taskType` (Runware's TypeScript SDK tests). */
  readonly bareProcessing: boolean;
  /** Results with `null` for the fields they do not carry (`cost`, `NSFWContent`). */
  readonly nullFields: boolean;
  /** Fields no document lists: `outputType`, `outputFormat` on results, `responseContent` on failures. */
  readonly extraFields: boolean;
  /** Failed generations under the legacy singular `error` key (an object for one, an array for several). */
  readonly legacyError: boolean;
  /** Validation errors with `parameter` as an array of strings (Runware's CLI tests). */
  readonly arrayParameter: boolean;
  /** Whether generation `index`'s result comes without `status` (the Python SDK's terminal-detection fix). */
  readonly statusless: (index: number) => boolean;
}

/** The code a reader gives a failure that carries none; the realistic dialect sends such failures without one. */
const UNKNOWN_FAILURE_CODE = 'unknownError';

const PLAIN: Accent = {
  getResponseTag: false,
  bareProcessing: false,
  nullFields: false,
  extraFields: false,
  legacyError: false,
  arrayParameter: false,
  statusless: () => false,
};

/** The accent of a task: drawn from `seed` and its taskUUID (any case), half of the tasks for each shape. */
export function accentOf(dialect: Dialect, seed: number, taskUUID: string | undefined): Accent {
  if (dialect === 'strict' || taskUUID === undefined) return PLAIN;
  const random = mulberry32(hashOf(taskUUID.toLowerCase()) ^ seed);
  const draws = Array.from({ length: 6 }, () => random() < 0.5);
  const statuslessSalt = Math.floor(random() * 4);
  return {
    getResponseTag: draws[0] === true,
    bareProcessing: draws[1] === true,
    nullFields: draws[2] === true,
    extraFields: draws[3] === true,
    legacyError: draws[4] === true,
    arrayParameter: draws[5] === true,
    // Every other generation, starting at a drawn one, so tasks of one generation get both forms too.
    statusless: (index) => (index + statuslessSalt) % 2 === 0,
  };
}

/** FNV-1a, 32 bits: a stable number for a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const OUTPUT_FORMAT: Readonly<Record<string, string>> = { videoInference: 'MP4', imageInference: 'PNG', audioInference: 'MP3', '3dInference': 'GLB' };

/**
 * One `data[]` item of a task as the accent speaks it. `index` is the generation's, `progress` its
 * progress so far, `taskType` the task's own (the item may carry `getResponse` instead).
 */
export function accentItem(item: Readonly<Record<string, unknown>>, accent: Accent, generation: { readonly taskType: string; readonly index: number; readonly progress: number }): Record<string, unknown> {
  const spoken: Record<string, unknown> = { ...item };
  if (accent.getResponseTag) spoken['taskType'] = 'getResponse';
  if (spoken['status'] === 'processing') {
    if (accent.bareProcessing) {
      delete spoken['taskType'];
      spoken['progress'] = generation.progress;
    }
    return spoken;
  }
  if (spoken['status'] !== 'success') return spoken;
  if (accent.statusless(generation.index)) delete spoken['status'];
  if (accent.nullFields) {
    spoken['cost'] ??= null;
    spoken['NSFWContent'] = null;
  }
  if (accent.extraFields) {
    spoken['outputType'] = 'URL';
    spoken['outputFormat'] = OUTPUT_FORMAT[generation.taskType] ?? 'JPG';
  }
  return spoken;
}

/**
 * A failed generation's `errors[]` item as the accent speaks it. In the realistic dialect a failure
 * without a known code (`unknownError`) is sent without `code`, as some real failures are.
 */
export function accentFailure(error: WireError, accent: Accent): WireError {
  let spoken: WireError = error;
  if (accent !== PLAIN && error.code === UNKNOWN_FAILURE_CODE) {
    const { code: _code, ...codeless } = error;
    spoken = codeless as WireError;
  }
  if (accent.getResponseTag) spoken = { ...spoken, taskType: 'getResponse' };
  if (accent.extraFields) spoken = { ...spoken, responseContent: { provider: 'simulated', detail: error.message } };
  return spoken;
}

/** A validation error as the accent speaks it: `parameter` as an array. */
export function accentValidation(error: WireError, accent: Accent): WireError {
  return accent.arrayParameter && typeof error['parameter'] === 'string' ? { ...error, parameter: [error['parameter']] } : error;
}
