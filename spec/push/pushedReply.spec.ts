import { expect } from 'chai';
import { pushedReply } from '../../src/push/pushedReply.js';
import { embeddedFailure, failure, FIXTURE_TASK_UUID as TASK, success } from '../../src/testing/index.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

describe('pushedReply', () => {
  it('puts a flat task object under data, as a poll lists it', () => {
    expect(pushedReply(success({ videoUUID: A }), TASK)).to.deep.equal({ data: [success({ videoUUID: A })] });
    expect(pushedReply(embeddedFailure('taskFailed'), TASK)).to.deep.equal({ data: [embeddedFailure('taskFailed')] });
  });

  it('puts a flat error item under errors', () => {
    expect(pushedReply(failure('providerError'), TASK)).to.deep.equal({ errors: [failure('providerError')] });
    const { status: _status, ...statusless } = failure('timeout');
    expect(pushedReply(statusless, TASK)).to.deep.equal({ errors: [statusless] });
  });

  it('keeps an envelope, giving its items that name no task the task of the URL', () => {
    const { taskUUID: _task, ...anonymous } = success({ videoUUID: A });
    expect(pushedReply({ data: [anonymous], errors: [failure('timeout')] }, TASK)).to.deep.equal({ data: [success({ videoUUID: A })], errors: [failure('timeout')] });
    expect(pushedReply({ ...anonymous, taskUUID: null }, TASK)).to.deep.equal({ data: [success({ videoUUID: A })] });
    expect(pushedReply({ error: { code: 'x' } }, TASK)).to.deep.equal({ error: { code: 'x' } });
  });

  it('returns anything else unchanged, for the decoder to refuse', () => {
    for (const body of ['text', 3, null, [success({ videoUUID: A })]]) expect(pushedReply(body, TASK)).to.equal(body);
  });
});
