import { expect } from 'chai';
import { isRunwareError, RunwareApiError, RunwareDecodeError, RunwareHttpError, RunwareTimeoutError } from '../src/index.js';
import { isRetryableStatus } from '../src/errors.js';
import { TASK } from './helpers/replies.js';

describe('errors', () => {
  it('an unbound error names no task; forTask returns a copy whose message names it', () => {
    const unbound = new RunwareHttpError({ failure: 'status', status: 503, retryAfter: '2' });
    const bound = unbound.forTask(TASK);
    expect(unbound.message).to.equal('Runware request failed: HTTP 503');
    expect(unbound.taskUUID).to.equal(undefined);
    expect(bound.message).to.equal(`Runware request failed: HTTP 503 (task ${TASK})`);
    expect(bound).to.include({ taskUUID: TASK, status: 503, retryAfter: '2', failure: 'status' });
    expect(bound).to.be.instanceOf(RunwareHttpError);
  });

  it('keeps every field through forTask for each class', () => {
    const api = new RunwareApiError({ code: 'invalidWidth', serverMessage: 'bad width', status: 400, parameter: 'width', wire: { min: 256 } }).forTask(TASK);
    expect(api).to.include({ code: 'invalidWidth', status: 400, parameter: 'width', taskUUID: TASK, retryable: false });
    expect(api.wire).to.deep.equal({ min: 256 });
    const decode = new RunwareDecodeError({ issues: ['data: expected Array<DataItem>, got {}'], body: { data: {} } }).forTask(TASK);
    expect(decode).to.include({ taskUUID: TASK, retryable: true });
    expect(decode.body).to.deep.equal({ data: {} });
    const timeout = new RunwareTimeoutError({ timeout: 5000, generations: [] }).forTask(TASK);
    expect(timeout).to.include({ taskUUID: TASK, timeout: 5000, retryable: false });
  });

  it('withAttempts records the consecutive failures in the message', () => {
    expect(new RunwareHttpError({ failure: 'timeout', taskUUID: TASK }).withAttempts(6).message).to.equal(
      `Runware request failed: request timed out after 6 attempts (task ${TASK})`,
    );
  });

  it('names each class for logs and for instanceof-free checks', () => {
    const errors = [
      new RunwareApiError({ code: 'x' }),
      new RunwareHttpError({ failure: 'network' }),
      new RunwareDecodeError({ issues: [], body: '' }),
      new RunwareTimeoutError({ timeout: 1, generations: [] }),
    ];
    expect(errors.map((error) => error.name)).to.deep.equal(['RunwareApiError', 'RunwareHttpError', 'RunwareDecodeError', 'RunwareTimeoutError']);
    expect(errors.every(isRunwareError)).to.equal(true);
  });

  it('isRunwareError recognises an error of another copy of the library by name, and nothing else', () => {
    const foreign = Object.assign(new Error('from another realm'), { name: 'RunwareHttpError' });
    expect(isRunwareError(foreign)).to.equal(true);
    expect(isRunwareError(new TypeError('no'))).to.equal(false);
    expect(isRunwareError({ name: 'RunwareHttpError' })).to.equal(false);
  });

  it('retries 408, 425, 429 and 5xx only', () => {
    const statuses = [400, 401, 404, 408, 409, 425, 429, 500, 503, 599, 600];
    expect(statuses.filter(isRetryableStatus)).to.deep.equal([408, 425, 429, 500, 503, 599]);
    expect(new RunwareHttpError({ failure: 'status', status: 409 }).retryable).to.equal(false);
    expect(new RunwareHttpError({ failure: 'network' }).retryable).to.equal(true);
  });

  it('keeps its details out of JSON.stringify beyond its public fields', () => {
    const json = JSON.stringify(new RunwareApiError({ code: 'invalidApiKey', status: 401 }).forTask(TASK));
    expect(JSON.parse(json)).to.deep.equal({ name: 'RunwareApiError', taskUUID: TASK, retryable: false, code: 'invalidApiKey', status: 401 });
  });
});
