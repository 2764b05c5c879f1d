import { expect } from 'chai';
import { isTerminal, type GenerationEvent } from '../src/index.js';
import { TASK } from './helpers/replies.js';

describe('isTerminal', () => {
  const base = { taskUUID: TASK, taskType: 'videoInference', index: 0 };
  const cases: Array<[GenerationEvent, boolean]> = [
    [{ ...base, status: 'processing' }, false],
    [{ ...base, status: 'success', result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'v1' } }, true],
    [{ ...base, status: 'error', error: { code: 'timeoutProvider', message: 'late' } }, true],
  ];
  for (const [event, expected] of cases) {
    it(`is ${String(expected)} for ${event.status}`, () => {
      expect(isTerminal(event)).to.equal(expected);
    });
  }
});
