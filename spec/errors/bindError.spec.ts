import { expect } from 'chai';
import { bindError } from '../../src/errors/bindError.js';
import { RunwareApiError, RunwareHttpError } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK } from '../../src/testing/index.js';

const OTHER_TASK = '019c42a0-c3ff-7138-be83-ee257abc5331';

describe('bindError', () => {
  it('binds an unbound RunwareError to the task, as a copy', () => {
    const unbound = new RunwareApiError({ code: 'invalidApiKey', status: 401 });
    const bound = bindError(unbound, TASK);
    expect(bound).to.be.instanceOf(RunwareApiError).and.include({ taskUUID: TASK, code: 'invalidApiKey' });
    expect(unbound.taskUUID).to.equal(undefined);
  });

  it('keeps an error already bound to this task, and rebinds one bound to another (a batched reply)', () => {
    const mine = new RunwareHttpError({ failure: 'network', taskUUID: TASK });
    expect(bindError(mine, TASK)).to.equal(mine);
    expect(bindError(new RunwareHttpError({ failure: 'network', taskUUID: OTHER_TASK }), TASK).taskUUID).to.equal(TASK);
  });

  it('turns a foreign error from a custom transport into a transient network failure, keeping it as the cause', () => {
    const foreign = new Error('socket hang up');
    const bound = bindError(foreign, TASK);
    expect(bound).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'network', retryable: true, taskUUID: TASK });
    expect(bound.cause).to.equal(foreign);
  });
});
