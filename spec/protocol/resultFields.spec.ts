import { expect } from 'chai';
import { generationIdentity, hasOutput } from '../../src/protocol/resultFields.js';

describe('resultFields', () => {
  describe('hasOutput', () => {
    const cases: Array<[string, Record<string, unknown>, boolean]> = [
      ['a media URL', { videoURL: 'u' }, true],
      ['base64 data', { imageBase64Data: 'x' }, true],
      ['a data URI', { audioDataURI: 'data:' }, true],
      ['a mask image', { maskImageURL: 'u' }, true],
      ['a guide image', { guideImageDataURI: 'data:' }, true],
      ['outputs.files', { outputs: { files: [{ url: 'u' }] } }, true],
      ['empty outputs.files', { outputs: { files: [] } }, false],
      ['text', { text: 'hello' }, true],
      ['structuredData', { structuredData: {} }, true],
      ['air', { air: 'user:1@1' }, true],
      ['detections', { detections: [] }, true],
      ['only an id and progress (a progress frame)', { imageUUID: 'i', progress: 40 }, false],
      ['a webhook URL echoed back', { webhookURL: 'https://hooks.test' }, false],
      ['an empty URL', { imageURL: '' }, false],
    ];
    for (const [name, item, expected] of cases) {
      it(name, () => expect(hasOutput({ taskUUID: 't', ...item })).to.equal(expected));
    }
  });

  describe('generationIdentity', () => {
    const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
      ['a video UUID, whatever the case', { videoUUID: 'ABC', videoURL: 'u' }, 'videoUUID:abc'],
      ['the most specific id first', { videoUUID: 'v', imageUUID: 'i' }, 'videoUUID:v'],
      ['a mask image UUID', { maskImageUUID: 'm', inputImageUUID: 'in' }, 'maskImageUUID:m'],
      ['the UUIDs of outputs.files', { outputs: { files: [{ uuid: 'a' }, { uuid: 'b' }] } }, 'files:a,b'],
      ['a trained model AIR', { air: 'user:1@1' }, 'air:user:1@1'],
      ['resultIndex last', { resultIndex: 2, imageURL: 'u' }, 'resultIndex:2'],
      ['never a URL or a message', { imageURL: 'u', message: 'm' }, undefined],
    ];
    for (const [name, item, expected] of cases) {
      it(name, () => expect(generationIdentity(item)).to.equal(expected));
    }
  });
});
