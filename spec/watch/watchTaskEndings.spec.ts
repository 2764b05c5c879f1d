/**
 * Every way a task can end (issue 21), through the public `watchTask` and client, in virtual time, on
 * replies written from Runware's official clients and docs (the source is named beside each).
 */
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createRunwareClient, imageInference, watchTask, type AttemptReport, type GenerationEvent, type WatchOptions } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, replyScript } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

/** Polls every 10 ms from 0, so the n-th reply (0-based) lands at frame 10 n. */
const FAST: WatchOptions = { initialDelay: 0, interval: 10, multiplier: 1, maxInterval: 10, jitter: 0, timeout: 60_000 };
const VIDEO = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

interface Run {
  readonly events: GenerationEvent[];
  readonly error: unknown;
  /** Virtual ms at completion, or undefined. */
  readonly completedAt: number | undefined;
  readonly attempts: AttemptReport[];
  readonly polls: number;
}

/** Watches the fixture task over `replies` (the last repeating) in virtual time. */
function watch(replies: ReadonlyArray<unknown>, options: WatchOptions = {}): Run {
  const events: GenerationEvent[] = [];
  const attempts: AttemptReport[] = [];
  let error: unknown;
  let completedAt: number | undefined;
  let polls = 0;
  const scheduler: TestScheduler = createTestScheduler();
  scheduler.run(() => {
    const transport = replyScript(replies, { whenExhausted: 'repeatLast' });
    watchTask(TASK, { ...FAST, transport, scheduler, onAttempt: (attempt) => attempts.push(attempt), ...options }).subscribe({
      next: (event) => events.push(event),
      error: (caught: unknown) => (error = caught),
      complete: () => (completedAt = scheduler.now()),
    });
    scheduler.flush();
    polls = transport.requests.length;
  });
  return { events, error, completedAt, attempts, polls };
}

const summary = (events: ReadonlyArray<GenerationEvent>): string[] =>
  events.map((event) => `${event.index}:${event.status}${event.status === 'processing' && event.progress !== undefined ? `@${event.progress}` : ''}${event.status === 'error' ? `:${event.error.code}` : ''}`);

