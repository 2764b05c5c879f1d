import { expect } from 'chai';
import { createCadence } from '../../src/cadence/createCadence.js';
import { shareLearning } from '../../src/client/sharedLearning.js';
import { createMemoryTaskStore } from '../../src/store/createMemoryTaskStore.js';
import { handClock } from '../helpers/handClock.js';

describe('shareLearning', () => {
  it('records what each client learns, and brings in what the others learned, skipping its own, at most once per interval', () => {
    const clock = handClock();
    const store = createMemoryTaskStore({ scheduler: clock });
    const [a, b] = [createCadence(), createCadence()];
    const sharedA = shareLearning(a, store, 'process-a', clock, 1000);
    const sharedB = shareLearning(b, store, 'process-b', clock, 1000);
    sharedA.refresh().subscribe();
    sharedB.refresh().subscribe();
    sharedA.cadence.observe('k', 40_000, 45_000, 0);
    expect(a.summary('k')?.observations).to.equal(1);
    sharedB.refresh().subscribe();
    expect(b.summary('k'), 'read less than an interval ago').to.equal(undefined);
    clock.move(1000);
    sharedB.refresh().subscribe();
    sharedA.refresh().subscribe();
    expect([a.summary('k')?.observations, b.summary('k')?.observations]).to.deep.equal([1, 1]);
    // B's own observation goes to the store, and to A, not back into B.
    sharedB.cadence.observe('k', 40_000, 45_000, 1);
    clock.move(1000);
    sharedB.refresh().subscribe();
    sharedA.refresh().subscribe();
    expect([a.summary('k')?.observations, b.summary('k')?.observations]).to.deep.equal([2, 2]);
  });

  it('leaves the cadence as it is when the store cannot be read', () => {
    const clock = handClock();
    const broken = { ...createMemoryTaskStore(), learnedSince: () => Promise.reject(new Error('offline')) };
    const cadence = createCadence();
    let done = false;
    shareLearning(cadence, broken, 'p', clock).refresh().subscribe({ complete: () => (done = true) });
    return Promise.resolve().then(() => {
      expect(done).to.equal(true);
      expect(cadence.summary('k')).to.equal(undefined);
    });
  });
});
