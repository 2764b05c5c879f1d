import { expect } from 'chai';
import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { batchGetResponses, splitReply } from '../../src/client/batchGetResponses.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import type { Transport } from '../../src/transport/Transport.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const B = '5f0c3a8e-1d2b-4c6f-9a7e-3b8d2e1f0a9c';
const C = '9b1e7d2a-4c3f-4e8a-b6d5-0f2e1a3c4b5d';
const poll = (taskUUID: string) => [{ taskType: 'getResponse', taskUUID }];
const item = (taskUUID: string) => ({ taskType: 'videoInference', taskUUID, status: 'processing' });

/** A transport that records each request (frame and task UUIDs) and answers with the next scripted reply. */
function recording(scheduler: TestScheduler, reply: (tasks: ReadonlyArray<Record<string, unknown>>) => Observable<unknown>) {
  const calls: Array<{ frame: number; tasks: unknown[] }> = [];
  const transport: Transport = (tasks) => {
    calls.push({ frame: scheduler.now(), tasks: tasks.map((task) => task['taskUUID']) });
    return reply(tasks);
  };
  return { calls, transport };
}

describe('batchGetResponses', () => {
  it('sends the polls that come due within the window as one request, window ms after the first', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('--r|', { r: { data: [item(A), item(B)] } });
      const { calls, transport } = recording(scheduler, () => reply);
      const batched = batchGetResponses(transport, { window: 10, maxTasks: 10, scheduler });
      expectObservable(batched(poll(A))).toBe('------------(a|)', { a: { data: [item(A)] } });
      expectObservable(cold('-----x|').pipe(() => batched(poll(B)))).toBe('------------(b|)', { b: { data: [item(B)] } });
      expectSubscriptions(reply.subscriptions).toBe('----------^-!');
      scheduler.flush();
      expect(calls).to.deep.equal([{ frame: 10, tasks: [A, B] }]);
    });
  });

  it('sends a batch as soon as it holds maxTasks polls, the rest in the next one', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { calls, transport } = recording(scheduler, (tasks) => cold('-r|', { r: { data: tasks.map((task) => item(String(task['taskUUID']))) } }));
      const batched = batchGetResponses(transport, { window: 10, maxTasks: 2, scheduler });
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      expectObservable(batched(poll(B))).toBe('-(b|)', { b: { data: [item(B)] } });
      expectObservable(batched(poll(C))).toBe('-----------(c|)', { c: { data: [item(C)] } });
      scheduler.flush();
      expect(calls).to.deep.equal([
        { frame: 0, tasks: [A, B] },
        { frame: 10, tasks: [C] },
      ]);
    });
  });

  it('leaves a poll unsubscribed before its batch goes out out of the request', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { calls, transport } = recording(scheduler, () => cold('-r|', { r: { data: [item(B)] } }));
      const batched = batchGetResponses(transport, { window: 10, scheduler });
      expectObservable(batched(poll(A)), '^----!').toBe('-');
      expectObservable(batched(poll(B))).toBe('-----------(b|)', { b: { data: [item(B)] } });
      scheduler.flush();
      expect(calls).to.deep.equal([{ frame: 10, tasks: [B] }]);
    });
  });

  it('sends nothing when every poll of a pending batch is unsubscribed', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { calls, transport } = recording(scheduler, () => cold('-r|'));
      const batched = batchGetResponses(transport, { window: 10, scheduler });
      expectObservable(batched(poll(A)), '^----!').toBe('-');
      scheduler.flush();
      expect(calls).to.deep.equal([]);
    });
  });

  it('aborts the request when the only poll in flight is unsubscribed', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-----r|', { r: { data: [item(A)] } });
      const batched = batchGetResponses(() => reply, { window: 10, scheduler });
      expectObservable(batched(poll(A)), '^-----------!').toBe('-');
      expectSubscriptions(reply.subscriptions).toBe('----------^-!');
    });
  });

  it('keeps the request of a batch while one of its polls still waits; the unsubscribed one ignores the reply', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-----r|', { r: { data: [item(A), item(B)] } });
      const batched = batchGetResponses(() => reply, { window: 10, scheduler });
      expectObservable(batched(poll(A)), '^-----------!').toBe('-');
      expectObservable(batched(poll(B))).toBe('---------------(b|)', { b: { data: [item(B)] } });
      expectSubscriptions(reply.subscriptions).toBe('----------^----!');
    });
  });

  it('fails every poll of a failed batch with the error bound to its own task', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failure = new RunwareHttpError({ failure: 'status', status: 503 });
      const batched = batchGetResponses(() => cold('-#', undefined, failure), { window: 10, scheduler });
      expectObservable(batched(poll(A))).toBe('-----------#', undefined, failure.forTask(A));
      expectObservable(batched(poll(B))).toBe('-----------#', undefined, failure.forTask(B));
    });
  });

  it('passes any request other than a single getResponse straight through', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { calls, transport } = recording(scheduler, () => cold('-k|', { k: 'ack' }));
      const batched = batchGetResponses(transport, { window: 10, scheduler });
      expectObservable(batched([{ taskType: 'videoInference', taskUUID: A }])).toBe('-k|', { k: 'ack' });
      scheduler.flush();
      expect(calls).to.deep.equal([{ frame: 0, tasks: [A] }]);
    });
  });

  it('asks once for a task watched twice in the same batch, and answers both', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { calls, transport } = recording(scheduler, () => cold('-r|', { r: { data: [item(A)] } }));
      const batched = batchGetResponses(transport, { window: 0, scheduler });
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      expectObservable(batched(poll(A))).toBe('-(a|)', { a: { data: [item(A)] } });
      scheduler.flush();
      expect(calls).to.deep.equal([{ frame: 0, tasks: [A] }]);
    });
  });

  it('rejects options that would never flush', () => {
    const scheduler = createTestScheduler();
    expect(() => batchGetResponses(() => [] as never, { maxTasks: 0, scheduler })).to.throw(RangeError, /batch.maxTasks/);
    expect(() => batchGetResponses(() => [] as never, { window: -1, scheduler })).to.throw(RangeError, /batch.window/);
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
