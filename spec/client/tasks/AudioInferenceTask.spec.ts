import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { audioInference, AudioInferenceTask } from '../../../src/index.js';
import { validateTask } from '../../../src/client/tasks/RunwareTask.js';
import { RunwareValidationError } from '../../../src/errors/RunwareValidationError.js';

describe('AudioInferenceTask', () => {
  it('accepts a task built by audioInference, with its taskType', () => {
    const task = audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'rain on a tin roof', duration: 10, outputFormat: 'WAV', numberResults: 2 });
    expect(task.taskType).to.equal('audioInference');
    expect(isRight(AudioInferenceTask.decode(task))).to.equal(true);
  });

  it('rejects a duration under 1 s, an unknown format and a fractional numberResults', () => {
    const task = { taskType: 'audioInference', model: 'm', positivePrompt: 'ok' };
    expect(isLeft(AudioInferenceTask.decode({ ...task, duration: 0 }))).to.equal(true);
    expect(isLeft(AudioInferenceTask.decode({ ...task, outputFormat: 'AAC' }))).to.equal(true);
    expect(isLeft(AudioInferenceTask.decode({ ...task, numberResults: 1.5 }))).to.equal(true);
  });

  it('is the codec the client checks audioInference tasks with', () => {
    expect(() => validateTask({ taskType: 'audioInference', model: 'm', outputFormat: 'AAC' })).to.throw(RunwareValidationError, /outputFormat/);
  });
});
