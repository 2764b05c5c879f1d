/**
 * What a watch emits: one {@link GenerationEvent} each time one generation of the task changes status.
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The task types whose results Runware delivers asynchronously (`deliveryMethod: "async"` + getResponse). */
export type AsyncTaskType =
  | 'videoInference'
  | 'imageInference'
  | 'audioInference'
  | '3dInference'
  | 'textInference'
  | 'caption'
  | 'upscale'
  | 'removeBackground'
  | 'vectorize'
  | 'imageMasking'
  | 'controlNetPreprocess'
  | 'promptEnhance'
  | 'training';

/** One file of `outputs.files` (3dInference, training). */
export interface OutputFile {
  readonly uuid?: string;
  readonly url?: string;
  readonly [field: string]: unknown;
}

/**
 * A finished generation, with every field of the wire item kept as sent. Which fields are present depends
 * on the task type (and on `outputType`/`outputFormat`):
 *
 * | taskType | result fields |
 * |---|---|
 * | videoInference | `videoUUID`, `videoURL` / `videoBase64Data` / `videoDataURI`, `seed`, `NSFWContent` |
 * | imageInference, removeBackground, vectorize | `imageUUID`, `imageURL` / `imageBase64Data` / `imageDataURI`, `seed`, `NSFWContent` |
 * | audioInference | `audioUUID`, `audioURL` / `audioBase64Data` / `audioDataURI`, `seed` |
 * | upscale | `mediaUUID`, `mediaURL` (video: `videoUUID`, `videoURL`) |
 * | 3dInference | `outputs.files[]` (`uuid`, `url`) |
 * | textInference, promptEnhance | `text` (`finishReason`, `usage` for textInference) |
 * | caption | `text`, `structuredData` |
 * | imageMasking | `maskImageUUID`, `maskImageURL`, `detections`, `inputImageUUID` |
 * | controlNetPreprocess | `guideImageUUID`, `guideImageURL`, `inputImageUUID` |
 * | training | `air`, `outputs.files[]` |
 *
 * `cost` is there when the task asked for `includeCost`. Anything Runware adds later is kept too.
 */
export interface SuccessItem {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly status: 'success';
  /** Position of the generation among the task's results, when Runware sends it. */
  readonly resultIndex?: number;
  readonly videoUUID?: string;
  readonly videoURL?: string;
  readonly videoBase64Data?: string;
  readonly videoDataURI?: string;
  readonly imageUUID?: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly audioUUID?: string;
  readonly audioURL?: string;
  readonly audioBase64Data?: string;
  readonly audioDataURI?: string;
  readonly mediaUUID?: string;
  readonly mediaURL?: string;
  readonly mediaBase64Data?: string;
  readonly mediaDataURI?: string;
  readonly maskImageUUID?: string;
  readonly maskImageURL?: string;
  readonly maskImageBase64Data?: string;
  readonly maskImageDataURI?: string;
  readonly guideImageUUID?: string;
  readonly guideImageURL?: string;
  readonly guideImageBase64Data?: string;
  readonly guideImageDataURI?: string;
  /** The image a masking or preprocessing task read. */
  readonly inputImageUUID?: string;
  /** What imageMasking found, one entry per detected region. */
  readonly detections?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Files of a 3dInference or training result. */
  readonly outputs?: { readonly files?: ReadonlyArray<OutputFile>; readonly [field: string]: unknown };
  /** The text of a textInference, caption or promptEnhance result. */
  readonly text?: string;
  /** A caption's structured answer. */
  readonly structuredData?: Readonly<Record<string, unknown>>;
  readonly finishReason?: string;
  readonly usage?: Readonly<Record<string, unknown>>;
  /** The AIR of the model a training task produced. */
  readonly air?: string;
  readonly NSFWContent?: boolean;
  readonly cost?: number;
  readonly seed?: number;
  readonly [field: string]: unknown;
}

/**
 * Why one generation failed, from any wire shape: an `errors[]` entry, or a `data[]` item with
 * `status: "error"` and a nested `error` (flattened here) or its words on itself. Every other wire field is kept.
 */
export interface GenerationFailure {
  readonly code: string;
  readonly message: string;
  readonly documentation?: string;
  /**
   * Set when no item reported this generation's failure and the watch concluded it: `taskEnded`, the
   * service ended the task without listing it (two replies in a row); `failFast`, the watch's `failFast`
   * option ended it at another generation's failure. The other fields are that failure's.
   */
  readonly inferred?: 'taskEnded' | 'failFast';
  readonly [field: string]: unknown;
}

/**
 * A generation Runware is still working on: emitted once, when first seen; with the watch's `progress`
 * option, again (same `index`) each time its `progress` changes.
 */
export interface ProcessingEvent {
  readonly status: 'processing';
  readonly taskUUID: string;
  readonly taskType: string;
  /** 0-based slot of the generation, assigned in order of first sight and stable for the whole watch. */
  readonly index: number;
  /** 0 to 100, only for the few models that report progress. */
  readonly progress?: number;
}

/** A generation that finished with a result. Terminal: no other event follows for this index. */
export interface SuccessEvent {
  readonly status: 'success';
  readonly taskUUID: string;
  readonly taskType: string;
  readonly index: number;
  readonly result: SuccessItem;
}

/**
 * A generation that failed. Terminal: no other event follows for this index. Named so that it does not
 * shadow the DOM's global `ErrorEvent` in browser and Angular code.
 */
export interface GenerationErrorEvent {
  readonly status: 'error';
  readonly taskUUID: string;
  /** Absent when Runware's failure entry did not say and no earlier item of the task did. */
  readonly taskType?: string;
  readonly index: number;
  readonly error: GenerationFailure;
}

/** @deprecated Renamed {@link GenerationErrorEvent} (this name shadows the DOM's `ErrorEvent`); the alias goes in the next release. */
export type ErrorEvent = GenerationErrorEvent;

/**
 * One change of status of one generation. Narrow it on `status`: each kind carries its own fields.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import type { GenerationEvent } from 'runware-rx';
 *
 * function label(event: GenerationEvent): string {
 *   switch (event.status) {
 *     case 'processing': return `#${event.index} ${event.progress ?? '?'}%`;
 *     case 'success': return `#${event.index} ready: ${event.result.videoURL ?? event.result.imageURL}`;
 *     case 'error': return `#${event.index} failed: ${event.error.code}`;
 *   }
 * }
 * assert.equal(label({ status: 'processing', taskUUID: 't', taskType: 'videoInference', index: 0, progress: 30 }), '#0 30%');
 * ```
 */
export type GenerationEvent = ProcessingEvent | SuccessEvent | GenerationErrorEvent;

/** The status a generation can have. */
export type GenerationStatus = GenerationEvent['status'];

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * True for the two statuses after which a generation never changes again (`success`, `error`); a type
 * guard, so `filter(isTerminal)` narrows a watch to its finished generations.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { isTerminal, type GenerationEvent } from 'runware-rx';
 *
 * const events: GenerationEvent[] = [
 *   { status: 'processing', taskUUID: 't', taskType: 'videoInference', index: 0 },
 *   { status: 'error', taskUUID: 't', taskType: 'videoInference', index: 1, error: { code: 'timeoutProvider', message: 'Provider timed out' } },
 * ];
 * // as in watchTask(taskUUID).pipe(filter(isTerminal)): the finished generations only
 * assert.deepEqual(events.filter(isTerminal).map((event) => event.index), [1]);
 * ```
 */
export function isTerminal(event: GenerationEvent): event is SuccessEvent | GenerationErrorEvent {
  return event.status !== 'processing';
}
