import { expect } from 'chai';
import { ackResults } from '../../src/client/ackResults.js';
import { ASYNC_ACK, FIXTURE_TASK_UUID as TASK, success } from '../../src/testing/index.js';

const RULES = { progress: false, failFast: false };

describe('ackResults', () => {
  it('is undefined for the documented ack (F1: taskType and taskUUID only), for {data: []} and for an inferred ack', () => {
    expect(ackResults(TASK, ASYNC_ACK, RULES, 1)).to.equal(undefined);
    expect(ackResults(TASK, { data: [] }, RULES, 1)).to.equal(undefined);
    expect(ackResults(TASK, undefined, RULES, 1)).to.equal(undefined);
  });

  it('folds a submit reply that already holds a result like a first poll', () => {
    const folded = ackResults(TASK, { data: [success({ videoUUID: 'v1' }), { taskType: 'videoInference', taskUUID: TASK, status: 'processing' }] }, RULES, 2);
    expect(folded?.events.map((event) => `${event.index}:${event.status}`)).to.deep.equal(['0:success', '1:processing']);
  });

  it('leaves a refusal to the submit (a resend answered with conflictTaskUUID)', () => {
    const conflict = { errors: [{ code: 'conflictTaskUUID', message: 'taken', parameter: 'taskUUID', taskUUID: TASK }] };
    expect(ackResults(TASK, conflict, RULES, 1)).to.equal(undefined);
  });
});
