import { expect } from 'chai';
import { isRunwareError, RunwareApiError, RunwareDecodeError, RunwareError, RunwareHttpError, RunwareTimeoutError, RunwareValidationError } from '../src/index.js';
import { isRetryableStatus } from '../src/errors/RunwareHttpError.js';
import { FIXTURE_TASK_UUID as TASK } from '../src/testing/index.js';

const OTHER_TASK = '019c42a0-c3ff-7138-be83-ee257abc5331';

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

  it('isRunwareError recognises an error of another copy of the library by its mark, and nothing that only looks like one', async () => {
    // A second instance of the base module, as a second bundle or a nested node_modules would load it.
    const specifier = '../src/errors/RunwareError.js?second-copy';
    const copy = (await import(specifier)) as typeof import('../src/errors/RunwareError.js');
    expect(copy.RunwareError).to.not.equal(RunwareError);
    class CopiedHttpError extends copy.RunwareError {
      override readonly name = 'RunwareHttpError';
      readonly retryable = true;
      constructor() {
        super('Runware request failed: network failure', {});
      }
    }
    const foreign = new CopiedHttpError();
    expect(foreign instanceof RunwareError).to.equal(false);
    expect(isRunwareError(foreign)).to.equal(true);
    expect(isRunwareError(Object.assign(new Error('look-alike'), { name: 'RunwareHttpError' }))).to.equal(false);
    expect(isRunwareError(new TypeError('no'))).to.equal(false);
    expect(isRunwareError({ name: 'RunwareHttpError' })).to.equal(false);
    expect(isRunwareError(null)).to.equal(false);
  });

  it('the base class makes forTask and withAttempts copies of the same class, from the details it holds once', () => {
    const errors: RunwareError[] = [
      new RunwareApiError({ code: 'taskNotFound', status: 400, cause: 'root' }),
      new RunwareHttpError({ failure: 'status', status: 503, retryAfter: '2', cause: 'root' }),
      new RunwareDecodeError({ issues: ['body: expected JSON, got "<html>"'], body: '<html>', cause: 'root' }),
      new RunwareTimeoutError({ timeout: 5000, generations: [], cause: 'root' }),
      new RunwareValidationError({ taskType: 'videoInference', issues: ['duration: expected number'], cause: 'root' }),
    ];
    for (const error of errors) {
      const bound = error.forTask(TASK);
      expect(bound, error.name).to.be.instanceOf(error.constructor).and.not.equal(error);
      expect(bound.taskUUID).to.equal(TASK);
      expect(bound.message).to.equal(`${error.message} (task ${TASK})`);
      expect(bound.cause).to.equal('root');
      expect({ ...bound, taskUUID: undefined }).to.deep.equal({ ...error }); // every public field kept
      expect(bound.forTask(OTHER_TASK).message).to.equal(`${error.message} (task ${OTHER_TASK})`);
    }
  });

  it('has every field of its class as its own, absent ones included, in the order its class declares them', () => {
    const fields = (error: RunwareError): string[] => Object.keys(error);
    expect(fields(new RunwareApiError({ code: 'taskNotFound' }))).to.deep.equal(['name', 'taskUUID', 'retryable', 'code', 'status', 'parameter', 'documentation', 'wire', 'body']);
    expect(fields(new RunwareHttpError({ failure: 'network' }).withAttempts(2))).to.deep.equal([
      'name', 'taskUUID', 'retryable', 'failure', 'status', 'retryAfter', 'attempts', 'location', 'code', 'serverMessage', 'body',
    ]);
    expect(fields(new RunwareDecodeError({ issues: [], body: undefined }))).to.deep.equal(['name', 'taskUUID', 'retryable', 'issues', 'body', 'attempts']);
    expect(fields(new RunwareTimeoutError({ timeout: 1, generations: [] }).forTask(TASK))).to.deep.equal(['name', 'taskUUID', 'retryable', 'timeout', 'generations']);
    expect(fields(new RunwareValidationError({ taskType: undefined, issues: [] }))).to.deep.equal(['name', 'taskUUID', 'retryable', 'taskType', 'issues']);
  });

  it('withAttempts counts for the transient kinds only; the others return themselves', () => {
    const http = new RunwareHttpError({ failure: 'network', taskUUID: TASK }).withAttempts(2);
    expect([http.attempts, http.message]).to.deep.equal([2, `Runware request failed: network failure after 2 attempts (task ${TASK})`]);
    const decode = new RunwareDecodeError({ issues: ['data: expected Array<DataItem>, got {}'], body: {} }).withAttempts(1);
    expect([decode.attempts, decode.message]).to.deep.equal([1, 'Runware reply could not be read after 1 attempt: data: expected Array<DataItem>, got {}']);
    const refusal = new RunwareApiError({ code: 'invalidApiKey', status: 401 });
    expect(refusal.withAttempts(3)).to.equal(refusal);
    const timeout = new RunwareTimeoutError({ timeout: 1, generations: [] });
    expect(timeout.withAttempts(3)).to.equal(timeout);
  });

  it('speaks in one voice: "Runware <what happened>: <details>"', () => {
    const messages = [
      new RunwareApiError({ code: 'invalidApiKey', serverMessage: 'Invalid API key', status: 401 }).message,
      new RunwareHttpError({ failure: 'timeout' }).message,
      new RunwareDecodeError({ issues: ['body: expected JSON, got an empty body'], body: '' }).message,
      new RunwareTimeoutError({ timeout: 60_000, generations: [] }).message,
      new RunwareValidationError({ taskType: undefined, issues: ['taskType: expected a non-empty string'] }).message,
    ];
    expect(messages).to.deep.equal([
      'Runware refused the request: HTTP 401 invalidApiKey: Invalid API key',
      'Runware request failed: request timed out',
      'Runware reply could not be read: body: expected JSON, got an empty body',
      'Runware task not finished within 60000 ms: 0 generations known, 0 still processing',
      'Runware task not sent: invalid task: taskType: expected a non-empty string',
    ]);
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
