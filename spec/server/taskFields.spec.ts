import { expect } from 'chai';
import { isNeverForwarded, taskFields } from '../../src/server/taskFields.js';

describe('taskFields', () => {
  it("lists a documented type's codec fields and the app's extras, never the fields that send results elsewhere", () => {
    const image = taskFields('imageInference', ['lora']);
    for (const field of ['taskType', 'taskUUID', 'model', 'positivePrompt', 'width', 'numberResults', 'outputFormat', 'includeCost', 'lora']) expect(image.has(field), field).to.equal(true);
    for (const field of ['webhookURL', 'uploadEndpoint', 'apiKey', '__proto__', 'duration']) expect(image.has(field), field).to.equal(false);
    expect(taskFields('audioInference', []).has('audioSettings')).to.equal(true);
  });

  it('gives a type without a codec only the base fields and the extras', () => {
    expect([...taskFields('imageUpscale', ['inputImage', 'webhookURL'])]).to.deep.equal(['taskType', 'taskUUID', 'model', 'deliveryMethod', 'numberResults', 'inputImage']);
  });

  it('knows the fields never forwarded in any letter case', () => {
    expect(['WEBHOOKURL', 'webhookUrl', 'UploadEndpoint', 'APIKEY', '__proto__', 'constructor'].every(isNeverForwarded)).to.equal(true);
    expect(isNeverForwarded('positivePrompt')).to.equal(false);
  });
});
