import { expect } from 'chai';
import { leaseRenewals } from '../../src/redis/leaseRenewals.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('leaseRenewals', () => {
  it('tries at once and every renewInterval ms, emitting only changes of the answer', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const answers = [true, true, false, false, true];
      let tries = 0;
      const source = leaseRenewals(() => cold('(a|)', { a: answers[tries++] ?? true }), 10);
      expectObservable(source, '^ 44ms !').toBe('a 19ms b 19ms a', { a: true, b: false });
    });
  });

  it('skips the ticks that come while a try is still in flight (a slow Redis piles up nothing)', () => {
    const scheduler = createTestScheduler();
    let tries = 0;
    scheduler.run(({ cold, expectObservable }) => {
      const attempts = [cold('25ms (a|)', { a: false }), cold('(a|)', { a: true })];
      const source = leaseRenewals(() => attempts[tries++] ?? cold('(a|)', { a: true }), 10);
      // ticks at 10 and 20 fall inside the first try (0 to 25) and are dropped; the next try is at 30
      expectObservable(source, '^ 34ms !').toBe('25ms a 4ms b', { a: false, b: true });
    });
    expect(tries).to.equal(2);
  });

  it('stops trying on unsubscribe', () => {
    const scheduler = createTestScheduler();
    let tries = 0;
    scheduler.run(({ cold, expectObservable }) => {
      const source = leaseRenewals(() => (tries++, cold('(a|)', { a: true })), 10);
      expectObservable(source, '^ 25ms !').toBe('a', { a: true });
    });
    expect(tries).to.equal(3); // at 0, 10 and 20
  });

  it('says true at once on each failure of the connection, until the next try says otherwise', () => {
    createTestScheduler().run(({ cold, hot, expectObservable }) => {
      const failures = hot('---x 20ms x', { x: new Error('lost') });
      // tries at 0, 10, 20, 30 answer false: the failure at 3 is a true until the try at 10
      const source = leaseRenewals(() => cold('(a|)', { a: false }), 10, undefined, failures);
      expectObservable(source, '^ 34ms !').toBe('a--b 6ms a 13ms b 5ms a', { a: false, b: true });
    });
  });
});
