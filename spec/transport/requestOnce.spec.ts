import { expect } from 'chai';
import { asapScheduler, firstValueFrom, NEVER, Observable, of } from 'rxjs';
import { RunwareDecodeError } from '../../src/errors/RunwareDecodeError.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import { requestOnce, sendOnce, type ReplyReceiver } from '../../src/transport/requestOnce.js';
import type { Transport } from '../../src/transport/Transport.js';
import { respondingTransport } from '../../src/testing/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASKS = [{ taskType: 'getResponse', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }];
const REQUEST_TIMEOUT = new RunwareHttpError({ failure: 'timeout' });

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
      const transport = respondingTransport(() => cold('-a|'), { scheduler });
      const request = requestOnce(transport, TASKS, { requestTimeout: 10, scheduler });
      expectObservable(request).toBe('-(a|)');
      scheduler.flush();
      expect(transport.requests.map((sent) => sent.tasks)).to.deep.equal([TASKS]);
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

  it('aborts the request when unsubscribed, and emits nothing', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('-----a|');
      expectObservable(requestOnce(() => reply, TASKS, { requestTimeout: 10, scheduler }), '^--!').toBe('---');
      expectSubscriptions(reply.subscriptions).toBe('^--!');
    });
  });

  it('errors with what the transport throws when called', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const thrown = new RunwareHttpError({ failure: 'network' });
      const throwing = (): Observable<unknown> => {
        throw thrown;
      };
      expectObservable(requestOnce(throwing, TASKS, { requestTimeout: 5, scheduler })).toBe('#', undefined, thrown);
    });
  });

  it('reads a transport that returns a promise, as it always did, and errors for one that returns nothing usable', async () => {
    const settings = { requestTimeout: 1000, scheduler: asapScheduler };
    const promising = (() => Promise.resolve({ data: [] })) as unknown as Transport;
    expect(await firstValueFrom(requestOnce(promising, TASKS, settings))).to.deep.equal({ data: [] });
    const broken = (() => 42) as unknown as Transport;
    const error = await firstValueFrom(requestOnce(broken, TASKS, settings)).then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(TypeError);
  });
});

describe('sendOnce', () => {
  /** A receiver that records what it was told. */
  const recorder = (): ReplyReceiver & { told: unknown[] } => {
    const told: unknown[] = [];
    return { told, reply: (body) => told.push(['reply', body]), fail: (error) => told.push(['fail', error]) };
  };

  it('tells the receiver the first reply once, and starts no timer for a reply that comes at once', () => {
    const scheduler = createTestScheduler();
    const receiver = recorder();
    const subscription = sendOnce(() => of('a', 'b'), TASKS, { requestTimeout: 5, scheduler }, receiver);
    expect(receiver.told).to.deep.equal([['reply', 'a']]);
    expect(subscription.closed).to.equal(true);
    expect(scheduler.actions).to.have.length(0);
  });

  it('tells the receiver the timeout once, on a single timer, and leaves the transport', () => {
    const scheduler = createTestScheduler();
    const receiver = recorder();
    let left = 0;
    const hanging = (): Observable<unknown> => new Observable(() => () => void (left += 1));
    sendOnce(hanging, TASKS, { requestTimeout: 5, scheduler }, receiver);
    expect(scheduler.actions).to.have.length(1);
    scheduler.flush();
    expect(receiver.told).to.deep.equal([['fail', REQUEST_TIMEOUT]]);
    expect(left).to.equal(1);
  });

  it('tells the receiver nothing once unsubscribed, and stops the timer', () => {
    const scheduler = createTestScheduler();
    const receiver = recorder();
    let left = 0;
    const hanging = (): Observable<unknown> => new Observable(() => () => void (left += 1));
    sendOnce(hanging, TASKS, { requestTimeout: 5, scheduler }, receiver).unsubscribe();
    scheduler.flush();
    expect(receiver.told).to.deep.equal([]);
    expect(left).to.equal(1);
  });
});
