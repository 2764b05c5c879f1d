/**
 * Replies as Runware documents them, verbatim (its video inference and error documentation, and the
 * official SDKs' test mocks), and the other shapes the real service and its older versions send, to test
 * code against the real shapes rather than against our own builders. Every fixture is frozen.
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

/**
 * The acknowledgement of an async `videoInference` submission (no `status`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, videoInference } from 'runware-rx';
 * import { ASYNC_ACK, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const transport = replyScript([ASYNC_ACK]);
 * const client = createRunwareClient({ transport });
 * const task = videoInference({ taskUUID: FIXTURE_TASK_UUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });
 * const ack = await firstValueFrom(client.submit(task));
 * assert.deepEqual(ack, { taskType: 'videoInference', taskUUID: FIXTURE_TASK_UUID });
 * assert.equal(transport.requests[0]?.tasks[0]?.['deliveryMethod'], 'async'); // what was sent
 * ```
 */
export const ASYNC_ACK: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }],
});

/**
 * A validation error sent instead of an acknowledgement, with `allowedValues`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, RunwareApiError, videoInference } from 'runware-rx';
 * import { VALIDATION_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const client = createRunwareClient({ transport: replyScript([VALIDATION_ERROR]) });
 * const task = videoInference({ taskUUID: FIXTURE_TASK_UUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 10 });
 * const refused = await firstValueFrom(client.submit(task)).catch((error: unknown) => error);
 * assert.ok(refused instanceof RunwareApiError && refused.code === 'unsupportedDuration');
 * ```
 */
export const VALIDATION_ERROR: WireReply = frozen({
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

/**
 * A getResponse reply while the video is processing.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { map } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { VIDEO_PROCESSING, VIDEO_SUCCESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ expectObservable }) => {
 *   const transport = replyScript([VIDEO_PROCESSING, VIDEO_PROCESSING, VIDEO_SUCCESS]);
 *   const statuses = watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).pipe(map((event) => event.status));
 *   expectObservable(statuses).toBe('1000ms p 2499ms (s|)', { p: 'processing', s: 'success' }); // polls at 1000, 2000, 3500
 * });
 * ```
 */
export const VIDEO_PROCESSING: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', status: 'processing' }],
});

/**
 * A getResponse reply once the video is ready (with `cost`, as for `includeCost: true`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { VIDEO_SUCCESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([VIDEO_SUCCESS]), scheduler }).subscribe((event) => events.push(event)));
 * const [done] = events;
 * assert.ok(done?.status === 'success');
 * assert.equal(done.result.cost, 0.18); // every wire field is kept on the result
 * console.log(done.result.videoURL);
 * ```
 */
