import { expect } from 'chai';
import { lastValueFrom, map, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { batchGetResponses, splitReply } from '../../src/client/batchGetResponses.js';
import { createRunwareClient } from '../../src/client/createRunwareClient.js';
import { RunwareApiError } from '../../src/errors/RunwareApiError.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import type { GenerationEvent } from '../../src/events/events.js';
import { accentOf } from '../../src/simulator/dialect.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { mulberry32, randomUUID } from '../../src/simulator/random.js';
import type { Transport } from '../../src/transport/Transport.js';
import { rawPost } from '../helpers/rawPost.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { respondingTransport, type ScriptedTransport } from '../../src/testing/index.js';

const A = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const B = '5f0c3a8e-1d2b-4c6f-9a7e-3b8d2e1f0a9c';
const C = '9b1e7d2a-4c3f-4e8a-b6d5-0f2e1a3c4b5d';
const poll = (taskUUID: string) => [{ taskType: 'getResponse', taskUUID }];
const item = (taskUUID: string) => ({ taskType: 'videoInference', taskUUID, status: 'processing' });

/** What each request of `transport` asked for: its frame and the task UUIDs it carried. */
const sent = (transport: ScriptedTransport) => transport.requests.map((request) => ({ frame: request.at, tasks: request.tasks.map((task) => task['taskUUID']) }));

describe('batchGetResponses', () => {
  it('sends the polls that come due within the window as one request, window ms after the first', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('--r|', { r: { data: [item(A), item(B)] } });
      const transport = respondingTransport(() => reply, { scheduler });
      const batched = batchGetResponses(transport, { window: 10, maxTasks: 10, scheduler }).transport();
      expectObservable(batched(poll(A))).toBe('------------(a|)', { a: { data: [item(A)] } });
      expectObservable(cold('-----x|').pipe(() => batched(poll(B)))).toBe('------------(b|)', { b: { data: [item(B)] } });
      expectSubscriptions(reply.subscriptions).toBe('----------^-!');
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([{ frame: 10, tasks: [A, B] }]);
    });
  });

  it('sends a batch as soon as it holds maxTasks polls, the rest in the next one', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport((tasks) => cold('-r|', { r: { data: tasks.map((task) => item(String(task['taskUUID']))) } }), { scheduler });
      const batched = batchGetResponses(transport, { window: 10, maxTasks: 2, scheduler }).transport();
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      expectObservable(batched(poll(B))).toBe('-(b|)', { b: { data: [item(B)] } });
      expectObservable(batched(poll(C))).toBe('-----------(c|)', { c: { data: [item(C)] } });
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([
        { frame: 0, tasks: [A, B] },
        { frame: 10, tasks: [C] },
      ]);
    });
  });

  it('leaves a poll unsubscribed before its batch goes out out of the request', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|', { r: { data: [item(B)] } }), { scheduler });
      const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
      expectObservable(batched(poll(A)), '^----!').toBe('-');
      expectObservable(batched(poll(B))).toBe('-----------(b|)', { b: { data: [item(B)] } });
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([{ frame: 10, tasks: [B] }]);
    });
  });

  it('sends nothing when every poll of a pending batch is unsubscribed', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|'), { scheduler });
      const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
      expectObservable(batched(poll(A)), '^----!').toBe('-');
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([]);
    });
  });

  it('aborts the request when the only poll in flight is unsubscribed', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-----r|', { r: { data: [item(A)] } });
      const batched = batchGetResponses(() => reply, { window: 10, scheduler }).transport();
      expectObservable(batched(poll(A)), '^-----------!').toBe('-');
      expectSubscriptions(reply.subscriptions).toBe('----------^-!');
    });
  });

  it('keeps the request of a batch while one of its polls still waits; the unsubscribed one ignores the reply', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-----r|', { r: { data: [item(A), item(B)] } });
      const batched = batchGetResponses(() => reply, { window: 10, scheduler }).transport();
      expectObservable(batched(poll(A)), '^-----------!').toBe('-');
      expectObservable(batched(poll(B))).toBe('---------------(b|)', { b: { data: [item(B)] } });
      expectSubscriptions(reply.subscriptions).toBe('----------^----!');
    });
  });

  it('fails every poll of a failed batch with the error bound to its own task', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failure = new RunwareHttpError({ failure: 'status', status: 503 });
      const batched = batchGetResponses(() => cold('-#', undefined, failure), { window: 10, scheduler }).transport();
      expectObservable(batched(poll(A))).toBe('-----------#', undefined, failure.forTask(A));
      expectObservable(batched(poll(B))).toBe('-----------#', undefined, failure.forTask(B));
    });
  });

  it('passes any request other than a single getResponse straight through', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-k|', { k: 'ack' }), { scheduler });
      const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
      expectObservable(batched([{ taskType: 'videoInference', taskUUID: A }])).toBe('-k|', { k: 'ack' });
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([{ frame: 0, tasks: [A] }]);
    });
  });

  it('asks once for a task watched twice in the same batch, and answers both', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = respondingTransport(() => cold('-r|', { r: { data: [item(A)] } }), { scheduler });
      const batched = batchGetResponses(transport, { window: 0, scheduler }).transport();
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      scheduler.flush();
      expect(sent(transport)).to.deep.equal([{ frame: 0, tasks: [A] }]);
    });
  });

  describe('without cascades', () => {
    const refusal = (wire: Record<string, unknown>) => new RunwareApiError({ code: String(wire['code']), status: 400, wire });
    /** Refuses any request of several tasks with `refused`; answers a request of one task with its processing item. */
    const refusingBatches = (scheduler: TestScheduler, cold: TestScheduler['createColdObservable'], refused: () => Observable<unknown>) =>
      respondingTransport((tasks) => (tasks.length > 1 ? refused() : cold('-r|', { r: { data: [item(String(tasks[0]?.['taskUUID']))] } })), { scheduler });

    it('fails only the task a refused batch names, and polls the others again alone', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const error = refusal({ code: 'taskNotFound', taskType: 'getResponse', taskUUID: A });
        const transport = refusingBatches(scheduler, cold, () => cold('-#', undefined, error));
        const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('-----------#', undefined, error.forTask(A));
        expectObservable(batched(poll(B))).toBe('------------(b|)', { b: { data: [item(B)] } });
        expectObservable(batched(poll(C))).toBe('------------(c|)', { c: { data: [item(C)] } });
        scheduler.flush();
        expect(sent(transport)).to.deep.equal([
          { frame: 10, tasks: [A, B, C] },
          { frame: 11, tasks: [B] },
          { frame: 11, tasks: [C] },
        ]);
      });
    });

    it('polls every task again alone when a refusal names none of them, before failing any', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const error = refusal({ code: 'invalidTask', message: 'one task is bad' });
        const transport = refusingBatches(scheduler, cold, () => cold('-#', undefined, error));
        const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('------------(a|)', { a: { data: [item(A)] } });
        expectObservable(batched(poll(B))).toBe('------------(b|)', { b: { data: [item(B)] } });
        scheduler.flush();
        expect(sent(transport).map((call) => call.tasks)).to.deep.equal([[A, B], [A], [B]]);
      });
    });

    it('keeps the data items of a refused reply that the error carries, and asks only the tasks without any again', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const scoped = { code: 'taskNotFound', taskUUID: A };
        const error = new RunwareApiError({ code: scoped.code, status: 400, wire: scoped, body: { data: [item(B)], errors: [scoped] } });
        const transport = refusingBatches(scheduler, cold, () => cold('-#', undefined, error));
        const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('-----------#', undefined, error.forTask(A));
        expectObservable(batched(poll(B))).toBe('-----------(b|)', { b: { data: [item(B)], errors: [] } });
        expectObservable(batched(poll(C))).toBe('------------(c|)', { c: { data: [item(C)] } });
        scheduler.flush();
        expect(sent(transport).map((call) => call.tasks)).to.deep.equal([[A, B, C], [C]]);
      });
    });

    it('fails every poll of a batch refused for its key, balance or permission (HTTP 401, 402, 403), asking nothing again', () => {
      for (const status of [401, 402, 403]) {
        const scheduler = createTestScheduler();
        scheduler.run(({ cold, expectObservable }) => {
          const error = new RunwareApiError({ code: 'invalidApiKey', status, wire: { code: 'invalidApiKey', taskType: 'authentication' } });
          const transport = refusingBatches(scheduler, cold, () => cold('-#', undefined, error));
          const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
          expectObservable(batched(poll(A))).toBe('-----------#', undefined, error.forTask(A));
          expectObservable(batched(poll(B))).toBe('-----------#', undefined, error.forTask(B));
          scheduler.flush();
          expect(sent(transport), String(status)).to.have.length(1);
        });
      }
    });

    it('fails a lone task with the refusal itself (there is nobody to spare)', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const error = refusal({ code: 'invalidTask' });
        const batched = batchGetResponses(() => cold('-#', undefined, error), { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('-----------#', undefined, error.forTask(A));
      });
    });

    it('gives a task an answer of its own when a 200 reply carries only errors of other tasks or of the request', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const scoped = { code: 'taskNotFound', taskType: 'getResponse', taskUUID: A };
        const transport = refusingBatches(scheduler, cold, () => cold('-r|', { r: { errors: [scoped] } }));
        const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('-----------(a|)', { a: { errors: [scoped] } });
        expectObservable(batched(poll(B))).toBe('------------(b|)', { b: { data: [item(B)] } });
        scheduler.flush();
        expect(sent(transport).map((call) => call.tasks)).to.deep.equal([[A, B], [B]]);
      });
      const second = createTestScheduler();
      second.run(({ cold, expectObservable }) => {
        const unscoped = { code: 'internalServerError', message: 'no' };
        const transport = refusingBatches(second, cold, () => cold('-r|', { r: { errors: [unscoped] } }));
        const batched = batchGetResponses(transport, { window: 10, scheduler: second }).transport();
        expectObservable(batched(poll(A))).toBe('------------(a|)', { a: { data: [item(A)] } });
        expectObservable(batched(poll(B))).toBe('------------(b|)', { b: { data: [item(B)] } });
        second.flush();
        expect(sent(transport).map((call) => call.tasks)).to.deep.equal([[A, B], [A], [B]]);
      });
    });

    it('matches task UUIDs regardless of case: one entry for both spellings, and each watch gets its items', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const upper = A.toUpperCase();
        const transport = respondingTransport(() => cold('-r|', { r: { data: [item(A), item(B.toUpperCase())] } }), { scheduler });
        const batched = batchGetResponses(transport, { window: 0, scheduler }).transport();
        expectObservable(batched(poll(upper))).toBe('-(a|)', { a: { data: [item(A)] } });
        expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
        expectObservable(batched(poll(B))).toBe('-(b|)', { b: { data: [item(B.toUpperCase())] } });
        scheduler.flush();
        expect(sent(transport)).to.deep.equal([{ frame: 0, tasks: [upper, B] }]);
      });
    });

    it('binds a refusal naming an upper-case task to the lower-case watch of it', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const error = refusal({ code: 'taskNotFound', taskUUID: A.toUpperCase() });
        const transport = refusingBatches(scheduler, cold, () => cold('-#', undefined, error));
        const batched = batchGetResponses(transport, { window: 10, scheduler }).transport();
        expectObservable(batched(poll(A))).toBe('-----------#', undefined, error.forTask(A));
        expectObservable(batched(poll(B))).toBe('------------(b|)', { b: { data: [item(B)] } });
      });
    });
  });

  describe('request timeout', () => {
    it('counts from the send, not from joining the window: a window longer than requestTimeout still gets its reply', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const reply = cold('---r|', { r: { data: [item(A)] } });
        const batched = batchGetResponses(() => reply, { window: 10, scheduler }).transport(5);
        expectObservable(batched(poll(A))).toBe('-------------(a|)', { a: { data: [item(A)] } });
        expectSubscriptions(reply.subscriptions).toBe('----------^--!');
      });
    });

    it('fails a poll whose batch got no reply requestTimeout ms after it was sent, and aborts the request', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hang = cold('-');
        const batched = batchGetResponses(() => hang, { window: 10, scheduler });
        expectObservable(batched.transport(5)(poll(A))).toBe('---------------#', undefined, new RunwareHttpError({ failure: 'timeout', taskUUID: A }));
        expectObservable(cold('--x|').pipe(() => batched.transport(8)(poll(B)))).toBe('------------------#', undefined, new RunwareHttpError({ failure: 'timeout', taskUUID: B }));
        expectSubscriptions(hang.subscriptions).toBe('----------^-------!');
      });
    });

    it('gives the watches of a batched client their reply when the window is longer than requestTimeout', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const transport: Transport = (tasks) => cold('--r|', { r: { data: tasks.map((task) => ({ ...item(String(task['taskUUID'])), status: 'success', videoUUID: B, videoURL: 'https://x/v.mp4' })) } });
        const client = createRunwareClient({ transport, scheduler, batch: { window: 50 }, requestTimeout: 20, initialDelay: 0 });
        expectObservable(client.watchTask(A).pipe(map((event) => event.status))).toBe('----------------------------------------------------(s|)', { s: 'success' });
      });
    });
  });

  it('rejects options that would never flush', () => {
    const scheduler = createTestScheduler();
    expect(() => batchGetResponses(() => [] as never, { maxTasks: 0, scheduler })).to.throw(RangeError, /batch.maxTasks/);
    expect(() => batchGetResponses(() => [] as never, { window: -1, scheduler })).to.throw(RangeError, /batch.window/);
  });
});