describe('watchTask: every way a task can end', () => {
  describe('1. identical results are separate generations in a polled reply', () => {
    // Runware's TypeScript SDK (executeRest) counts `status: "success"` items against numberResults, and its
    // Python SDK gives every finished item without an id its own anonymous slot: two equal texts are two results.
    const text = { taskType: 'promptEnhance', taskUUID: TASK, status: 'success', text: 'a red fox in fresh snow, golden hour' };

    it('two byte-identical promptEnhance results complete a numberResults: 2 watch', () => {
      const run = watch([{ data: [{ taskType: 'promptEnhance', taskUUID: TASK, status: 'processing' }] }, { data: [text, text] }], { numberResults: 2 });
      expect(run.error).to.equal(undefined);
      expect(summary(run.events)).to.deep.equal(['0:processing', '0:success', '1:success']);
      expect(run.completedAt).to.equal(10);
    });

    it('recognises both on later polls: no third generation, no second terminal event', () => {
      const caption = { taskType: 'caption', taskUUID: TASK, text: 'a fox' }; // status-less caption (Python SDK tests)
      const run = watch([{ data: [caption, { taskType: 'caption', taskUUID: TASK, status: 'processing' }, { taskType: 'caption', taskUUID: TASK, status: 'processing' }] }, { data: [caption, caption, { taskType: 'caption', taskUUID: TASK, status: 'processing' }] }, { data: [caption, caption, caption] }], { numberResults: 3 });
      expect(summary(run.events)).to.deep.equal(['0:success', '1:processing', '2:processing', '1:success', '2:success']);
      expect(run.completedAt).to.equal(20);
    });
  });

  describe('2. a failed item keeps its own words', () => {
    it('reads code, message and documentation from a data[] item with status "error" and no nested error', () => {
      // The failed-generation item of Runware's video inference docs (F3), listed in data[] rather than errors[].
      const item = {
        taskType: 'videoInference',
        taskUUID: TASK,
        status: 'error',
        code: 'timeoutProvider',
        message: 'The external provider did not respond within the timeout window. The request was automatically terminated.',
        documentation: 'https://runware.ai/docs/en/video-inference/api-reference',
      };
      const [event] = watch([{ data: [item] }]).events;
      expect(event?.status === 'error' && event.error).to.include({ code: 'timeoutProvider', message: item.message, documentation: item.documentation });
    });

    it('still prefers the nested error of the TypeScript SDK shape', () => {
      // Runware's TypeScript SDK tests (ws-async-polling): {status: "error", error: {code, message}}.
      const [event] = watch([{ data: [{ taskUUID: TASK, taskType: 'imageInference', status: 'error', code: 'outer', error: { code: 'safety', message: 'Content flagged' } }] }]).events;
      expect(event?.status === 'error' && event.error).to.include({ code: 'safety', message: 'Content flagged' });
    });
  });

  describe('4. a status we do not know', () => {
    it('reads "completed" with a videoURL as a success and says so in the attempt report', () => {
      // Runware's Python SDK (_is_terminal): an item with a URL or text, or status "completed", is finished.
      const run = watch([{ data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'completed', videoUUID: VIDEO, videoURL: `https://im.runware.ai/video/${VIDEO}.mp4` }] }]);
      expect(summary(run.events)).to.deep.equal(['0:success']);
      expect(run.completedAt).to.equal(0);
      expect(run.attempts.map((attempt) => attempt.unknownStatuses)).to.deep.equal([['completed']]);
    });

    it('keeps an unknown status without a result processing, and reports it', () => {
      const rendering = { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'rendering' }] };
      // The same reply three times (as a task still running answers): each poll reports it, not only the first.
      const run = watch([rendering, structuredClone(rendering), structuredClone(rendering), { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: 'https://im.runware.ai/v.mp4' }] }]);
      expect(summary(run.events)).to.deep.equal(['0:processing', '0:success']);
      expect(run.attempts.map((attempt) => attempt.unknownStatuses)).to.deep.equal([['rendering'], ['rendering'], ['rendering'], undefined]);
    });
  });

  describe('6. a task the service has ended', () => {
    // Runware's TypeScript SDK test mock (F8): one success and one embedded failure; the official SDKs fail
    // the whole task there, so a service that stops it may never list the third generation.
    const F8 = { data: [{ taskUUID: TASK, taskType: 'imageInference', status: 'success', imageUUID: 'a', imageURL: 'a.jpg' }, { taskUUID: TASK, taskType: 'imageInference', status: 'error', error: { code: 'safety', message: 'Content flagged' } }] };

    it('fails every generation never listed with the task failure after two such replies in a row, and completes', () => {
      const run = watch([F8], { numberResults: 3 });
      expect(run.error).to.equal(undefined);
      expect(summary(run.events)).to.deep.equal(['0:success', '1:error:safety', '2:error:safety']);
      const inferred = run.events[2];
      expect(inferred?.status === 'error' && inferred.error).to.deep.include({ code: 'safety', message: 'Content flagged', inferred: 'taskEnded' });
      expect(run.completedAt).to.equal(10);
      expect(run.polls).to.equal(2);
    });

    it('does the same for a failure in errors[] alone (the documented shape, F3) that lists one of two generations', () => {
      const failed = { errors: [{ code: 'timeoutProvider', status: 'error', message: 'The external provider did not respond within the timeout window. The request was automatically terminated.', documentation: 'https://runware.ai/docs/en/video-inference/api-reference', taskUUID: TASK }] };
      const run = watch([{ data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'processing' }, { taskType: 'videoInference', taskUUID: TASK, status: 'processing' }] }, failed], { numberResults: 2 });
      expect(summary(run.events)).to.deep.equal(['0:processing', '1:processing', '0:error:timeoutProvider', '1:error:timeoutProvider']);
      expect(run.completedAt).to.equal(20);
    });

    it('waits on when the next reply lists a generation processing (a task still starting its generations)', () => {
      const run = watch([F8, { data: [...F8.data, { taskUUID: TASK, taskType: 'imageInference', status: 'processing' }] }, { data: [...F8.data, { taskUUID: TASK, taskType: 'imageInference', status: 'success', imageUUID: 'c', imageURL: 'c.jpg' }] }], { numberResults: 3 });
      expect(summary(run.events)).to.deep.equal(['0:success', '1:error:safety', '2:processing', '2:success']);
      expect(run.completedAt).to.equal(20);
    });

    it('failFast: ends at the first failure, every generation not finished failing with it (the official SDKs)', () => {
      const run = watch([{ data: [{ taskUUID: TASK, taskType: 'imageInference', status: 'processing' }, F8.data[1]] }], { numberResults: 3, failFast: true });
      expect(summary(run.events)).to.deep.equal(['0:processing', '1:error:safety', '0:error:safety', '2:error:safety']);
      expect(run.events.slice(2).map((event) => event.status === 'error' && event.error['inferred'])).to.deep.equal(['failFast', 'failFast']);
      expect(run.completedAt).to.equal(0);
    });
  });

  describe('7. progress, opt-in', () => {
    // Runware's Python SDK tests (test_rest_polling: on_progress per progress update, 25 then 75) and its
    // TypeScript SDK tests (REST polling: a processing item with progress and no taskType).
    const at = (progress: number) => ({ data: [{ taskUUID: TASK, status: 'processing', progress }] });
    const done = { data: [{ taskUUID: TASK, taskType: 'imageInference', status: 'success', imageUUID: 'i1', imageURL: 'https://im.runware.ai/i1.png' }] };

    it('emits a processing event each time progress changes with progress: true', () => {
      const run = watch([at(25), at(25), at(75), done], { progress: true });
      expect(summary(run.events)).to.deep.equal(['0:processing@25', '0:processing@75', '0:success']);
    });

    it('without it the stream is one event per status change, as before', () => {
      const run = watch([at(25), at(25), at(75), done]);
      expect(summary(run.events)).to.deep.equal(['0:processing@25', '0:success']);
    });

    it('follows each generation by its position among the processing items', () => {
      const two = (a: number, b: number) => ({ data: [{ taskUUID: TASK, status: 'processing', progress: a }, { taskUUID: TASK, status: 'processing', progress: b }] });
      const run = watch([two(10, 20), two(10, 60), { data: [done.data[0], { taskUUID: TASK, status: 'processing', progress: 90 }] }, { data: [done.data[0], { ...done.data[0], imageUUID: 'i2' }] }], { progress: true, numberResults: 2 });
      expect(summary(run.events)).to.deep.equal(['0:processing@10', '1:processing@20', '1:processing@60', '0:success', '1:processing@90', '1:success']);
    });

    it('marble: each progress step lands on the frame of the reply that shows it', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const transport = replyScript([at(25), at(75), done], { whenExhausted: 'repeatLast' });
        const events = watchTask(TASK, { ...FAST, transport, progress: true });
        const processing = (progress: number) => ({ status: 'processing', taskUUID: TASK, taskType: '', index: 0, progress });
        expectObservable(events).toBe('a 9ms b 9ms (c|)', { a: processing(25), b: processing(75), c: { status: 'success', taskUUID: TASK, taskType: 'imageInference', index: 0, result: done.data[0] } });
      });
    });
  });
});

