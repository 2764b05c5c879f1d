import { expect } from 'chai';
import { cadenceKey } from '../../src/cadence/cadenceKey.js';

describe('cadenceKey', () => {
  const cases: Array<[string, Parameters<typeof cadenceKey>[0], string]> = [
    ['taskType and model', { taskType: 'imageInference', model: 'runware:101@1' }, 'imageInference|runware:101@1'],
    ['duration', { taskType: 'videoInference', model: 'klingai:5@3', duration: 5 }, 'videoInference|klingai:5@3|5s'],
    ['fractional duration', { taskType: 'videoInference', model: 'm', duration: 2.5 }, 'videoInference|m|2.5s'],
    ['every time-changing parameter, in a fixed order', { steps: 30, height: 720, width: 1280, fps: 24, duration: 10, model: 'm', taskType: 'videoInference' }, 'videoInference|m|10s|24fps|1280x720|30steps'],
    ['a resolution needs both width and height', { taskType: 'videoInference', model: 'm', width: 1280 }, 'videoInference|m'],
    ['a parameter that is not a finite number is left out', { taskType: 'videoInference', model: 'm', duration: '5', steps: Number.NaN }, 'videoInference|m'],
    ['no model', { taskType: 'audioInference' }, 'audioInference|'],
  ];
  for (const [name, params, key] of cases) {
    it(`${name}: ${key}`, () => {
      expect(cadenceKey(params)).to.equal(key);
    });
  }

  it('ignores what does not change how long a generation takes: prompt, seed, numberResults, output options', () => {
    const base = { taskType: 'videoInference', model: 'm', duration: 5 };
    const noisy = { ...base, positivePrompt: 'a fox', seed: 7, numberResults: 4, outputFormat: 'MP4', taskUUID: 'x' };
    expect(cadenceKey(noisy)).to.equal(cadenceKey(base));
  });
});
