import { expect } from 'chai';
import { merge, of, Subject, type Observable } from 'rxjs';
import { limitConcurrency } from '../../src/client/limitConcurrency.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('limitConcurrency', () => {
  it('starts at most max requests at once and the next one as soon as a slot frees', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const replies = [cold('--a|'), cold('-----b|'), cold('-c|')] as const;
      const transport = limitConcurrency((tasks) => replies[Number(tasks[0]?.['n'])] as Observable<unknown>, 2);
      const all = merge(transport([{ n: 0 }]), transport([{ n: 1 }]), transport([{ n: 2 }]));
      expectObservable(all).toBe('--a-cb|');
      expectSubscriptions(replies[0].subscriptions).toBe('^--!');
      expectSubscriptions(replies[1].subscriptions).toBe('^-----!');
      expectSubscriptions(replies[2].subscriptions).toBe('---^-!');
    });
  });

  it('drops a waiting request that is unsubscribed without ever sending it', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const replies = [cold('---a|'), cold('-b|'), cold('-c|')] as const;
      const transport = limitConcurrency((tasks) => replies[Number(tasks[0]?.['n'])] as Observable<unknown>, 1);
      expectObservable(transport([{ n: 0 }])).toBe('---a|');
      expectObservable(transport([{ n: 1 }]), '^-!').toBe('---');
      expectObservable(transport([{ n: 2 }])).toBe('-----c|');
      expectSubscriptions(replies[1].subscriptions).toBe([]);
      expectSubscriptions(replies[2].subscriptions).toBe('----^-!');
    });
  });

  it('aborts a request unsubscribed in flight and hands its slot on at once', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const replies = [cold('-----a|'), cold('-b|')] as const;
      const transport = limitConcurrency((tasks) => replies[Number(tasks[0]?.['n'])] as Observable<unknown>, 1);
      expectObservable(transport([{ n: 0 }]), '^-!').toBe('--');
      expectObservable(transport([{ n: 1 }])).toBe('---b|');
      expectSubscriptions(replies[0].subscriptions).toBe('^-!');
      expectSubscriptions(replies[1].subscriptions).toBe('--^-!');
    });
  });

  it('frees the slot of a failed request', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const replies = [cold('-#'), cold('-b|')];
      const transport = limitConcurrency((tasks) => replies[Number(tasks[0]?.['n'])] as Observable<unknown>, 1);
      expectObservable(transport([{ n: 0 }])).toBe('-#');
      expectObservable(transport([{ n: 1 }])).toBe('--b|');
    });
  });

  it('drains a long queue of synchronous replies without growing the stack', () => {
    const gate = new Subject<unknown>();
    const transport = limitConcurrency((tasks) => (tasks[0]?.['n'] === 'gate' ? gate : of('ok')), 1);
    let completed = 0;
    transport([{ n: 'gate' }]).subscribe({ complete: () => (completed += 1) });
    for (let n = 0; n < 20_000; n += 1) transport([{ n }]).subscribe({ complete: () => (completed += 1) });
    expect(completed).to.equal(0);
    gate.complete();
    expect(completed).to.equal(20_001);
  });

  it('rejects a limit that is not a whole number of at least 1', () => {
    expect(() => limitConcurrency(() => [] as never, 0)).to.throw(RangeError, /concurrency/);
    expect(() => limitConcurrency(() => [] as never, 1.5)).to.throw(RangeError, /concurrency/);
  });
});
