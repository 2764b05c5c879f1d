import { expect } from 'chai';
import { asyncScheduler, map, type Observable } from 'rxjs';
import type { GenerationEvent } from '../../src/index.js';
import { RunwareApiError } from '../../src/index.js';
import { createTaskStreams, encodeMessage, type TaskStreamMessage } from '../../src/server/sseTaskEvents.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
const processing = (progress: number): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0, progress });
const success: GenerationEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoURL: 'https://example.com/v.mp4' } };

describe('createTaskStreams', () => {
  /** Each message as `id event`, for compact marbles. */
  const label = (source: Observable<TaskStreamMessage>): Observable<string> => source.pipe(map((message) => `${message.id} ${message.event}`));

  it('numbers the messages, ends with `end`, and shares one server watch between browsers (late ones get the replay)', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const watch = cold<GenerationEvent>('--a--b------(c|)', { a: processing(10), b: processing(50), c: success });
      const epoch = Math.floor(0.5 * 2 ** 32).toString(36);
      const values = { a: `${epoch}.1 generation`, b: `${epoch}.2 generation`, c: `${epoch}.3 generation`, e: `${epoch}.4 end` };
      const shared = createTaskStreams({ watch: () => watch, linger: 100, scheduler: asyncScheduler, random: () => 0.5 });
      expectObservable(label(shared(TASK, 2, undefined))).toBe('--a--b------(ce|)', values);
      // A second browser at frame 6 sees the first two at once, then the rest live.
      expectObservable(label(shared(TASK.toUpperCase(), 2, undefined)), '------^').toBe('------(ab)--(ce|)', values);
      expectSubscriptions(watch.subscriptions).toBe('^-----------!');
    });
  });
});

describe('createTaskStreams: resume and linger', () => {
  it('sends only what a reconnecting browser missed within the same epoch, and everything for another epoch', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const watch = cold<GenerationEvent>('-a-b-(c|)', { a: processing(10), b: processing(50), c: success });
      const streams = createTaskStreams({ watch: () => watch, linger: 50, scheduler: asyncScheduler, random: () => 0.5 });
      const epoch = Math.floor(0.5 * 2 ** 32).toString(36);
      const values = { a: `${epoch}.1 generation`, b: `${epoch}.2 generation`, c: `${epoch}.3 generation`, e: `${epoch}.4 end` };
      const label = (source: Observable<TaskStreamMessage>): Observable<string> => source.pipe(map((message) => `${message.id} ${message.event}`));
      expectObservable(label(streams(TASK, undefined, undefined)), '^--!').toBe('-a-', values);
      // Reconnects at frame 4 having seen message 1: gets 2 (kept while lingering) and then the rest.
      expectObservable(label(streams(TASK, undefined, `${epoch}.1`)), '----^').toBe('----b(ce|)', values);
      // A browser from another server watch (an unknown epoch) gets everything.
      expectObservable(label(streams(TASK, undefined, 'zzz.9')), '------^').toBe('------(abce|)', values);
    });
  });

  it('drops a finished task after the linger: a later browser starts a new server watch', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const watch = cold<GenerationEvent>('-(c|)', { c: success });
      let draws = 0;
      const streams = createTaskStreams({ watch: () => watch, linger: 10, scheduler: asyncScheduler, random: () => (draws += 1) / 10 });
      const first = Math.floor(0.1 * 2 ** 32).toString(36);
      const second = Math.floor(0.2 * 2 ** 32).toString(36);
      const label = (source: Observable<TaskStreamMessage>): Observable<string> => source.pipe(map((message) => `${message.id} ${message.event}`));
      const values = { a: `${first}.1 generation`, b: `${first}.2 end`, c: `${second}.1 generation`, d: `${second}.2 end` };
      expectObservable(label(streams(TASK, undefined, undefined))).toBe('-(ab|)', values);
      expectObservable(label(streams(TASK, undefined, undefined)), '-----^').toBe('-----(ab|)', values);
      expectObservable(label(streams(TASK, undefined, undefined)), '-- 20ms ^').toBe('-- 20ms -(cd|)', values);
      expectSubscriptions(watch.subscriptions).toBe(['^!', '-- 20ms ^!']);
    });
  });

  it('ends with a `failure` message that names no key when the server watch fails', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const refused = new RunwareApiError({ code: 'invalidApiKey', status: 401, serverMessage: 'key sk-123 is invalid' });
      const watch = cold<GenerationEvent>('-#', undefined, refused);
      const streams = createTaskStreams({ watch: () => watch, linger: 10, scheduler: asyncScheduler, random: () => 0.5 });
      expectObservable(streams(TASK, undefined, undefined).pipe(map((message) => [message.event, message.data]))).toBe('-(f|)', {
        f: ['failure', { code: 'upstreamAuth', message: 'The server could not use Runware.', retryable: false }],
      });
    });
  });
});

describe('createTaskStreams: abandoned watches and limits', () => {
  it("stops an abandoned task's server watch abandonAfter ms after its last browser left, however long the linger", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const watch = cold<GenerationEvent>('-a------', { a: processing(10) });
      const streams = createTaskStreams({ watch: () => watch, linger: 60_000, abandonAfter: 3, scheduler: asyncScheduler, random: () => 0.5 });
      expectObservable(streams(TASK, 1, undefined).pipe(map((message) => message.event)), '^--!').toBe('-g-', { g: 'generation' });
      expectSubscriptions(watch.subscriptions).toBe('^-----!');
    });
  });

  it('shares one watch whatever numberResults the browsers ask (the first one is the watch), and counts open streams per task and in total', () => {
    const admitted: unknown[] = [];
    const asked: (number | undefined)[] = [];
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const watch = cold<GenerationEvent>('-a------', { a: processing(10) });
      const other = '1b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
      const streams = createTaskStreams({ watch: (_task, numberResults) => (asked.push(numberResults), watch), linger: 10, abandonAfter: 0, maxStreams: 3, maxStreamsPerTask: 2, scheduler: asyncScheduler, random: () => 0.5 });
      const events = (taskUUID: string, numberResults: number): Observable<string> => streams(taskUUID, numberResults, undefined).pipe(map((message) => message.event));
      expectObservable(events(TASK, 1), '^----!').toBe('-g---', { g: 'generation' });
      expectObservable(events(TASK, 4), '^----!').toBe('-g---', { g: 'generation' });
      // A third stream of the task, subscribed past the limit, gets one failure and ends.
      expectObservable(events(TASK, 2), '-^').toBe('-(f|)', { f: 'failure' });
      expectObservable(events(other, 1), '^----!').toBe('-g---', { g: 'generation' });
      expectObservable(events(other, 1), '--^--!').toBe('--(f|)', { f: 'failure' });
      expectSubscriptions(watch.subscriptions).toBe(['^----!', '^----!']);
      asyncScheduler.schedule(() => admitted.push(streams.admit(TASK.toUpperCase()), streams.admit(other)), 3);
      asyncScheduler.schedule(() => admitted.push(streams.admit(TASK)), 6);
    });
    expect(asked).to.deep.equal([1, 1]);
    expect(admitted).to.deep.equal(['tooManyTaskStreams', 'tooManyStreams', undefined]);
  });
});

describe('encodeMessage', () => {
  it('writes id, event and one data line', () => {
    expect(encodeMessage({ id: 'a.1', event: 'generation', data: { text: 'two\nlines' } })).to.equal('id: a.1\nevent: generation\ndata: {"text":"two\\nlines"}\n\n');
  });
});
