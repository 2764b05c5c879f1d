import { expect } from 'chai';
import { pushedReply } from '../../src/push/pushedReply.js';
import { embeddedFailureItem, failureItem, successItem, TASK } from '../helpers/replies.js';

const A = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

describe('pushedReply', () => {
  it('puts a flat task object under data, as a poll lists it', () => {
    expect(pushedReply(successItem(A), TASK)).to.deep.equal({ data: [successItem(A)] });
    expect(pushedReply(embeddedFailureItem('taskFailed'), TASK)).to.deep.equal({ data: [embeddedFailureItem('taskFailed')] });
  });

  it('puts a flat error item under errors', () => {
    expect(pushedReply(failureItem('providerError'), TASK)).to.deep.equal({ errors: [failureItem('providerError')] });
    const { status: _status, ...statusless } = failureItem('timeout');
    expect(pushedReply(statusless, TASK)).to.deep.equal({ errors: [statusless] });
  });

  it('keeps an envelope, giving its items that name no task the task of the URL', () => {
    const { taskUUID: _task, ...anonymous } = successItem(A);
    expect(pushedReply({ data: [anonymous], errors: [failureItem('timeout')] }, TASK)).to.deep.equal({ data: [successItem(A)], errors: [failureItem('timeout')] });
    expect(pushedReply({ ...anonymous, taskUUID: null }, TASK)).to.deep.equal({ data: [successItem(A)] });
    expect(pushedReply({ error: { code: 'x' } }, TASK)).to.deep.equal({ error: { code: 'x' } });
  });

  it('returns anything else unchanged, for the decoder to refuse', () => {
    for (const body of ['text', 3, null, [successItem(A)]]) expect(pushedReply(body, TASK)).to.equal(body);
  });
});
