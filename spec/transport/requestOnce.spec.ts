import { expect } from 'chai';
import { NEVER, type Observable } from 'rxjs';
import { RunwareDecodeError } from '../../src/errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import { requestOnce } from '../../src/transport/requestOnce.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASKS = [{ taskType: 'getResponse', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }];
const REQUEST_TIMEOUT = new RunwareHttpError({ failure: 'timeout' });
const DEADLINE = new Error('the watch is out of time');

describe('requestOnce', () => {
  it('emits the first reply and completes, leaving the transport at once', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('--a-b|');
      expectObservable(requestOnce(() => reply, TASKS, { requestTimeout: 10, scheduler })).toBe('--(a|)');
      expectSubscriptions(reply.subscriptions).toBe('^-!');
    });
  });

  it('sends exactly the tasks it was given, once per subscription', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sent: unknown[] = [];
      const request = requestOnce((tasks) => (sent.push(tasks), cold('-a|')), TASKS, { requestTimeout: 10, scheduler });
      expectObservable(request).toBe('-(a|)');
      scheduler.flush();
      expect(sent).to.deep.equal([TASKS]);
    });
  });

  it('errors with a timeout RunwareHttpError after requestTimeout ms and aborts the request', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-------a|');
      expectObservable(requestOnce(() => reply, TASKS, { requestTimeout: 5, scheduler })).toBe('-----#', undefined, REQUEST_TIMEOUT);
      expectSubscriptions(reply.subscriptions).toBe('^----!');
    });
  });

  it('ends with the cutoff error instead when the cutoff comes sooner than requestTimeout', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-------a|');
      const cutoff = { within: 3, error: () => DEADLINE };
      expectObservable(requestOnce(() => reply, TASKS, { requestTimeout: 5, scheduler }, cutoff)).toBe('---#', undefined, DEADLINE);
      expectSubscriptions(reply.subscriptions).toBe('^--!');
    });
  });

  it('keeps requestTimeout and its error when the cutoff comes at the same time or later', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const never = (): Observable<unknown> => NEVER;
      expectObservable(requestOnce(never, TASKS, { requestTimeout: 5, scheduler }, { within: 5, error: () => DEADLINE })).toBe('-----#', undefined, REQUEST_TIMEOUT);
      expectObservable(requestOnce(never, TASKS, { requestTimeout: 5, scheduler }, { within: 9, error: () => DEADLINE })).toBe('-----#', undefined, REQUEST_TIMEOUT);
    });
  });

  it('lets a reply that comes before the cutoff through', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const reply = cold('--a|');
      expectObservable(requestOnce(() => reply, TASKS, { requestTimeout: 5, scheduler }, { within: 3, error: () => DEADLINE })).toBe('--(a|)');
    });
  });

  it('errors with a RunwareDecodeError when the transport completes without a reply', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const empty = new RunwareDecodeError({ issues: ['body: the transport completed without a reply'], body: undefined });
      expectObservable(requestOnce(() => cold('--|'), TASKS, { requestTimeout: 5, scheduler })).toBe('--#', undefined, empty);
    });
  });

  it('passes a transport failure through unchanged', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failure = new RunwareHttpError({ failure: 'status', status: 503 });
      expectObservable(requestOnce(() => cold('-#', undefined, failure), TASKS, { requestTimeout: 5, scheduler })).toBe('-#', undefined, failure);
    });
  });
});
