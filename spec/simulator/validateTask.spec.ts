import { expect } from 'chai';
import { validateInference } from '../../src/simulator/validateTask.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const base = { taskType: 'videoInference', taskUUID: TASK, model: 'klingai:5@3', positivePrompt: 'a fox in snow' };

describe('simulator validateTask', () => {
  it('accepts a minimal video task with the documented defaults (async, 1 result, no cost)', () => {
    const result = validateInference(base, 'videoInference');
    expect(result.ok && result.request).to.deep.include({ numberResults: 1, deliveryMethod: 'async', includeCost: false, seed: undefined });
  });

  it('defaults image tasks to sync delivery, as documented', () => {
    const result = validateInference({ ...base, taskType: 'imageInference' }, 'imageInference');
    expect(result.ok && result.request.deliveryMethod).to.equal('sync');
  });

  const refusals: Array<[Record<string, unknown>, string, string]> = [
    [{ ...base, taskUUID: undefined }, 'missingTaskUUID', 'taskUUID'],
    [{ ...base, taskUUID: 'abc' }, 'invalidTaskUUID', 'taskUUID'],
    [{ ...base, model: 'kling' }, 'invalidModel', 'model'],
    [{ ...base, positivePrompt: 'a' }, 'invalidPositivePrompt', 'positivePrompt'],
    [{ ...base, numberResults: 2.5 }, 'invalidNumberResults', 'numberResults'],
    [{ ...base, deliveryMethod: 'stream' }, 'invalidDeliveryMethod', 'deliveryMethod'],
    [{ ...base, includeCost: 'yes' }, 'invalidIncludeCost', 'includeCost'],
    [{ ...base, seed: -1 }, 'invalidSeed', 'seed'],
    [{ ...base, simulate: { duration: -5 } }, 'invalidSimulate', 'simulate.duration'],
    [{ ...base, simulate: { failureShape: 'sideways' } }, 'invalidSimulate', 'simulate.failureShape'],
    [{ ...base, simulate: { text: 42 } }, 'invalidSimulate', 'simulate.text'],
    [{ ...base, simulate: { resultInAck: 'yes' } }, 'invalidSimulate', 'simulate.resultInAck'],
  ];
  for (const [task, code, parameter] of refusals) {
    it(`refuses with ${code} on ${parameter}`, () => {
      const result = validateInference(task, 'videoInference');
      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.error).to.include({ code, parameter });
        expect(result.error['documentation']).to.match(/^https:\/\/runware\.ai\/docs\/en\/video-inference\/api-reference#request-/);
      }
    });
  }
});
