/**
 * Replies as Runware documents them, verbatim (the protocol reference's fixtures F1, F2, F3, F7, F8), to
 * test code against the real shapes rather than against our own builders. Every fixture is frozen.
 *
 * @module
 */
import type { WireReply } from './wire.js';

function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

/** F1: the acknowledgement of an async `videoInference` submission (no `status`). */
export const F1_ASYNC_ACK: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }],
});

/** F2: a validation error sent instead of an acknowledgement, with `allowedValues`. */
export const F2_VALIDATION_ERROR: WireReply = frozen({
  errors: [
    {
      code: 'unsupportedDuration',
      message: 'Invalid value for duration parameter. This duration is not supported by the model architecture.',
      parameter: 'duration',
      type: 'float',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
      allowedValues: [6],
    },
  ],
});

/** F3: a getResponse reply while the video is processing. */
export const F3_PROCESSING: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', status: 'processing' }],
});

/** F3: a getResponse reply once the video is ready (with `cost`, as for `includeCost: true`). */
export const F3_SUCCESS: WireReply = frozen({
  data: [
    {
      taskType: 'videoInference',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
      status: 'success',
      videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71',
      videoURL: 'https://im.runware.ai/video/ws/0.5/vi/b7db282d-2943-4f12-992f-77df3ad3ec71.mp4',
      cost: 0.18,
    },
  ],
});

/** F3: a getResponse reply for a failed generation, moved to `errors[]` with `status: "error"`. */
export const F3_FAILED: WireReply = frozen({
  errors: [
    {
      code: 'timeoutProvider',
      status: 'error',
      message: 'The external provider did not respond within the timeout window. The request was automatically terminated.',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
    },
  ],
});

/** F7: the authentication error (no taskUUID; routed by `taskType`). */
export const F7_AUTH_ERROR: WireReply = frozen({
  errors: [
    {
      code: 'invalidApiKey',
      message: 'Invalid API key. Get one at https://my.runware.ai/signup',
      parameter: 'apiKey',
      taskType: 'authentication',
    },
  ],
});

/**
 * F8 (official SDK test mock, not a capture): one success and one embedded failure (`status: "error"`
 * with a nested `error`) in `data[]`, for task `"X"`.
 */
export const F8_EMBEDDED_FAILURE: WireReply = frozen({
  data: [
    { taskUUID: 'X', taskType: 'imageInference', status: 'success', imageUUID: 'a', imageURL: 'a.jpg' },
    { taskUUID: 'X', taskType: 'imageInference', status: 'error', error: { code: 'safety', message: 'Content flagged' } },
  ],
});

/** F8 (official SDK test mock): a processing item with `progress`, for task `"u1"`. */
export const F8_PROGRESS: WireReply = frozen({
  data: [{ status: 'processing', taskUUID: 'u1', progress: 30 }],
});

/** F8 (official SDK test mock): an empty `data[]` next to a failed generation, for task `"u1"`. */
export const F8_EMPTY_DATA_WITH_ERROR: WireReply = frozen({
  data: [],
  errors: [{ code: 'timeoutProvider', message: 'Provider timed out', taskUUID: 'u1' }],
});
