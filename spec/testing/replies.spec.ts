import { expect } from 'chai';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import { embeddedFailure, failure, FIXTURE_TASK_UUID, processing, repliesFor, reply, success } from '../../src/testing/replies.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('testing/replies', () => {
  it('builds a processing item without any media UUID, as Runware sends it', () => {
    expect(processing()).to.deep.equal({ taskType: 'videoInference', taskUUID: FIXTURE_TASK_UUID, status: 'processing' });
    expect(processing({ progress: 30, taskType: 'imageInference' })).to.include({ progress: 30, taskType: 'imageInference' });
  });

  it('gives each generation of a task its own stable videoUUID and a URL built from it', () => {
    const first = success();
    expect(first['videoUUID']).to.match(UUID_V4);
    expect(first['videoURL']).to.equal(`https://im.runware.ai/video/ws/0.5/vi/${String(first['videoUUID'])}.mp4`);
    expect(success()['videoUUID']).to.equal(first['videoUUID']);
    expect(success({ generation: 1 })['videoUUID']).to.not.equal(first['videoUUID']);
    expect(success({ taskUUID: '0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01' })['videoUUID']).to.not.equal(first['videoUUID']);
    expect(success({ generation: 1 })).to.not.have.property('generation');
  });

  it('keeps an explicit videoUUID and any extra wire field', () => {
    const item = success({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71', cost: 0.18 });
    expect(item).to.include({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71', cost: 0.18, status: 'success' });
    expect(item['videoURL']).to.contain('b7db282d-2943-4f12-992f-77df3ad3ec71');
  });

  it('builds both failure shapes', () => {
    expect(failure('timeoutProvider')).to.include({ code: 'timeoutProvider', status: 'error', taskUUID: FIXTURE_TASK_UUID });
    expect(failure('timeoutProvider')).to.not.have.property('taskType');
    expect(embeddedFailure('safety', { taskType: 'imageInference' })).to.deep.include({
      status: 'error',
      taskType: 'imageInference',
      error: { code: 'safety', message: 'Simulated failure: safety.' },
    });
  });

  it('sorts items into data and errors, keeping their order, and the result decodes', () => {
    const body = reply(success(), failure('timeoutProvider'), processing(), embeddedFailure('safety'));
    expect(body.data?.map((item) => item.status)).to.deep.equal(['success', 'processing', 'error']);
    expect(body.errors?.map((item) => item.code)).to.deep.equal(['timeoutProvider']);
    expect(reply(processing())).to.not.have.property('errors');
    expect(reply(failure('taskNotFound')).data).to.deep.equal([]);
    expect(() => decodeReply(body)).to.not.throw();
  });

  it('binds every builder to one task and type with repliesFor, overrides still winning', () => {
    const task = '0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01';
    const image = repliesFor(task, 'imageInference');
    expect(image.processing()).to.deep.equal({ taskType: 'imageInference', taskUUID: task, status: 'processing' });
    expect(image.success()['videoUUID']).to.equal(success({ taskUUID: task })['videoUUID']);
    expect(image.failure('timeoutProvider')).to.include({ taskUUID: task, taskType: 'imageInference', code: 'timeoutProvider' });
    expect(image.embeddedFailure('safety', { taskType: 'videoInference' })).to.include({ taskUUID: task, taskType: 'videoInference' });
    expect(image.reply(image.processing(), image.failure('x'))).to.deep.equal(reply(image.processing(), image.failure('x')));
  });
});
