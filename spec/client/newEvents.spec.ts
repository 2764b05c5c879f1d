import { expect } from 'chai';
import { newEvents } from '../../src/client/newEvents.js';
import type { GenerationEvent } from '../../src/index.js';

const TASK = '0b5a2c1e-3f4d-4e6a-9b7c-8d9e0f1a2b3c';
const at = (index: number, progress: number): GenerationEvent => ({ status: 'processing', taskUUID: TASK, taskType: 'videoInference', index, progress });
const failed = (index: number): GenerationEvent => ({ status: 'error', taskUUID: TASK, index, error: { code: 'c', message: 'm' } });

describe('newEvents', () => {
  it('passes each change once per generation and nothing after its terminal event', () => {
    const isNew = newEvents();
    const events = [at(0, 10), at(0, 10), at(1, 10), at(0, 20), at(0, 10), failed(0), at(0, 30), failed(0), failed(1)];
    expect(events.map(isNew)).to.deep.equal([true, false, true, true, true, true, false, false, true]);
  });
});
