/**
 * `client.resume()` and `client.run` through a task store, in virtual time: the memory store answers
 * synchronously, so every frame below is exact.
 */
import { expect } from 'chai';
import { firstValueFrom, NEVER, type Observable, type SchedulerLike } from 'rxjs';
import { cadenceKey, createCadence, createMemoryTaskStore, createPushSource, createRunwareClient, requestFingerprint, RunwareApiError, RunwareValidationError, videoInference, type PushSource, type DeliveredEvent, type ScheduledPoll, type StoredTask, type TaskRecord, type TaskStore } from '../../src/index.js';
import { respondingTransport } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const B = '5f0c3a8e-1d2b-4c6f-9a7e-3b8d2e1f0a9c';
const processingOf = (taskUUID: string) => ({ taskType: 'videoInference', taskUUID, status: 'processing' });
const successOf = (taskUUID: string, n = 0) => ({ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `b7db282d-2943-4f12-992f-77df3ad3ec7${n}`, videoURL: `https://x/${n}.mp4` });
const video = videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5 });
const KEY = cadenceKey(video);

const read = <T>(answer: Promise<T> | Observable<T>): T => {
  let value: T | undefined;
  (answer as Observable<T>).subscribe((answered) => (value = answered));
  return value as T;
};

/** The request the recorded tasks were: two videos (the fingerprint counts `numberResults` as the app wrote it). */
const twoVideos = { ...video, numberResults: 2 };

function recordedTask(taskUUID: string, extra: Partial<StoredTask> = {}): StoredTask {
  return { taskUUID, taskType: 'videoInference', model: 'klingai:5@3', numberResults: 2, cadenceKey: KEY, fingerprint: requestFingerprint(twoVideos), submittedAt: 0, ...extra };
}

const delivered = (taskUUID: string, n: number): DeliveredEvent => ({ status: 'success', taskUUID, taskType: 'videoInference', index: n, result: successOf(taskUUID, n) as never });

/** A store on the test's clock holding `tasks`, each with what was delivered of it. */
function storeWith(scheduler: SchedulerLike, ...tasks: ReadonlyArray<{ readonly task: StoredTask; readonly delivered?: ReadonlyArray<DeliveredEvent>; readonly acked?: boolean }>): TaskStore {
  const store = createMemoryTaskStore({ scheduler });
  for (const entry of tasks) {
    read(store.recordTask(entry.task));
    if (entry.acked !== false) read(store.recordAck(entry.task.taskUUID));
    for (const event of entry.delivered ?? []) read(store.recordDelivery(event));
  }
  return store;
}

