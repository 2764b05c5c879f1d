/**
 * The wire shapes the testing helpers build: what Runware sends, typed loosely enough to script odd replies.
 *
 * @module
 */

/** A `data[]` item of a getResponse reply or an acknowledgement. Extra fields are sent as given. */
export interface WireDataItem {
  /** The task the item belongs to. */
  readonly taskUUID: string;
  /** The original task type, such as `videoInference`. */
  readonly taskType?: string;
  /** `processing`, `success` or `error`; absent on an acknowledgement. */
  readonly status?: string;
  readonly [field: string]: unknown;
}

/** An `errors[]` entry: a failed generation (`status: "error"`) or a request-level error. */
export interface WireErrorItem {
  /** Runware's error code, such as `timeoutProvider` or `invalidApiKey`. */
  readonly code: string;
  /** Runware's message, for people. */
  readonly message?: string;
  /** The task the error is about; absent for some request-level errors. */
  readonly taskUUID?: string;
  readonly [field: string]: unknown;
}

/** A reply body: `data[]`, `errors[]`, or both. */
export interface WireReply {
  /** Acknowledgements, processing and finished generations, embedded failures. */
  readonly data?: ReadonlyArray<WireDataItem>;
  /** Failed generations and request-level errors. */
  readonly errors?: ReadonlyArray<WireErrorItem>;
}