export const VIDEO_SUCCESS: WireReply = frozen({
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

/**
 * A getResponse reply for a failed generation, moved to `errors[]` with `status: "error"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { VIDEO_FAILED, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([VIDEO_FAILED]), scheduler }).subscribe((event) => events.push(event)));
 * // A failed generation is an event, not an error of the watch:
 * assert.deepEqual(events.map((event) => (event.status === 'error' ? event.error.code : event.status)), ['timeoutProvider']);
 * ```
 */
export const VIDEO_FAILED: WireReply = frozen({
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

/**
 * The authentication error (no taskUUID; routed by `taskType`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareApiError, watchTask } from 'runware-rx';
 * import { AUTH_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   watchTask(FIXTURE_TASK_UUID, { transport: replyScript([AUTH_ERROR]), scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * // A request-level error ends the watch at once, without retrying:
 * assert.ok(caught instanceof RunwareApiError && caught.code === 'invalidApiKey');
 * ```
 */
export const AUTH_ERROR: WireReply = frozen({
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
 * An official SDK's test mock (not a capture): one success and one embedded failure (`status: "error"`
 * with a nested `error`) in `data[]`, for task `"X"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { SDK_MOCK_EMBEDDED_FAILURE, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "X" is not a UUID: move the items to the task the test watches.
 * const body = { data: SDK_MOCK_EMBEDDED_FAILURE.data?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => {
 *   watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).subscribe((event) => events.push(event));
 * });
 * assert.deepEqual(events.map((event) => event.status), ['success', 'error']);
 * ```
 */
export const SDK_MOCK_EMBEDDED_FAILURE: WireReply = frozen({
  data: [
    { taskUUID: 'X', taskType: 'imageInference', status: 'success', imageUUID: 'a', imageURL: 'a.jpg' },
    { taskUUID: 'X', taskType: 'imageInference', status: 'error', error: { code: 'safety', message: 'Content flagged' } },
  ],
});

/**
 * An official SDK's test mock: a processing item with `progress`, for task `"u1"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { take } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { SDK_MOCK_PROGRESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "u1" is not a UUID: move the item to the task the test watches.
 * const body = { data: SDK_MOCK_PROGRESS.data?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).pipe(take(1)).subscribe((event) => events.push(event)));
 * assert.deepEqual(events.map((event) => event.status === 'processing' && event.progress), [30]);
 * ```
 */
export const SDK_MOCK_PROGRESS: WireReply = frozen({
  data: [{ status: 'processing', taskUUID: 'u1', progress: 30 }],
});

/**
 * An official SDK's test mock: an empty `data[]` next to a failed generation, for task `"u1"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { SDK_MOCK_FAILURE_WITHOUT_STATUS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "u1" is not a UUID: move the entry to the task the test watches.
 * const body = { data: [], errors: SDK_MOCK_FAILURE_WITHOUT_STATUS.errors?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).subscribe((event) => events.push(event)));
 * assert.deepEqual(events.map((event) => event.status === 'error' && event.error.message), ['Provider timed out']);
 * ```
 */
export const SDK_MOCK_FAILURE_WITHOUT_STATUS: WireReply = frozen({
  data: [],
  errors: [{ code: 'timeoutProvider', message: 'Provider timed out', taskUUID: 'u1' }],
});

// -------------------------------------------------------------------------------------
// shapes beyond the documented examples
// -------------------------------------------------------------------------------------

/** One reply shape the real service (or an older version of it) sends, and what a watch must make of it. */
export interface ReplyShape {
  /** What the shape is. */
  readonly name: string;
  /** Where it is seen or handled (Runware's docs, its official SDKs, its CLI). */
  readonly source: string;
  /** The replies to successive polls of {@link FIXTURE_TASK_UUID} (the last one repeats), as sent: `null`, legacy keys and all. */
  readonly replies: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The task's `numberResults`, when the watch must be told. */
  readonly numberResults?: number;
  /** How the watch ends: each generation's final status by index, or the code of the `RunwareApiError` it fails with. */
  readonly outcome: { readonly generations: ReadonlyArray<'success' | 'error'> } | { readonly refused: string };
}

const T = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const VIDEO = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const processingVideo = { taskType: 'videoInference', taskUUID: T, status: 'processing' };
const finishedVideo = { taskType: 'videoInference', taskUUID: T, status: 'success', videoUUID: VIDEO, videoURL: `https://im.runware.ai/video/${VIDEO}.mp4` };
const statusless = (fields: Record<string, unknown>) => ({ data: [{ taskUUID: T, ...fields }] });
const succeeded = { generations: ['success'] } as const;
const failed = { generations: ['error'] } as const;

/**
 * Reply shapes that Runware's official SDKs, its CLI and its docs show beyond the documented examples:
 * items tagged `getResponse`, error items in every form (`parameter` lists, no `code`, the legacy
 * singular `error`, `responseContent`), `null` fields, items without a task, results without `status`
 * for every async task type, and finished items whose bytes change from poll to poll. Each comes with the
 * outcome a watch of {@link FIXTURE_TASK_UUID} must reach. runware-rx's own table test feeds every one
 * through `watchTask`; feed them to code of yours that reads replies.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { toArray } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { FIXTURE_TASK_UUID, REPLY_SHAPES, replyScript } from 'runware-rx/testing';
 *
 * const shape = REPLY_SHAPES.find((candidate) => candidate.name.startsWith('status-less image'));
 * assert.ok(shape !== undefined && 'generations' in shape.outcome);
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let statuses: string[] = [];
 * scheduler.run(() => {
 *   const transport = replyScript(shape.replies, { whenExhausted: 'repeatLast' });
 *   watchTask(FIXTURE_TASK_UUID, { transport, scheduler }).pipe(toArray()).subscribe((events) => (statuses = events.map((e) => e.status)));
 * });
 * assert.deepEqual(statuses, shape.outcome.generations);
 * ```
 */
export const REPLY_SHAPES: ReadonlyArray<ReplyShape> = frozen([
  {
    name: 'getResponse-tagged items: processing, then success',
    source: "Runware's task polling page: a response's taskType echoes the request's",
    replies: [{ data: [{ ...processingVideo, taskType: 'getResponse' }] }, { data: [{ ...finishedVideo, taskType: 'getResponse' }] }],
    outcome: succeeded,
  },
  {
    name: 'getResponse-tagged failed generation in errors[]',
    source: "Runware's task polling page",
    replies: [{ errors: [{ code: 'timeoutProvider', status: 'error', message: 'Provider timed out', taskType: 'getResponse', taskUUID: T }] }],
    outcome: failed,
  },
  {
    name: 'getResponse-tagged failure without status',
    source: "Runware's task polling page; the official SDKs' test mocks (failures without status)",
    replies: [{ data: [], errors: [{ code: 'providerError', message: 'Provider failed', taskType: 'getResponse', taskUUID: T }] }],
    outcome: failed,
  },
  {
    name: 'failed generation whose parameter is a list',
    source: "Runware's TypeScript SDK (normalizeParameter), Runware's CLI tests",
    replies: [{ errors: [{ code: 'incompatibleParameters', status: 'error', message: 'width and height conflict', parameter: ['width', 'height'], taskUUID: T }] }],
    outcome: failed,
  },
  {
    name: 'failed generation without code',
    source: "Runware's TypeScript SDK tests (transport edge cases)",
    replies: [{ errors: [{ status: 'error', message: 'Something went wrong', taskUUID: T }] }],
    outcome: failed,
  },
  {
    name: 'embedded failure without code',
    source: "Runware's TypeScript SDK (two error shapes)",
    replies: [{ data: [{ taskType: 'videoInference', taskUUID: T, status: 'error', error: { message: 'Content flagged' } }] }],
    outcome: failed,
  },
  {
    name: 'legacy singular error: an object, the task beside it',
    source: "Runware's TypeScript SDK (parseApiError: pre-stream HTTP errors)",
    replies: [{ error: { code: 'providerError', message: 'Provider failed' }, taskUUID: T }],
    outcome: failed,
  },
  {
    name: 'legacy singular error: a list of items',
    source: "Runware's TypeScript SDK (websocket transport: error or errors)",
    replies: [{ error: [{ code: 'timeoutProvider', status: 'error', message: 'Provider timed out', taskUUID: T }] }],
    outcome: failed,
  },
  {
    name: 'legacy 2024 error {error: true, errorId, errorMessage}',
    source: "Runware's 2024 connection docs",
    replies: [{ error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' }],
    outcome: { refused: 'unknownError' },
  },
  {
    name: 'legacy singular error without task: a refusal',
    source: "Runware's Python SDK (raises on error or errors)",
    replies: [{ error: { code: 'invalidApiKey', message: 'Invalid API key' } }],
    outcome: { refused: 'invalidApiKey' },
  },
  {
    name: 'provider failure with responseContent and extra fields',
    source: "Runware's ComfyUI nodes (videoInference)",
    replies: [{ errors: [{ code: 'providerError', status: 'error', message: 'Provider failed', taskUUID: T, responseContent: { detail: 'quota' }, retryAfterSeconds: 30 }] }],
    outcome: failed,
  },
  {
    name: 'server-side error without task on a 200, then the result',
    source: "Runware's CLI tests (serverError without taskUUID); the TS classifier retries server codes",
    replies: [{ errors: [{ code: 'serverError', message: 'Internal error' }] }, { data: [finishedVideo] }],
    outcome: succeeded,
  },
  {
    name: 'null fields read as absent',
    source: "Runware's result schemas (string | null fields)",
    replies: [{ data: [{ ...finishedVideo, cost: null, seed: null, NSFWContent: null, videoBase64Data: null }], errors: null }],
    outcome: succeeded,
  },
  {
    name: 'an item without taskUUID is skipped',
    source: "Runware's official SDKs (items routed by taskUUID)",
    replies: [{ data: [{ status: 'processing' }, processingVideo] }, { data: [{ taskType: 'videoInference' }, finishedVideo] }],
    outcome: succeeded,
  },
  {
    name: 'status-less image with only imageBase64Data',
    source: "Runware's Python SDK tests (terminal detection)",
    replies: [statusless({ taskType: 'imageInference', imageBase64Data: 'iVBORw0KGgo=' })],
    outcome: succeeded,
  },
  {
    name: 'progress frame {taskUUID, imageUUID, progress}, then a status-less result',
    source: "Runware's Python SDK tests (a progress frame must stay non-terminal)",
    replies: [statusless({ imageUUID: 'c1f0e8a2-0b9d-4d8e-9f1a-2b3c4d5e6f70', progress: 40 }), statusless({ imageUUID: 'c1f0e8a2-0b9d-4d8e-9f1a-2b3c4d5e6f70', imageURL: 'https://im.runware.ai/image/c1.png' })],
    outcome: succeeded,
  },
  {
    name: 'processing with progress and no taskType, then a result with only a URL',
    source: "Runware's TypeScript SDK tests (REST polling)",
    replies: [{ data: [{ status: 'processing', taskUUID: T, progress: 30 }] }, { data: [{ status: 'success', taskUUID: T, imageURL: 'https://im.runware.ai/image/a.jpg' }] }],
    outcome: succeeded,
  },
  {
    name: 'status-less 3dInference result (outputs.files)',
    source: "Runware's Python SDK tests; the schema's 3dInference result",
    replies: [statusless({ taskType: '3dInference', outputs: { files: [{ uuid: '7a1e2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b', url: 'https://im.runware.ai/3d/a.glb' }] } })],
    outcome: succeeded,
  },
  {
    name: 'status-less caption (text, structuredData)',
    source: "Runware's Python SDK tests; the schema's caption result",
    replies: [statusless({ taskType: 'caption', text: 'a fox in snow', structuredData: { objects: ['fox'] } })],
    outcome: succeeded,
  },
  {
    name: 'status-less imageMasking (mask image, detections)',
    source: "Runware's Python SDK tests; the schema's imageMasking result",
    replies: [statusless({ taskType: 'imageMasking', maskImageUUID: '0d9c8b7a-6f5e-4d3c-8b2a-190817263544', maskImageURL: 'https://im.runware.ai/mask/m.png', detections: [{ x_min: 1, y_min: 2 }] })],
    outcome: succeeded,
  },
  {
    name: 'controlNetPreprocess result (guide image)',
    source: "The schema's controlNetPreprocess result",
    replies: [statusless({ taskType: 'controlNetPreprocess', guideImageUUID: '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', guideImageURL: 'https://im.runware.ai/guide/g.png', inputImageUUID: 'in' })],
    outcome: succeeded,
  },
  {
    name: 'training result (air)',
    source: "The schema's training result",
    replies: [{ data: [{ taskType: 'training', taskUUID: T, status: 'processing', progress: 10 }] }, statusless({ taskType: 'training', air: 'user:123@1' })],
    outcome: succeeded,
  },
  {
    name: 'textInference and promptEnhance results (text)',
    source: "The schema's textInference result",
    replies: [statusless({ taskType: 'textInference', text: 'Hello', finishReason: 'stop', usage: { promptTokens: 3 } })],
    outcome: succeeded,
  },
  {
    name: 'upscale result (mediaURL)',
    source: "The schema's upscale result",
    replies: [{ data: [{ taskType: 'upscale', taskUUID: T, status: 'success', mediaUUID: '2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d', mediaURL: 'https://im.runware.ai/m.png' }] }],
    outcome: succeeded,
  },
  {
    name: 'status-less audioInference result (audioURL)',
    source: "The schema's audioInference result",
    replies: [statusless({ taskType: 'audioInference', audioUUID: '3c4d5e6f-7081-4b2c-9d3e-4f5a6b7c8d9e', audioURL: 'https://im.runware.ai/a.mp3' })],
    outcome: succeeded,
  },
  {
    name: 'results keyed by resultIndex',
    source: "Runware's Python SDK (stable ids: resultIndex first)",
    numberResults: 2,
    replies: [
      { data: [{ taskUUID: T, taskType: 'imageInference', resultIndex: 1, imageURL: 'https://im.runware.ai/1.png?sig=a' }, { taskUUID: T, taskType: 'imageInference', status: 'processing' }] },
      { data: [{ taskUUID: T, taskType: 'imageInference', resultIndex: 1, imageURL: 'https://im.runware.ai/1.png?sig=b' }, { taskUUID: T, taskType: 'imageInference', resultIndex: 0, imageURL: 'https://im.runware.ai/0.png?sig=b' }] },
    ],
    outcome: { generations: ['success', 'success'] },
  },
  {
    name: 'a finished result without id whose signed URL changes between polls',
    source: "Runware's TypeScript SDK tests (results with only a URL); signed URLs",
    numberResults: 2,
    replies: [
      { data: [{ taskUUID: T, status: 'success', imageURL: 'https://im.runware.ai/a.jpg?sig=1' }, { taskUUID: T, status: 'processing' }] },
      { data: [{ taskUUID: T, status: 'success', imageURL: 'https://im.runware.ai/a.jpg?sig=2' }, { taskUUID: T, status: 'processing' }] },
      { data: [{ taskUUID: T, status: 'success', imageURL: 'https://im.runware.ai/a.jpg?sig=3' }, { taskUUID: T, status: 'success', imageURL: 'https://im.runware.ai/b.jpg?sig=3' }] },
    ],
    outcome: { generations: ['success', 'success'] },
  },
  {
    name: 'a failure whose message changes between polls',
    source: "Runware's error docs: messages may vary between models and providers",
    numberResults: 2,
    replies: [
      { data: [processingVideo], errors: [{ code: 'providerError', status: 'error', message: 'Provider failed (attempt 1)', taskUUID: T }] },
      { data: [processingVideo], errors: [{ code: 'providerError', status: 'error', message: 'Provider failed (attempt 2)', taskUUID: T }] },
      { data: [finishedVideo], errors: [{ code: 'providerError', status: 'error', message: 'Provider failed (attempt 2)', taskUUID: T }] },
    ],
    outcome: { generations: ['success', 'error'] },
  },
  {
    name: 'identical text results: two generations with the same text',
    source: "Runware's TypeScript SDK (executeRest counts success items), its Python SDK (an anonymous slot per finished item without id)",
    numberResults: 2,
    replies: [{ data: [{ taskType: 'promptEnhance', taskUUID: T, status: 'success', text: 'a fox in snow' }, { taskType: 'promptEnhance', taskUUID: T, status: 'success', text: 'a fox in snow' }] }],
    outcome: { generations: ['success', 'success'] },
  },
  {
    name: 'failure in data[] with its code and message on the item itself',
    source: "Runware's video inference docs (the failed item's fields), listed in data[] with status error",
    replies: [{ data: [{ taskType: 'videoInference', taskUUID: T, status: 'error', code: 'timeoutProvider', message: 'Provider timed out', documentation: 'https://runware.ai/docs/en/video-inference/api-reference' }] }],
    outcome: failed,
  },
  {
    name: 'unknown status "completed" with a result',
    source: "Runware's Python SDK (terminal detection: a URL or text, or status completed)",
    replies: [{ data: [{ ...processingVideo, status: 'queued' }] }, { data: [{ ...finishedVideo, status: 'completed' }] }],
    outcome: succeeded,
  },
  {
    name: 'a task the service ended: one failure, fewer generations than numberResults',
    source: "Runware's TypeScript SDK test mocks (one success, one embedded failure); the official SDKs fail the whole task there",
    numberResults: 3,
    replies: [{ data: [{ ...finishedVideo }, { taskType: 'videoInference', taskUUID: T, status: 'error', error: { code: 'safety', message: 'Content flagged' } }] }],
    outcome: { generations: ['success', 'error', 'error'] },
  },
]);
