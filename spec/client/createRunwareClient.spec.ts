import { inspect } from 'node:util';
import { expect } from 'chai';
import { concat, merge, NEVER, type Observable, toArray } from 'rxjs';
import { cadenceKey, createCadence, createPushSource, createRunwareClient, RunwareApiError, RunwareHttpError, videoInference, type PushSource, type RunwareClientOptions } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { respondingTransport } from '../../src/testing/index.js';

const A = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const B = '5f0c3a8e-1d2b-4c6f-9a7e-3b8d2e1f0a9c';
const processingOf = (taskUUID: string) => ({ taskType: 'videoInference', taskUUID, status: 'processing' });
const successOf = (taskUUID: string, n = 0) => ({ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `b7db282d-2943-4f12-992f-77df3ad3ec7${n}`, videoURL: `https://x/${n}.mp4` });
const video = videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });

describe('createRunwareClient', () => {
  describe('watchTask', () => {
    it('has the semantics of watchTask, with per-call options over client defaults', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const replies = [{ data: [processingOf(A)] }, { data: [successOf(A)] }];
        let call = 0;
        const client = createRunwareClient({ transport: () => cold('-r|', { r: replies[call++] }), scheduler, initialDelay: 100, interval: 10, jitter: 0 });
        expectObservable(client.watchTask(A, { initialDelay: 0 })).toBe('-a 10ms (b|)', {
          a: { status: 'processing', taskUUID: A, taskType: 'videoInference', index: 0 },
          b: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) },
        });
      });
    });

    it('throws at call for a taskUUID that is not a UUID and at creation for a bad option', () => {
      const client = createRunwareClient({ transport: () => [] as never });
      expect(() => client.watchTask('nope')).to.throw(TypeError, /client.watchTask: taskUUID must be a UUID/);
      expect(() => createRunwareClient({ transport: () => [] as never, interval: -1 })).to.throw(RangeError, /interval/);
      expect(() => createRunwareClient({ transport: () => [] as never, submitRetries: -1 })).to.throw(RangeError, /submitRetries/);
      expect(() => createRunwareClient({ transport: () => [] as never, concurrency: 0 })).to.throw(RangeError, /concurrency/);
      expect(() => createRunwareClient({ transport: () => [] as never, batch: 'yes' as never })).to.throw(TypeError, /batch/);
      expect(() => createRunwareClient({ transport: () => [] as never, batch: { window: -5 } })).to.throw(RangeError, /batch.window/);
      expect(() => createRunwareClient({ apiKey: '', baseUrl: 'http://127.0.0.1:9/v1' })).to.throw(TypeError, /no API key/);
    });
  });

  describe('run', () => {
    it('submits, then watches with numberResults from the task and the video defaults (first poll 3 s after the ack, then 1 s)', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const polls = [{ data: [processingOf(A), processingOf(A)] }, { data: [successOf(A, 0), successOf(A, 1)] }];
        let poll = 0;
        const transport = respondingTransport(
          (tasks) => cold('-r|', { r: tasks[0]?.['taskType'] === 'getResponse' ? polls[poll++] : { data: [{ taskType: 'videoInference', taskUUID: A }] } }),
        );
        const client = createRunwareClient({ transport, scheduler, jitter: 0, uuid: () => A });
        const events = {
          a: { status: 'processing', taskUUID: A, taskType: 'videoInference', index: 0 },
          b: { status: 'processing', taskUUID: A, taskType: 'videoInference', index: 1 },
          c: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A, 0) },
          d: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 1, result: successOf(A, 1) },
        };
        expectObservable(client.run({ ...video, numberResults: 2 })).toBe('3002ms (ab) 997ms (cd|)', events);
        scheduler.flush();
        expect(transport.requests.map((c) => [c.at, c.tasks[0]?.['taskType']])).to.deep.equal([
          [0, 'videoInference'],
          [3001, 'getResponse'],
          [4002, 'getResponse'],
        ]);
      });
    });

    it('sends no poll when the submit is refused', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const refusal = { code: 'unsupportedDuration', message: 'no', parameter: 'duration', taskUUID: A };
        const transport = respondingTransport(() => cold('-r|', { r: { errors: [refusal] } }));
        const client = createRunwareClient({ transport, scheduler, uuid: () => A });
        expectObservable(client.run(video)).toBe('-#', undefined, new RunwareApiError({ code: 'unsupportedDuration', serverMessage: 'no', status: 200, taskUUID: A }));
        scheduler.flush();
        expect(transport.requests).to.have.length(1);
      });
    });
    it('aborts the submit when unsubscribed before the ack, and stops the watch when unsubscribed after it', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const ack = cold('---r|', { r: { data: [{ taskType: 'videoInference', taskUUID: A }] } });
        const poll = cold('-----r|', { r: { data: [processingOf(A)] } });
        const client = createRunwareClient({ transport: (tasks) => (tasks[0]?.['taskType'] === 'getResponse' ? poll : ack), scheduler, jitter: 0, uuid: () => A });
        expectObservable(client.run(video), '^-!').toBe('');
        expectObservable(client.run(video), '100ms ^ 3004ms !').toBe('');
        expectSubscriptions(ack.subscriptions).toBe(['^-!', '100ms ^--!']);
        // The second run's ack is in at 103; its first poll goes out 3 s later and is cut off two frames in.
        expectSubscriptions(poll.subscriptions).toBe('3103ms ^-!');
      });
    });

    it("keeps each run's own numberResults though its watch shares its task type's settings with others", () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const uuids = [A, B];
        const client = createRunwareClient({
          scheduler,
          jitter: 0,
          uuid: () => uuids.shift() ?? A,
          transport: (tasks) => {
            const taskUUID = String(tasks[0]?.['taskUUID']);
            if (tasks[0]?.['taskType'] !== 'getResponse') return cold('-r|', { r: { data: [{ taskType: 'videoInference', taskUUID }] } });
            return cold('-r|', { r: { data: [successOf(taskUUID)] } });
          },
        });
        const success = (taskUUID: string) => ({ status: 'success', taskUUID, taskType: 'videoInference', index: 0, result: successOf(taskUUID) });
        // One success ends the one-result task; the two-result task keeps polling (3 s, then 1 s growing) for its second.
        expectObservable(client.run({ ...video, numberResults: 1 })).toBe('3002ms (s|)', { s: success(A) });
        expectObservable(client.run({ ...video, numberResults: 2 }), '^ 30000ms !').toBe('3002ms s', { s: success(B) });
      });
    });

    it('applies per-call options to that run only: the next run without options keeps the video defaults', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold }) => {
        const transport = respondingTransport(
          (tasks) => cold('-r|', { r: tasks[0]?.['taskType'] === 'getResponse' ? { data: [successOf(String(tasks[0]['taskUUID']))] } : { data: [{ taskType: 'videoInference', taskUUID: tasks[0]?.['taskUUID'] }] } }),
        );
        const uuids = [A, B];
        const client = createRunwareClient({ transport, scheduler, jitter: 0, uuid: () => uuids.shift() ?? A });
        client.run(video, { initialDelay: 50 }).subscribe();
        client.run(video).subscribe();
        scheduler.flush();
        expect(transport.requests.filter((c) => c.tasks[0]?.['taskType'] === 'getResponse').map((c) => [c.at, c.tasks[0]?.['taskUUID']])).to.deep.equal([
          [51, A],
          [3001, B],
        ]);
      });
    });
  });

  describe('getResponse', () => {
    it('emits one snapshot of the reconciled generations and completes', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const failure = { code: 'timeoutProvider', status: 'error', message: 'late', taskUUID: A };
        const client = createRunwareClient({ transport: () => cold('-r|', { r: { data: [processingOf(A), successOf(A)], errors: [failure] } }), scheduler });
        expectObservable(client.getResponse(A)).toBe('-(s|)', {
          s: {
            taskUUID: A,
            taskType: 'videoInference',
            generations: [
              { status: 'processing', taskUUID: A, taskType: 'videoInference', index: 0 },
              { status: 'success', taskUUID: A, taskType: 'videoInference', index: 1, result: successOf(A) },
              { status: 'error', taskUUID: A, taskType: 'videoInference', index: 2, error: failure },
            ],
          },
        });
      });
    });

    it('errors with RunwareApiError for a request-level error in the reply', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const client = createRunwareClient({ transport: () => cold('-r|', { r: { errors: [{ code: 'taskNotFound', message: 'gone', taskUUID: A }] } }), scheduler });
        expectObservable(client.getResponse(A)).toBe('-#', undefined, new RunwareApiError({ code: 'taskNotFound', serverMessage: 'gone', status: 200, taskUUID: A }));
      });
    });
  });

  describe('batch', () => {
    it("sends the polls of the client's watches in one request and gives each watch its own items", () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const transport = respondingTransport(() => cold('-r|', { r: { data: [successOf(A), processingOf(B)] } }));
        const client = createRunwareClient({ transport, scheduler, batch: { window: 10 }, initialDelay: 0, jitter: 0 });
        expectObservable(client.watchTask(A)).toBe('-----------(a|)', { a: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) } });
        expectObservable(client.watchTask(B), '^-----------------!').toBe('-----------b', { b: { status: 'processing', taskUUID: B, taskType: 'videoInference', index: 0 } });
        scheduler.flush();
        expect(transport.requests.map((c) => [c.at, c.tasks.map((task) => task['taskUUID'])])).to.deep.equal([[10, [A, B]]]);
      });
    });

    it('treats a failed batch as a transient failure of each watch in it: both retry and finish', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const failure = new RunwareHttpError({ failure: 'status', status: 503 });
        const replies = [cold('-#', undefined, failure), cold('-r|', { r: { data: [successOf(A), successOf(B)] } })];
        let call = 0;
        const transport = respondingTransport(() => replies[call++] as Observable<unknown>);
        const client = createRunwareClient({ transport, scheduler, batch: { window: 10 }, initialDelay: 0, interval: 20, jitter: 0 });
        // Batch 1 goes out at 10 and fails at 11; both watches wait 20, poll at 31, batch 2 goes out at 41.
        expectObservable(client.watchTask(A)).toBe('42ms (a|)', { a: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) } });
        expectObservable(client.watchTask(B)).toBe('42ms (b|)', { b: { status: 'success', taskUUID: B, taskType: 'videoInference', index: 0, result: successOf(B) } });
        scheduler.flush();
        expect(transport.requests.map((c) => [c.at, c.tasks.map((task) => task['taskUUID'])])).to.deep.equal([
          [10, [A, B]],
          [41, [A, B]],
        ]);
      });
    });

    it('fails only the task a request-level error names', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const body = { data: [successOf(B)], errors: [{ code: 'taskNotFound', message: 'gone', taskUUID: A }] };
        const client = createRunwareClient({ transport: () => cold('-r|', { r: body }), scheduler, batch: { window: 10 }, initialDelay: 0 });
        expectObservable(client.watchTask(A)).toBe('-----------#', undefined, new RunwareApiError({ code: 'taskNotFound', serverMessage: 'gone', status: 200, taskUUID: A }));
        expectObservable(client.watchTask(B)).toBe('-----------(b|)', { b: { status: 'success', taskUUID: B, taskType: 'videoInference', index: 0, result: successOf(B) } });
      });
    });
  });

  describe('concurrency', () => {
    it('holds requests beyond the limit until one in flight ends', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const transport = respondingTransport((tasks) => cold('---r|', { r: { data: [successOf(String(tasks[0]?.['taskUUID']))] } }));
        const client = createRunwareClient({ transport, scheduler, concurrency: 1 });
        const taskUUIDs = merge(client.getResponse(A), client.getResponse(B));
        expectObservable(taskUUIDs.pipe(toArray())).toBe('------(x|)', { x: [{ taskUUID: A, taskType: 'videoInference', generations: [{ status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) }] }, { taskUUID: B, taskType: 'videoInference', generations: [{ status: 'success', taskUUID: B, taskType: 'videoInference', index: 0, result: successOf(B) }] }] });
        scheduler.flush();
        expect(transport.requests.map((c) => c.at)).to.deep.equal([0, 3]);
      });
    });
  });

  describe('the API key', () => {
    it('appears in no serialisation of the client', () => {
      const apiKey = 'sk-secret-0f9e8d7c6b5a';
      const client = createRunwareClient({ apiKey, baseUrl: 'http://127.0.0.1:9/v1' });
      expect(JSON.stringify(client)).to.not.include(apiKey);
      expect(String(client)).to.not.include(apiKey);
      expect(inspect(client, { showHidden: true, depth: Infinity, getters: true })).to.not.include(apiKey);
      expect(Object.keys(client).sort()).to.deep.equal(['getResponse', 'resume', 'run', 'submit', 'watchTask']);
    });
  });

  describe('cadence', () => {
    /** A client whose videos finish 45 s after their submit; records the frame of every poll per task. */
    function videoService(options: Omit<RunwareClientOptions, 'transport'>) {
      const scheduler = createTestScheduler();
      const submittedAt = new Map<string, number>();
      const polls = new Map<string, number[]>();
      const uuids = [A, B];
      const client = createRunwareClient({
        scheduler,
        jitter: 0,
        uuid: () => uuids.shift() ?? A,
        ...options,
        transport: (tasks) => {
          const taskUUID = String(tasks[0]?.['taskUUID']);
          if (tasks[0]?.['taskType'] !== 'getResponse') {
            submittedAt.set(taskUUID, scheduler.now());
            return scheduler.createColdObservable('(r|)', { r: { data: [{ taskType: 'videoInference', taskUUID }] } });
          }
          polls.set(taskUUID, [...(polls.get(taskUUID) ?? []), scheduler.now()]);
          const done = scheduler.now() - (submittedAt.get(taskUUID) ?? 0) >= 45_000;
          return scheduler.createColdObservable('(r|)', { r: { data: [done ? successOf(taskUUID) : processingOf(taskUUID)] } });
        },
      });
      return { scheduler, client, polls };
    }

    it("run learns into the client's own store: the next video of the same kind is polled fewer times", () => {
      const { scheduler, client, polls } = videoService({});
      scheduler.run(() => concat(client.run(video), client.run(video)).subscribe());
      // The first video: the video defaults' backoff (3 s, then 1 s growing x2.2 to 7.5 s), seen 3.5 s late.
      expect(polls.get(A)).to.deep.equal([3000, 4000, 6200, 11_040, 18_540, 26_040, 33_540, 41_040, 48_540]);
      // The second starts at 48.5 s and knows only that the first finished between 41 and 48.5 s. A key
      // that young gets no gap longer than the backoff's 7.5 s, and the polls close in on what it
      // learned: eight polls instead of nine, 0.45 s late instead of 3.5 s.
      const second = (polls.get(B) ?? []).map((frame) => frame - 48_540);
      expect(second).to.deep.equal([7500, 15_000, 22_500, 30_000, 37_500, 42_642, 44_148, 45_450]);
    });

    it('uses a store passed to the client under the key of the task, and nothing with cadence: false', () => {
      const store = createCadence();
      const shared = videoService({ cadence: { store } });
      shared.scheduler.run(() => shared.client.run(video).subscribe());
      expect(cadenceKey(video)).to.equal('videoInference|klingai:5@3|5s');
      expect(store.summary(cadenceKey(video))?.observations).to.equal(1);

      const off = videoService({ cadence: false });
      off.scheduler.run(() => concat(off.client.run(video), off.client.run(video)).subscribe());
      expect((off.polls.get(B) ?? []).map((frame) => frame - 48_540)).to.deep.equal(off.polls.get(A));

      const perCall = videoService({ cadence: { store } });
      perCall.scheduler.run(() => perCall.client.run(video, { cadence: false }).subscribe());
      expect(store.summary(cadenceKey(video))?.observations).to.equal(1);
    });

    it('watchTask of a task of unknown kind and age learns nothing; with cadence: { key } it learns and plans', () => {
      const store = createCadence();
      const { scheduler, client } = videoService({ cadence: { store }, initialDelay: 20_000, interval: 5_000 });
      scheduler.run(() => {
        client.watchTask(A).subscribe();
        scheduler.schedule(() => client.watchTask(B, { cadence: { key: 'videoInference|klingai:5@3|5s' } }).subscribe(), 0);
      });
      expect(store.summary('videoInference|klingai:5@3|5s')?.observations).to.equal(1);
      expect(store.snapshot().keys).to.have.all.keys('videoInference|klingai:5@3|5s');
    });
  });

  describe('push', () => {
    it('submits with push.urlFor(taskUUID) as webhookURL and takes the pushed result: no poll at all when the push comes first', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const transport = respondingTransport(() => cold('-r|', { r: { data: [{ taskType: 'videoInference', taskUUID: A }] } }));
        const pushed = cold('50ms a', { a: successOf(A) });
        const push: PushSource = createPushSource({ urlFor: (taskUUID) => `https://app.example.com/hook?task=${taskUUID}`, watch: (taskUUID) => (taskUUID === A ? pushed : NEVER) });
        const client = createRunwareClient({ transport, scheduler, uuid: () => A, push });
        const success = { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) };
        expectObservable(client.run(video)).toBe('51ms (s|)', { s: success });
        expectSubscriptions(pushed.subscriptions).toBe('1ms ^ 49ms !');
        scheduler.flush();
        expect(transport.requests.map((c) => c.tasks[0])).to.deep.equal([{ ...video, taskUUID: A, deliveryMethod: 'async', webhookURL: `https://app.example.com/hook?task=${A}` }]);
      });
    });

    it('keeps a webhookURL the task brings, and polls first after push.pollDelay', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold }) => {
        const transport = respondingTransport((tasks) =>
          cold('-r|', { r: tasks[0]?.['taskType'] === 'getResponse' ? { data: [successOf(A)] } : { data: [{ taskType: 'videoInference', taskUUID: A }] } }),
        );
        const push: PushSource = createPushSource({ urlFor: () => 'https://app.example.com/other', watch: () => NEVER });
        const client = createRunwareClient({ transport, scheduler, uuid: () => A, push: { source: push, pollDelay: 500 } });
        client.run({ ...video, webhookURL: 'https://mine.example.com/hook' }).subscribe();
        scheduler.flush();
        expect(transport.requests.map((c) => [c.at, c.tasks[0]?.['webhookURL'] ?? c.tasks[0]?.['taskType']])).to.deep.equal([
          [0, 'https://mine.example.com/hook'],
          [501, 'getResponse'],
        ]);
      });
    });
  });
});
