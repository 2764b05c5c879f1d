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

/**
 * F1: the acknowledgement of an async `videoInference` submission (no `status`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, videoInference } from 'runware-rx';
 * import { F1_ASYNC_ACK, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const transport = replyScript([F1_ASYNC_ACK]);
 * const client = createRunwareClient({ transport });
 * const task = videoInference({ taskUUID: FIXTURE_TASK_UUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });
 * const ack = await firstValueFrom(client.submit(task));
 * assert.deepEqual(ack, { taskType: 'videoInference', taskUUID: FIXTURE_TASK_UUID });
 * assert.equal(transport.requests[0]?.tasks[0]?.['deliveryMethod'], 'async'); // what was sent
 * ```
 */
export const F1_ASYNC_ACK: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }],
});

/**
 * F2: a validation error sent instead of an acknowledgement, with `allowedValues`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { firstValueFrom } from 'rxjs';
 * import { createRunwareClient, RunwareApiError, videoInference } from 'runware-rx';
 * import { F2_VALIDATION_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const client = createRunwareClient({ transport: replyScript([F2_VALIDATION_ERROR]) });
 * const task = videoInference({ taskUUID: FIXTURE_TASK_UUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 10 });
 * const refused = await firstValueFrom(client.submit(task)).catch((error: unknown) => error);
 * assert.ok(refused instanceof RunwareApiError && refused.code === 'unsupportedDuration');
 * ```
 */
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

/**
 * F3: a getResponse reply while the video is processing.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { map } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask } from 'runware-rx';
 * import { F3_PROCESSING, F3_SUCCESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * scheduler.run(({ expectObservable }) => {
 *   const transport = replyScript([F3_PROCESSING, F3_PROCESSING, F3_SUCCESS]);
 *   const statuses = watchTask(FIXTURE_TASK_UUID, { transport, scheduler, jitter: 0 }).pipe(map((event) => event.status));
 *   expectObservable(statuses).toBe('1000ms p 2499ms (s|)', { p: 'processing', s: 'success' }); // polls at 1000, 2000, 3500
 * });
 * ```
 */
export const F3_PROCESSING: WireReply = frozen({
  data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1', status: 'processing' }],
});

/**
 * F3: a getResponse reply once the video is ready (with `cost`, as for `includeCost: true`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { F3_SUCCESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([F3_SUCCESS]), scheduler }).subscribe((event) => events.push(event)));
 * const [done] = events;
 * assert.ok(done?.status === 'success');
 * assert.equal(done.result.cost, 0.18); // every wire field is kept on the result
 * console.log(done.result.videoURL);
 * ```
 */
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

/**
 * F3: a getResponse reply for a failed generation, moved to `errors[]` with `status: "error"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { F3_FAILED, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([F3_FAILED]), scheduler }).subscribe((event) => events.push(event)));
 * // A failed generation is an event, not an error of the watch:
 * assert.deepEqual(events.map((event) => (event.status === 'error' ? event.error.code : event.status)), ['timeoutProvider']);
 * ```
 */
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

/**
 * F7: the authentication error (no taskUUID; routed by `taskType`).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { RunwareApiError, watchTask } from 'runware-rx';
 * import { F7_AUTH_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * const scheduler = new TestScheduler(assert.deepEqual);
 * let caught: unknown;
 * scheduler.run(() => {
 *   watchTask(FIXTURE_TASK_UUID, { transport: replyScript([F7_AUTH_ERROR]), scheduler }).subscribe({ error: (error: unknown) => (caught = error) });
 * });
 * // A request-level error ends the watch at once, without retrying:
 * assert.ok(caught instanceof RunwareApiError && caught.code === 'invalidApiKey');
 * ```
 */
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
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { F8_EMBEDDED_FAILURE, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "X" is not a UUID: move the items to the task the test watches.
 * const body = { data: F8_EMBEDDED_FAILURE.data?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => {
 *   watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).subscribe((event) => events.push(event));
 * });
 * assert.deepEqual(events.map((event) => event.status), ['success', 'error']);
 * ```
 */
export const F8_EMBEDDED_FAILURE: WireReply = frozen({
  data: [
    { taskUUID: 'X', taskType: 'imageInference', status: 'success', imageUUID: 'a', imageURL: 'a.jpg' },
    { taskUUID: 'X', taskType: 'imageInference', status: 'error', error: { code: 'safety', message: 'Content flagged' } },
  ],
});

/**
 * F8 (official SDK test mock): a processing item with `progress`, for task `"u1"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { take } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { F8_PROGRESS, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "u1" is not a UUID: move the item to the task the test watches.
 * const body = { data: F8_PROGRESS.data?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).pipe(take(1)).subscribe((event) => events.push(event)));
 * assert.deepEqual(events.map((event) => event.status === 'processing' && event.progress), [30]);
 * ```
 */
export const F8_PROGRESS: WireReply = frozen({
  data: [{ status: 'processing', taskUUID: 'u1', progress: 30 }],
});

/**
 * F8 (official SDK test mock): an empty `data[]` next to a failed generation, for task `"u1"`.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { TestScheduler } from 'rxjs/testing';
 * import { watchTask, type GenerationEvent } from 'runware-rx';
 * import { F8_EMPTY_DATA_WITH_ERROR, FIXTURE_TASK_UUID, replyScript } from 'runware-rx/testing';
 *
 * // "u1" is not a UUID: move the entry to the task the test watches.
 * const body = { data: [], errors: F8_EMPTY_DATA_WITH_ERROR.errors?.map((item) => ({ ...item, taskUUID: FIXTURE_TASK_UUID })) };
 * const scheduler = new TestScheduler(assert.deepEqual);
 * const events: GenerationEvent[] = [];
 * scheduler.run(() => watchTask(FIXTURE_TASK_UUID, { transport: replyScript([body]), scheduler }).subscribe((event) => events.push(event)));
 * assert.deepEqual(events.map((event) => event.status === 'error' && event.error.message), ['Provider timed out']);
 * ```
 */
export const F8_EMPTY_DATA_WITH_ERROR: WireReply = frozen({
  data: [],
  errors: [{ code: 'timeoutProvider', message: 'Provider timed out', taskUUID: 'u1' }],
});
