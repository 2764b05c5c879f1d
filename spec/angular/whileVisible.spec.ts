import { expect } from 'chai';
import type { GenerationEvent } from '../../src/index.js';
import { documentVisible, whileVisible } from '../../src/angular/whileVisible.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
const at = (progress: number): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0, progress });
const done: GenerationEvent = { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: { taskType: 'videoInference', taskUUID: TASK, status: 'success' } };

describe('whileVisible', () => {
  it('polls only while visible: hidden ends the watch, visible starts a new one, repeats are dropped', () => {
    createTestScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const visible = hot('t---f---t', { t: true, f: false });
      const watch = cold<GenerationEvent>('-a-b-----(c|)', { a: at(10), b: at(20), c: done });
      // The second watch replays 10 and 20 at first: 20 equals the last shown (dropped), 10 does not.
      const second = cold<GenerationEvent>('-b-c|', { b: at(20), c: done });
      let runs = 0;
      expectObservable(whileVisible(() => ((runs += 1) === 1 ? watch : second), visible)).toBe('-a-b-------c|', { a: at(10), b: at(20), c: done });
      expectSubscriptions(watch.subscriptions).toBe('^---!');
      expectSubscriptions(second.subscriptions).toBe('--------^---!');
    });
  });

  it('passes a terminal event once even when a new watch shows it again', () => {
    createTestScheduler().run(({ cold, hot, expectObservable }) => {
      const visible = hot('t-f-t', { t: true, f: false });
      const first = cold<GenerationEvent>('-c', { c: done });
      const again = cold<GenerationEvent>('-c', { c: done });
      let runs = 0;
      expectObservable(whileVisible(() => ((runs += 1) === 1 ? first : again), visible)).toBe('-c----', { c: done });
    });
  });
});

describe('documentVisible', () => {
  it('gives the state, then each change, from visibilitychange', () => {
    const listeners: Array<() => void> = [];
    const page = {
      visibilityState: 'visible' as DocumentVisibilityState,
      addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
      removeEventListener: () => undefined,
    };
    const seen: boolean[] = [];
    const subscription = documentVisible(page as unknown as Document).subscribe((visible) => seen.push(visible));
    page.visibilityState = 'hidden';
    for (const listener of listeners) listener();
    for (const listener of listeners) listener();
    page.visibilityState = 'visible';
    for (const listener of listeners) listener();
    subscription.unsubscribe();
    expect(seen).to.deep.equal([true, false, true]);
  });
});
