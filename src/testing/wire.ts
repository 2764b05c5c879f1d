/**
 * The wire shapes the testing helpers build: what Runware sends, typed loosely enough to script odd replies.
 *
 * @module
 */

/** A `data[]` item of a getResponse reply or an acknowledgement. Extra fields are sent as given. */
export interface WireDataItem {
  readonly taskUUID: string;
  readonly taskType?: string;
  readonly status?: string;
  readonly [field: string]: unknown;
}

/** An `errors[]` entry: a failed generation (`status: "error"`) or a request-level error. */
export interface WireErrorItem {
  readonly code: string;
  readonly message?: string;
  readonly taskUUID?: string;
  readonly [field: string]: unknown;
}

/** A reply body: `data[]`, `errors[]`, or both. */
export interface WireReply {
  readonly data?: ReadonlyArray<WireDataItem>;
  readonly errors?: ReadonlyArray<WireErrorItem>;
}