describe('client.run: 5. a result already in the submit reply', () => {
  // Runware's Python SDK (_poll_rest ingests the submit reply before polling; over WebSocket "the first
  // frame doubles as ACK", and any data the server returned in it is ingested too).
  const result = (taskUUID: string) => ({ taskType: 'imageInference', taskUUID, status: 'success', imageUUID: 'c1f0e8a2-0b9d-4d8e-9f1a-2b3c4d5e6f70', imageURL: 'https://im.runware.ai/image/c1.png' });

  it('emits it at once and never polls when it is every result the task has', async () => {
    const transport = replyScript([{ data: [result(TASK)] }]);
    const client = createRunwareClient({ transport, initialDelay: 0 });
    const events = await lastValueFrom(client.run(imageInference({ taskUUID: TASK, model: 'runware:101@1', positivePrompt: 'a fox' })).pipe(toArray()));
    expect(summary(events)).to.deep.equal(['0:success']);
    expect(transport.requests.map((request) => request.tasks[0]?.['taskType'])).to.deep.equal(['imageInference']);
  });

  it('does not emit it again when getResponse lists it, nor depend on getResponse listing it', async () => {
    const processing = { taskType: 'imageInference', taskUUID: TASK, status: 'processing' };
    const second = { ...result(TASK), imageUUID: '0d9c8b7a-6f5e-4d3c-8b2a-190817263544', imageURL: 'https://im.runware.ai/image/0d.png' };
    const transport = replyScript([{ data: [result(TASK)] }, { data: [processing] }, { data: [second] }]);
    const client = createRunwareClient({ transport, initialDelay: 0, interval: 1, jitter: 0 });
    const events = await lastValueFrom(client.run(imageInference({ taskUUID: TASK, model: 'runware:101@1', positivePrompt: 'a fox', numberResults: 2 })).pipe(toArray()));
    expect(summary(events)).to.deep.equal(['0:success', '1:processing', '1:success']);
  });

  it('a plain ack (F1: no status) emits nothing before the first poll, as before', async () => {
    const transport = replyScript([{ data: [{ taskType: 'imageInference', taskUUID: TASK }] }, { data: [result(TASK)] }]);
    const client = createRunwareClient({ transport, initialDelay: 0 });
    const events = await lastValueFrom(client.run(imageInference({ taskUUID: TASK, model: 'runware:101@1', positivePrompt: 'a fox' })).pipe(toArray()));
    expect(summary(events)).to.deep.equal(['0:success']);
    expect(transport.requests).to.have.length(2);
  });
});
