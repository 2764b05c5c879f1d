import { expect } from 'chai';
import { of } from 'rxjs';
import { watchTask } from '../src/index.js';
import { createTestScheduler } from './helpers/marbles.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const processing = { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'processing' }] };
const success = { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71', videoURL: 'https://x/v.mp4' }] };

describe('watchTask', () => {
  it('polls with growing gaps and completes right after the last generation finishes', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const replies = [processing, processing, success];
      let call = 0;
      const watch = watchTask(TASK, {
        transport: () => of(replies[call++]),
        scheduler,
        initialDelay: 0,
        interval: 10,
        multiplier: 2,
        maxInterval: 40,
        jitter: 0,
      });
      expectObservable(watch).toBe('a 29ms (b|)', {
        a: { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 },
        b: { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: success.data[0] },
      });
    });
    expect(true).to.equal(true);
  });
});
