/**
 * io-ts codecs for Runware's wire format as runware-rx reads it, after `decodeReply` has made the body
 * regular (nulls dropped, items without a task left out, every error shape turned into an `ErrorItem`).
 * Each codec checks the type of the fields runware-rx relies on and keeps every other field as sent.
 *
 * @module
 */
import * as t from 'io-ts';
import { MEDIA_KINDS, OUTPUT_SUFFIXES, type MediaField } from './resultFields.js';

// -------------------------------------------------------------------------------------
// failures
// -------------------------------------------------------------------------------------

/** `parameter` of an error: one field, or several for a constraint across fields. */
export const ErrorParameter = t.union([t.string, t.array(t.string)], 'ErrorParameter');
export type ErrorParameter = t.TypeOf<typeof ErrorParameter>;

/** The nested `error` of a `data[]` item whose `status` is `"error"` (the second failure shape). */
export const NestedError = t.intersection(
  [t.type({ code: t.string }), t.partial({ message: t.string, documentation: t.string, parameter: ErrorParameter })],
  'NestedError',
);
export type NestedError = t.TypeOf<typeof NestedError>;

/**
 * An error entry, from `errors[]` or from a legacy singular `error`: a request-level error or a failed
 * generation moved out of `data[]` (`status: "error"`). `code` is `unknownError` when Runware sent none.
 */
export const ErrorItem = t.intersection(
  [
    t.type({ code: t.string }),
    t.partial({
      message: t.string,
      taskUUID: t.string,
      taskType: t.string,
      status: t.string,
      parameter: ErrorParameter,
      documentation: t.string,
      resultIndex: t.number,
    }),
  ],
  'ErrorItem',
);
export type ErrorItem = t.TypeOf<typeof ErrorItem>;

// -------------------------------------------------------------------------------------
// items
// -------------------------------------------------------------------------------------

/** One file of `outputs.files` (3dInference, training). */
export const OutputFile = t.partial({ uuid: t.string, url: t.string }, 'OutputFile');

/** `outputs` of a result: the files a task produced. */
export const Outputs = t.partial({ files: t.array(OutputFile) }, 'Outputs');

const text = t.string;

/** Every media field (`videoUUID`, `videoURL`, `videoBase64Data`, `videoDataURI`, `imageUUID`, ...), in that order, a string. */
const mediaFields = Object.fromEntries(
  MEDIA_KINDS.flatMap((kind) => ['UUID', ...OUTPUT_SUFFIXES].map((form) => [`${kind}${form}`, text])),
) as Record<MediaField, t.StringC>;

/** A `data[]` item: an acknowledgement, a processing generation, a finished one, or an embedded failure. */
export const DataItem = t.intersection(
  [
    t.type({ taskUUID: t.string }),
    t.partial({
      taskType: t.string,
      status: t.string,
      progress: t.number,
      error: NestedError,
      resultIndex: t.number,
      ...mediaFields,
      inputImageUUID: text,
      detections: t.array(t.UnknownRecord),
      outputs: Outputs,
      text,
      structuredData: t.UnknownRecord,
      finishReason: text,
      usage: t.UnknownRecord,
      air: text,
      NSFWContent: t.boolean,
      cost: t.number,
      seed: t.number,
    }),
  ],
  'DataItem',
);
export type DataItem = t.TypeOf<typeof DataItem>;

// -------------------------------------------------------------------------------------
// envelope
// -------------------------------------------------------------------------------------

/**
 * A reply body: `data[]`, `errors[]`, or both (errors are scoped to their task). At least one of the two
 * must be present; `decodeReply` checks that.
 */
export const Envelope = t.partial({ data: t.array(DataItem), errors: t.array(ErrorItem) }, 'Envelope');
export type Envelope = t.TypeOf<typeof Envelope>;
