import { expect } from 'chai';
import { RunwareApiError } from '../../src/index.js';
import type { ErrorItem } from '../../src/protocol/codecs.js';
import { FINAL_CODES, isRequestLevel, isTransientCode, requestErrorFromWire, TRANSIENT_CODES } from '../../src/protocol/errorScope.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

describe('errorScope', () => {
  describe('isRequestLevel', () => {
    const cases: Array<[string, ErrorItem, boolean]> = [
      ['no taskUUID', { code: 'anything' }, true],
      ['the authentication task', { code: 'invalidApiKey', taskType: 'authentication', taskUUID: TASK }, true],
      ['a field of the poll itself', { code: 'invalidTaskUUID', parameter: 'taskUUID', taskUUID: TASK }, true],
      ['a code that says the task cannot be watched', { code: 'taskExpired', taskUUID: TASK }, true],
      ['status "error", whatever else', { code: 'taskNotFound', status: 'error' }, false],
      ['tagged getResponse (the response echoes the request)', { code: 'providerError', taskType: 'getResponse', taskUUID: TASK }, false],
      ['a field of the task, on a poll', { code: 'invalidWidth', parameter: 'width', taskUUID: TASK }, false],
      ['a transient code naming the task: a failed generation', { code: 'timeout', taskUUID: TASK }, false],
    ];
    for (const [name, item, expected] of cases) {
      it(name, () => expect(isRequestLevel(item)).to.equal(expected));
    }
  });

  it('classifies server-side codes as transient, the rest as final', () => {
    expect(['serverError', 'internalServerError', 'serviceUnavailable', 'timeout'].every(isTransientCode)).to.equal(true);
    expect(['invalidApiKey', 'taskNotFound', 'unknownError', 'providerError'].some(isTransientCode)).to.equal(false);
    expect([...TRANSIENT_CODES].filter((code) => FINAL_CODES.has(code))).to.deep.equal([]); // a code means one thing
    expect(['constructor', 'toString', '__proto__'].some((code) => isTransientCode(code) || isRequestLevel({ code, taskUUID: TASK }))).to.equal(false);
  });

  it('builds a retryable RunwareApiError for a transient code on a 200 only, keeping the wire item', () => {
    const item = { code: 'serverError', message: 'Internal error', extra: 1 };
    expect(requestErrorFromWire(item)).to.be.instanceOf(RunwareApiError).and.include({ code: 'serverError', retryable: true, status: 200 });
    expect(requestErrorFromWire(item, 400).retryable).to.equal(false);
    expect(requestErrorFromWire({ code: 'invalidApiKey' }).retryable).to.equal(false);
    expect(requestErrorFromWire(item).wire).to.deep.equal(item);
    expect(requestErrorFromWire({ code: 'c', parameter: ['width', 'height'] }).parameter).to.equal('width, height');
  });

  it("keeps a refused reply's body, and its status text where the item has no message", () => {
    const body = { errors: [{ code: 'invalidApiKey' }], data: [] };
    const refused = requestErrorFromWire({ code: 'invalidApiKey' }, 401, body, 'Unauthorized');
    expect(refused).to.include({ message: 'Runware refused the request: HTTP 401 invalidApiKey: Unauthorized', body, status: 401 });
    expect(requestErrorFromWire({ code: 'c', message: 'own words' }, 400, body, 'Bad Request').message).to.equal('Runware refused the request: HTTP 400 c: own words');
    expect(requestErrorFromWire({ code: 'c' }).body).to.equal(undefined);
  });
});
