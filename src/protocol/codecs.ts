/**
 * io-ts codecs for Runware's wire format as runware-rx reads it, after `decodeReply` has made the body
 * regular (nulls dropped, items without a task left out, every error shape turned into an `ErrorItem`).
 * Each codec checks the type of the fields runware-rx relies on and keeps every other field as sent.
 * They use io-ts's cheap pieces only (`fieldsCodec`, `t.partial`, `t.array`, one `t.Type`): `t.union`
 * and `t.intersection` would bring their machinery (about 1 kB min+gzip) into every browser bundle.
 *
 * @module
 */
import * as t from 'io-ts';
import { fieldsCodec } from './fieldsCodec.js';
import { MEDIA_KINDS, OUTPUT_SUFFIXES, type MediaField } from './resultFields.js';

// -------------------------------------------------------------------------------------
// failures
// -------------------------------------------------------------------------------------

const ParameterList = t.array(t.string);

/**
 * `parameter` of an error: one field, or several for a constraint across fields. What
 * `t.union([t.string, t.array(t.string)])` accepts, as one codec: a union drags io-ts's tagged-union
 * machinery into a browser bundle, and a failure is reported as the union anyway (`describeIssues`).
 */
export const ErrorParameter: t.Type<string | string[]> = new t.Type<string | string[]>(
  'ErrorParameter',
  (value): value is string | string[] => t.string.is(value) || ParameterList.is(value),
  (value, context) => (ErrorParameter.is(value) ? t.success(value) : t.failure(value, context)),
  t.identity,
);
export type ErrorParameter = t.TypeOf<typeof ErrorParameter>;

/** The nested `error` of a `data[]` item whose `status` is `"error"` (the second failure shape). */
export const NestedError = fieldsCodec('NestedError', { code: t.string }, { message: t.string, documentation: t.string, parameter: ErrorParameter });
export type NestedError = t.TypeOf<typeof NestedError>;

/**
 * An error entry, from `errors[]` or from a legacy singular `error`: a request-level error or a failed
 * generation moved out of `data[]` (`status: "error"`). `code` is `unknownError` when Runware sent none.
 */
export const ErrorItem = fieldsCodec(
  'ErrorItem',
  { code: t.string },
  {
    message: t.string,
    taskUUID: t.string,
    taskType: t.string,
    status: t.string,
    parameter: ErrorParameter,
    documentation: t.string,
    resultIndex: t.number,
  },
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
export const DataItem = fieldsCodec(
  'DataItem',
  { taskUUID: t.string },
  {
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
  },
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
