import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { imageInference, ImageInferenceTask } from '../../../src/index.js';

describe('ImageInferenceTask', () => {
  it('accepts a documented task', () => {
    expect(isRight(ImageInferenceTask.decode(imageInference({ model: 'runware:101@1', positivePrompt: '__BLANK__', outputType: 'dataURI', outputFormat: 'WEBP', numberResults: 3 })))).to.equal(true);
  });

  it('rejects a prompt outside 2 to 3000 characters and an unknown output type', () => {
    expect(isLeft(ImageInferenceTask.decode({ taskType: 'imageInference', model: 'm', positivePrompt: 'x'.repeat(3001) }))).to.equal(true);
    expect(isLeft(ImageInferenceTask.decode({ taskType: 'imageInference', model: 'm', positivePrompt: 'ok', outputType: 'file' }))).to.equal(true);
  });
});