describe('batchGetResponses over loopback against the simulator', () => {
  const started: RunningSimulator[] = [];
  after(async () => {
    await Promise.all(started.map((simulator) => simulator.close()));
  });

  /** Task UUIDs whose realistic accent is the documented form for a single generation (what every reader reads). */
  const plainUUIDs = (count: number): string[] => {
    const found: string[] = [];
    for (let salt = 1; found.length < count; salt += 1) {
      const taskUUID = randomUUID(mulberry32(salt));
      const { statusless, ...flags } = accentOf('realistic', 1, taskUUID);
      if (!statusless(0) && Object.values(flags).every((flag) => !flag)) found.push(taskUUID);
    }
    return found;
  };

  /** A simulator whose tasks are all finished as soon as they are watched, and tasks submitted to it. */
  async function finishedTasks(dialect: 'realistic' | 'strict', taskUUIDs: ReadonlyArray<string>): Promise<RunningSimulator> {
    let clock = 0;
    const simulator = await startSimulator({ dialect, seed: 1, now: () => clock });
    started.push(simulator);
    const tasks = taskUUIDs.map((taskUUID) => ({ taskType: 'imageInference', taskUUID, model: 'runware:101@1', positivePrompt: 'a paper boat', deliveryMethod: 'async' }));
    expect((await rawPost(simulator.url, simulator.apiKey, tasks)).status).to.equal(200);
    clock = 1e9;
    return simulator;
  }

  const outcome = (observable: Observable<GenerationEvent>): Promise<string> =>
    lastValueFrom(observable).then(
      (event) => event.status,
      (error: unknown) => (error instanceof RunwareApiError ? `${error.code} ${String(error.taskUUID)}` : String(error)),
    );

  it('a batch holding an unknown task, refused with HTTP 400 as a whole, fails that task only and keeps the items the 400 carries for the others', async () => {
    const [first = '', second = ''] = plainUUIDs(2);
    const unknown = crypto.randomUUID();
    const simulator = await finishedTasks('realistic', [first, second]);
    const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, batch: { window: 20 }, initialDelay: 0, requestTimeout: 2000 });
    const results = await Promise.all([first, unknown, second].map((taskUUID) => outcome(client.watchTask(taskUUID))));
    expect(results).to.deep.equal(['success', `taskNotFound ${unknown}`, 'success']);
    // The submission and the batch: the known tasks' items came in the refused reply, so neither is asked again.
    expect(simulator.stats().requests).to.equal(1 + 1);
  });

  it('delivers its replies to a watch that spells its task in upper case', async () => {
    const [taskUUID = ''] = plainUUIDs(1);
    const simulator = await finishedTasks('strict', [taskUUID]);
    const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, batch: { window: 20 }, initialDelay: 0, timeout: 5000 });
    const results = await Promise.all([taskUUID.toUpperCase(), taskUUID].map((watched) => outcome(client.watchTask(watched))));
    expect(results).to.deep.equal(['success', 'success']);
    expect(simulator.stats().polls, 'one getResponse entry for both spellings').to.equal(1);
  });
});

