/**
 * io-ts codecs for Runware's wire format, named like the types they describe. Each codec checks the
 * fields runware-rx relies on and keeps every other field as sent.
 *
 * @module
 */
import * as t from 'io-ts';

// -------------------------------------------------------------------------------------
// failures
// -------------------------------------------------------------------------------------

/** The nested `error` of a `data[]` item whose `status` is `"error"` (the second failure shape). */
export const NestedError = t.intersection(
  [t.type({ code: t.string }), t.partial({ message: t.string, documentation: t.string })],
  'NestedError',
);
export type NestedError = t.TypeOf<typeof NestedError>;

/**
 * An `errors[]` entry: a request-level error (no `taskUUID`, or a validation error with `parameter`)
 * or a failed generation moved out of `data[]` (`status: "error"`).
 */
export const ErrorItem = t.intersection(
  [
    t.type({ code: t.string }),
    t.partial({
      message: t.string,
      taskUUID: t.string,
      taskType: t.string,
      status: t.string,
      parameter: t.string,
      documentation: t.string,
    }),
  ],
  'ErrorItem',
);
export type ErrorItem = t.TypeOf<typeof ErrorItem>;

// -------------------------------------------------------------------------------------
// items
// -------------------------------------------------------------------------------------

/** A `data[]` item: an acknowledgement, a processing generation, a finished one, or an embedded failure. */
export const DataItem = t.intersection(
  [
    t.type({ taskUUID: t.string }),
    t.partial({
      taskType: t.string,
      status: t.string,
      progress: t.number,
      error: NestedError,
      videoUUID: t.string,
      videoURL: t.string,
      imageUUID: t.string,
      imageURL: t.string,
      audioUUID: t.string,
      audioURL: t.string,
      mediaUUID: t.string,
      mediaURL: t.string,
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