describe('resumed watches (client.resume, client.run of a recorded task)', () => {
  it('polls a resumed task at once, emits only the generations not delivered yet, and records them and the end', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A), delivered: [delivered(A, 0)] });
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|', { r: { data: [successOf(A, 0), successOf(A, 1)] } }));
      const client = createRunwareClient({ transport, scheduler, store, jitter: 0 });
      expectObservable(client.resume()).toBe('-(a|)', { a: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 1, result: successOf(A, 1) } });
      scheduler.flush();
      expect(transport.requests.map((request) => [request.at, request.tasks[0]?.['taskType']])).to.deep.equal([[0, 'getResponse']]);
    });
    const record = read(store.task(A)) as TaskRecord;
    expect(record.delivered.map((event) => event.index).sort()).to.deep.equal([0, 1]);
    expect(record.endedAt).to.equal(1);
    expect(read(store.unfinished())).to.deep.equal([]);
  });

  it('polls at once, then on the backoff (the video defaults aside): resume never waits a first delay', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A, { numberResults: 1 }) });
    scheduler.run(({ cold }) => {
      let poll = 0;
      const transport = respondingTransport(() => cold('-r|', { r: { data: [poll++ < 3 ? processingOf(A) : successOf(A)] } }));
      createRunwareClient({ transport, scheduler, store, cadence: false, jitter: 0, interval: 1000 }).resume().subscribe();
      scheduler.flush();
      // at once; then the video schedule's gaps after each reply, 1 s growing x2.2 (not the video's 3 s first wait)
      expect(transport.requests.map((request) => Math.round(request.at))).to.deep.equal([0, 1001, 3202, 8043]);
    });
  });

  it('with push, polls a resumed task at once and still takes its pushes', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A, { numberResults: 1 }) });
    const watched: string[] = [];
    scheduler.run(({ cold, hot, expectObservable }) => {
      const pushed = hot('-----p', { p: { data: [successOf(A)] } });
      const push: PushSource = createPushSource({
        urlFor: (taskUUID) => `https://app.example.com/hook?task=${taskUUID}`,
        watch: (taskUUID) => {
          watched.push(taskUUID);
          return pushed;
        },
      });
      const transport = respondingTransport(() => cold('-r|', { r: { data: [processingOf(A)] } }));
      const client = createRunwareClient({ transport, scheduler, store, push, cadence: false, jitter: 0 });
      expectObservable(client.resume()).toBe('-a---(b|)', { a: { status: 'processing', taskUUID: A, taskType: 'videoInference', index: 0 }, b: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A) } });
      scheduler.flush();
      expect(transport.requests.map((request) => request.at)).to.deep.equal([0]);
    });
    expect(watched).to.deep.equal([A]);
  });

  it('plans a learned cadence from the task\'s original submission (startedAt), not from the resume', () => {
    const teach = () => {
      const cadence = createCadence();
      for (let n = 0; n < 30; n += 1) cadence.observe(KEY, 44_000, 45_000);
      return cadence;
    };
    const firstGaps = (submittedAt: number): ScheduledPoll[] => {
      const scheduler = createTestScheduler();
      const schedule: ScheduledPoll[] = [];
      scheduler.run(({ cold }) => {
        const transport = respondingTransport(() => cold('(r|)', { r: { data: [processingOf(A)] } }));
        const client = createRunwareClient({ transport, scheduler, store: storeWith(scheduler, { task: recordedTask(A, { numberResults: 1, submittedAt }) }), cadence: { store: teach() }, jitter: 0 });
        const subscription = client.resume({ onSchedule: (next) => schedule.push(next) }).subscribe();
        scheduler.schedule(() => subscription.unsubscribe(), 1);
        scheduler.flush();
      });
      return schedule.slice(0, 2);
    };
    const plan = (schedule: ScheduledPoll[]) => schedule.map((next) => [next.reason, next.delay]);
    // Submitted 40 s before the resume: the first poll at once, the next 4.5 s later, at 44.5 s of age,
    // where such videos finish.
    expect(plan(firstGaps(-40_000))).to.deep.equal([['initial', 0], ['learned', 4481]]);
    // Submitted at the resume: the same store would wait until 44 s of age, but the lag bound keeps any
    // gap within 12 s (issue 23), counted from 0 s of age.
    expect(plan(firstGaps(0))).to.deep.equal([['initial', 0], ['learned', 12_000]]);
  });

  it('never submits a task recorded but not acknowledged: Runware knows it (watched) or does not (its generations end with its code)', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A), acked: false }, { task: recordedTask(B, { numberResults: 1 }), acked: false });
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport((tasks) =>
        tasks[0]?.['taskUUID'] === A
          ? cold('-r|', { r: { errors: [{ code: 'taskNotFound', message: 'No active task was found', taskType: 'getResponse', taskUUID: A }] } })
          : cold('------r|', { r: { data: [successOf(B)] } }),
      );
      const client = createRunwareClient({ transport, scheduler, store, jitter: 0 });
      const lost = (index: number) => ({ status: 'error', taskUUID: A, taskType: 'videoInference', index, error: { code: 'taskNotFound', message: `Runware does not know task ${A} (recorded before it was sent; it never arrived): it was not submitted again` } });
      expectObservable(client.resume()).toBe('-(ab)-(c|)', { a: lost(0), b: lost(1), c: { status: 'success', taskUUID: B, taskType: 'videoInference', index: 0, result: successOf(B) } });
      scheduler.flush();
      expect(transport.requests.map((request) => request.tasks[0]?.['taskType'])).to.deep.equal(['getResponse', 'getResponse']);
    });
    expect(read(store.unfinished())).to.deep.equal([]);
  });

  it('lets every task end before it errors with the first failure; the failed task stays unfinished', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A, { numberResults: 1 }) }, { task: recordedTask(B, { numberResults: 1 }) });
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport((tasks) =>
        tasks[0]?.['taskUUID'] === A ? cold('-r|', { r: { errors: [{ code: 'invalidApiKey', message: 'Invalid API key' }] } }) : cold('---r|', { r: { data: [successOf(B)] } }),
      );
      const client = createRunwareClient({ transport, scheduler, store, jitter: 0 });
      expectObservable(client.resume()).toBe('---(b#)', { b: { status: 'success', taskUUID: B, taskType: 'videoInference', index: 0, result: successOf(B) } }, new RunwareApiError({ code: 'invalidApiKey', serverMessage: 'Invalid API key', status: 200, taskUUID: A }));
    });
    expect((read(store.unfinished()) as TaskRecord[]).map((record) => record.taskUUID)).to.deep.equal([A]);
  });

  it('records a run before it is sent, each generation right after its delivery, and the end before it completes', () => {
    const scheduler = createTestScheduler();
    const store = createMemoryTaskStore({ scheduler });
    const seen: string[] = [];
    scheduler.run(({ cold }) => {
      const transport = respondingTransport((tasks) => {
        const held = read(store.task(A)) as TaskRecord | undefined;
        seen.push(`${String(tasks[0]?.['taskType'])} sent, recorded ${held === undefined ? 'no' : held.acked ? 'acked' : 'yes'}`);
        return tasks[0]?.['taskType'] === 'getResponse' ? cold('-r|', { r: { data: [successOf(A, 0), processingOf(A)] } }) : cold('-r|', { r: { data: [{ taskType: 'videoInference', taskUUID: A }] } });
      });
      const client = createRunwareClient({ transport, scheduler, store, uuid: () => A, initialDelay: 10, jitter: 0 });
      const subscription = client.run(twoVideos, { initialDelay: 10 }).subscribe((event) => {
        const held = read(store.task(A)) as TaskRecord;
        seen.push(`${event.status} ${event.index} delivered, recorded ${held.delivered.length}`);
      });
      scheduler.schedule(() => subscription.unsubscribe(), 13);
      scheduler.flush();
    });
    expect(seen).to.deep.equal(['videoInference sent, recorded yes', 'getResponse sent, recorded acked', 'success 0 delivered, recorded 0', 'processing 1 delivered, recorded 1']);
    const record = read(store.task(A)) as TaskRecord;
    expect([record.fingerprint, record.numberResults, record.cadenceKey, record.model, record.submittedAt]).to.deep.equal([requestFingerprint(twoVideos), 2, KEY, 'klingai:5@3', 0]);
    expect(record.delivered.map((event) => event.index)).to.deep.equal([0]);
    expect(record.endedAt).to.equal(undefined); // unsubscribed before the end: a resume finishes it
  });

  it('records the results a submit reply already held as delivered, so a resume does not deliver them again (issues 21 and 24)', () => {
    const scheduler = createTestScheduler();
    const store = createMemoryTaskStore({ scheduler });
    scheduler.run(({ cold, expectObservable }) => {
      // The ack holds the first video; the task's polls would list it again with the second one processing.
      const transport = respondingTransport((tasks) =>
        tasks[0]?.['taskType'] === 'getResponse' ? cold('-r|', { r: { data: [successOf(A, 0), processingOf(A)] } }) : cold('-r|', { r: { data: [successOf(A, 0)] } }),
      );
      const client = createRunwareClient({ transport, scheduler, store, uuid: () => A, jitter: 0 });
      const first = { status: 'success', taskUUID: A, taskType: 'videoInference', index: 0, result: successOf(A, 0) };
      // Emitted at the ack (frame 1); the unsubscription at 5 comes before the first poll (at 11).
      expectObservable(client.run(twoVideos, { initialDelay: 10 }), '^----!').toBe('-a', { a: first });
    });
    const record = read(store.task(A)) as TaskRecord;
    expect(record.delivered.map((event) => event.index)).to.deep.equal([0]);
    // A restarted process, on a clock of its own.
    const later = createTestScheduler();
    later.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|', { r: { data: [successOf(A, 0), successOf(A, 1)] } }));
      const client = createRunwareClient({ transport, scheduler: later, store, jitter: 0 });
      expectObservable(client.resume()).toBe('-(b|)', { b: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 1, result: successOf(A, 1) } });
    });
  });

  it('leaves nothing to resume after a refused submit, and the task unfinished after one whose ack may be lost', () => {
    const scheduler = createTestScheduler();
    const store = createMemoryTaskStore({ scheduler });
    scheduler.run(({ cold }) => {
      const refusal = { code: 'unsupportedDuration', message: 'no', parameter: 'duration', taskUUID: A };
      const transport = respondingTransport((tasks) => (tasks[0]?.['taskUUID'] === A ? cold('-r|', { r: { errors: [refusal] } }) : cold('-#', undefined, new Error('socket hang up'))));
      const uuids = [A, B];
      const client = createRunwareClient({ transport, scheduler, store, uuid: () => uuids.shift() ?? A });
      client.run(video).subscribe({ error: () => undefined });
      client.run(video).subscribe({ error: () => undefined });
    });
    expect((read(store.unfinished()) as TaskRecord[]).map((record) => [record.taskUUID, record.acked])).to.deep.equal([[B, false]]);
    expect((read(store.task(A)) as TaskRecord).endedAt).to.equal(1);
  });

  it('refuses a store that is not one, at creation', () => {
    expect(() => createRunwareClient({ transport: respondingTransport(() => NEVER), store: { recordTask: () => Promise.resolve() } as never })).to.throw(TypeError, /option store must be a task store .* missing recordAck/);
  });

  it('runs a task the store holds under its taskUUID without sending it again, or refuses it when the request changed', () => {
    const scheduler = createTestScheduler();
    const store = storeWith(scheduler, { task: recordedTask(A), delivered: [delivered(A, 0)] });
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|', { r: { data: [successOf(A, 0), successOf(A, 1)] } }));
      const client = createRunwareClient({ transport, scheduler, store, jitter: 0 });
      expectObservable(client.run({ ...twoVideos, taskUUID: A })).toBe('-(a|)', { a: { status: 'success', taskUUID: A, taskType: 'videoInference', index: 1, result: successOf(A, 1) } });
      scheduler.flush();
      expect(transport.requests.map((request) => request.tasks[0]?.['taskType'])).to.deep.equal(['getResponse']);
    });
    const refusing = createTestScheduler();
    refusing.run(({ expectObservable }) => {
      const transport = respondingTransport(() => {
        throw new Error('nothing may be sent');
      });
      const client = createRunwareClient({ transport, scheduler: refusing, store: storeWith(refusing, { task: recordedTask(B) }) });
      const issue = `taskUUID: ${B} is recorded in the task store for another request (fingerprint ${requestFingerprint(twoVideos)}); its results would not answer this one: run it under a new taskUUID`;
      expectObservable(client.run({ ...twoVideos, positivePrompt: 'a wolf', taskUUID: B })).toBe('#', undefined, new RunwareValidationError({ taskType: 'videoInference', issues: [issue], taskUUID: B }));
      refusing.flush();
      expect(transport.requests).to.deep.equal([]);
    });
  });

  it('leaves to its watch a task the client is running: resume does not watch it twice', () => {
    const scheduler = createTestScheduler();
    const store = createMemoryTaskStore({ scheduler });
    scheduler.run(({ cold }) => {
      const transport = respondingTransport((tasks) => (tasks[0]?.['taskType'] === 'getResponse' ? cold('-r|', { r: { data: [processingOf(A)] } }) : cold('-r|', { r: { data: [{ taskType: 'videoInference', taskUUID: A }] } })));
      const client = createRunwareClient({ transport, scheduler, store, uuid: () => A, jitter: 0, initialDelay: 10, interval: 10, maxInterval: 10 });
      const running = client.run(video).subscribe();
      let resumed = 'running';
      scheduler.schedule(() => client.resume().subscribe({ complete: () => (resumed = 'complete') }), 5);
      scheduler.schedule(() => running.unsubscribe(), 30);
      scheduler.flush();
      expect(resumed).to.equal('complete');
      expect(transport.requests.filter((request) => request.at <= 30).map((request) => request.at)).to.deep.equal([0, 11, 22]);
    });
  });

  it('shares learned durations through the store: a new client starts with what an earlier one learned', async () => {
    const store = createMemoryTaskStore();
    const scheduler = createTestScheduler();
    scheduler.run(({ cold }) => {
      let poll = 0;
      const transport = respondingTransport((tasks) => (tasks[0]?.['taskType'] === 'getResponse' ? cold('(r|)', { r: { data: [poll++ < 2 ? processingOf(A) : successOf(A)] } }) : cold('(r|)', { r: { data: [{ taskType: 'videoInference', taskUUID: A }] } })));
      createRunwareClient({ transport, scheduler, store, uuid: () => A, jitter: 0 }).run(video).subscribe();
    });
    const learned = await firstValueFrom(store.learnedSince(undefined) as Observable<{ durations: ReadonlyArray<{ key: string }> }>);
    expect(learned.durations.map((duration) => duration.key)).to.deep.equal([KEY]);
    const cadence = createCadence();
    const later = createRunwareClient({ transport: respondingTransport(() => NEVER), store, cadence: { store: cadence } });
    expect(cadence.summary(KEY)).to.equal(undefined);
    await firstValueFrom(later.resume(), { defaultValue: undefined });
    expect(cadence.summary(KEY)?.observations).to.equal(1);
  });
});