describe('splitReply', () => {
  const failureOf = (taskUUID: string) => ({ code: 'timeoutProvider', status: 'error', message: 'late', taskUUID });
  const unscoped = { code: 'invalidApiKey', message: 'no' };

  it("gives each task only its own data and errors, in the reply's order", () => {
    const body = { data: [item(A), item(B), { ...item(A), status: 'success', videoUUID: 'v' }], errors: [failureOf(B)] };
    const shareOf = splitReply(body);
    expect(shareOf(A)).to.deep.equal({ data: [item(A), { ...item(A), status: 'success', videoUUID: 'v' }], errors: [] });
    expect(shareOf(B)).to.deep.equal({ data: [item(B)], errors: [failureOf(B)] });
    expect(shareOf(C)).to.deep.equal({ data: [], errors: [] });
  });

  it('gives an error that names no task to every task', () => {
    const shareOf = splitReply({ errors: [failureOf(A), unscoped] });
    expect(shareOf(A)).to.deep.equal({ errors: [failureOf(A), unscoped] });
    expect(shareOf(B)).to.deep.equal({ errors: [unscoped] });
  });

  it('passes a body that is not an envelope, or has a data item without a task, unchanged to every task', () => {
    for (const body of ['<html>', null, [1], { data: 'x' }, {}, { data: [{ status: 'processing' }] }]) {
      expect(splitReply(body)(A)).to.equal(body);
    }
  });
});
