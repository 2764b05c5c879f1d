import { expect } from 'chai';
import { concat, defer, NEVER, type Observable, throwError } from 'rxjs';
import { recordDeliveries } from '../../src/client/recordDeliveries.js';
import type { GenerationEvent } from '../../src/events/events.js';
import { createMemoryTaskStore } from '../../src/store/createMemoryTaskStore.js';
import type { TaskStore } from '../../src/store/TaskStore.js';
import { createTestScheduler } from '../helpers/marbles.js';

const A = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing: GenerationEvent = { status: 'processing', taskUUID: A, taskType: 'imageInference', index: 0 };
const success: GenerationEvent = { status: 'success', taskUUID: A, taskType: 'imageInference', index: 0, result: { taskType: 'imageInference', taskUUID: A, status: 'success', imageURL: 'https://x/0.png' } };

describe('recordDeliveries', () => {
  it('completes only once the end is recorded (a store that answers later)', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const memory = createMemoryTaskStore({ scheduler });
      memory.recordTask({ taskUUID: A, taskType: 'imageInference', numberResults: 2, fingerprint: 'f', submittedAt: 0 }).subscribe();
      const slow: TaskStore = { ...memory, recordEnd: (taskUUID, at) => concat(cold<never>('---|'), defer(() => memory.recordEnd(taskUUID, at))) };
      const watch = cold('a-b|', { a: processing, b: success }) as Observable<GenerationEvent>;
      expectObservable(recordDeliveries(watch, A, slow, scheduler, new Set())).toBe('a-b---|', { a: processing, b: success });
    });
  });

  it('ends with the store\'s error when a record fails, and leaves the watched set when it ends', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failing: TaskStore = { ...createMemoryTaskStore(), recordDelivery: () => throwError(() => new Error('disk full')) };
      const watching = new Set<string>();
      const watch = cold('a-b-', { a: processing, b: success }) as Observable<GenerationEvent>;
      expectObservable(recordDeliveries(watch, A, failing, scheduler, watching)).toBe('a-(b#)', { a: processing, b: success }, new Error('disk full'));
      scheduler.schedule(() => expect([...watching]).to.deep.equal([A]), 1);
      scheduler.flush();
      expect([...watching]).to.deep.equal([]);
    });
    const unsubscribed = new Set<string>();
    recordDeliveries(NEVER, A.toUpperCase(), createMemoryTaskStore(), createTestScheduler(), unsubscribed).subscribe().unsubscribe();
    expect(unsubscribed.size).to.equal(0);
  });
});
