import { expect } from 'chai';
import { RunwareDecodeError } from '../../src/errors/RunwareDecodeError.js';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import {
  ASYNC_ACK,
  VALIDATION_ERROR,
  VIDEO_FAILED,
  VIDEO_PROCESSING,
  VIDEO_SUCCESS,
  AUTH_ERROR,
  SDK_MOCK_EMBEDDED_FAILURE,
  SDK_MOCK_FAILURE_WITHOUT_STATUS,
  SDK_MOCK_PROGRESS,
} from '../../src/testing/fixtures.js';

// F5, the real capture: like F2 but with an empty data[] beside errors[].
const F5 = { data: [], errors: [{ ...VALIDATION_ERROR.errors?.[0], code: 'invalidWidth', min: 256, max: 16383 }] };

describe('decodeReply', () => {
  describe('accepts', () => {
    for (const [name, fixture] of Object.entries({ ASYNC_ACK, VALIDATION_ERROR, VIDEO_PROCESSING, VIDEO_SUCCESS, VIDEO_FAILED, F5, AUTH_ERROR, SDK_MOCK_EMBEDDED_FAILURE, SDK_MOCK_PROGRESS, SDK_MOCK_FAILURE_WITHOUT_STATUS })) {
      it(`fixture ${name}, keeping every field`, () => {
        expect(decodeReply(fixture)).to.deep.equal(fixture);
      });
    }
    it('a reply without nulls or legacy keys as it is, without a copy', () => {
      const reply = { data: [{ taskUUID: 'u1', status: 'processing', progress: 30, extra: { nested: [1, 'a', true] } }], errors: [{ code: 'x', taskUUID: 'u2' }] };
      expect(decodeReply(reply)).to.equal(reply);
    });
    it('a reply with failures (an embedded error, a parameter list) as it is, without a copy: the fast path reads every codec', () => {
      const reply = {
        data: [{ taskUUID: 'u1', status: 'error', error: { code: 'x', message: 'm', parameter: 'width' }, outputs: { files: [{ uuid: 'f' }] } }],
        errors: [{ code: 'incompatibleParameters', taskUUID: 'u2', parameter: ['width', 'height'], resultIndex: 0 }],
      };
      expect(decodeReply(reply)).to.equal(reply);
    });
    it('a progress value and unknown future fields', () => {
      const reply = { data: [{ taskUUID: 'u1', status: 'processing', progress: 30, queuePosition: 4 }] };
      expect(decodeReply(reply)).to.deep.equal(reply);
    });
  });

  describe('reads tolerantly what the official clients read', () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['null as absent', { data: [{ taskUUID: 'u', status: 'success', cost: null, seed: null, NSFWContent: null, imageURL: 'a' }] }, { data: [{ taskUUID: 'u', status: 'success', imageURL: 'a' }] }],
      ['an item without taskUUID, left out', { data: [{ status: 'processing' }, { taskUUID: 'u' }] }, { data: [{ taskUUID: 'u' }] }],
      ['an error without code', { errors: [{ message: 'x' }] }, { errors: [{ code: 'unknownError', message: 'x' }] }],
      ['a nested error without code', { data: [{ taskUUID: 'u', status: 'error', error: {} }] }, { data: [{ taskUUID: 'u', status: 'error', error: { code: 'unknownError' } }] }],
      ['parameter as an array', { errors: [{ code: 'incompatibleParameters', parameter: ['width', 'height'] }] }, { errors: [{ code: 'incompatibleParameters', parameter: ['width', 'height'] }] }],
      ['the legacy singular error, an object with the task beside it', { error: { code: 'serverError', message: 'x' }, taskUUID: 'u' }, { errors: [{ code: 'serverError', message: 'x', taskUUID: 'u' }] }],
      ['the legacy singular error, a list', { error: [{ code: 'a' }, { code: 'b' }] }, { errors: [{ code: 'a' }, { code: 'b' }] }],
      ['the 2024 error shape', { error: true, errorId: 19, errorMessage: 'Invalid api key' }, { errors: [{ code: 'unknownError', message: 'Invalid api key', errorId: 19 }] }],
      // Nulls where the fast path's one walk must see them: in unknown fields, nested, beside valid lists.
      ['null in an unknown field of an item, nested', { data: [{ taskUUID: 'u', status: 'processing', extra: { deep: [{ gone: null, kept: 1 }] } }] }, { data: [{ taskUUID: 'u', status: 'processing', extra: { deep: [{ kept: 1 }] } }] }],
      ['null in a nested error', { data: [{ taskUUID: 'u', status: 'error', error: { code: 'x', detail: { a: null } } }] }, { data: [{ taskUUID: 'u', status: 'error', error: { code: 'x', detail: {} } }] }],
      ['null in an errors[] item', { errors: [{ code: 'x', taskUUID: 'u', documentation: null }] }, { errors: [{ code: 'x', taskUUID: 'u' }] }],
      ['null in a file of outputs', { data: [{ taskUUID: 'u', outputs: { files: [{ uuid: 'f', url: null }] } }] }, { data: [{ taskUUID: 'u', outputs: { files: [{ uuid: 'f' }] } }] }],
      ['null beside the lists', { data: [{ taskUUID: 'u' }], meta: { requestId: null } }, { data: [{ taskUUID: 'u' }] }],
      ['extra fields on an error', { errors: [{ code: 'providerError', responseContent: { detail: 'x' } }] }, { errors: [{ code: 'providerError', responseContent: { detail: 'x' } }] }],
    ];
    for (const [name, input, expected] of cases) {
      it(name, () => expect(decodeReply(input)).to.deep.equal(expected));
    }
  });

  describe('rejects, naming the path', () => {
    const cases: Array<[string, unknown, string]> = [
      ['null', null, 'body: expected an object with data or errors, got null'],
      ['an array', [], 'body: expected an object with data or errors, got []'],
      ['a string', 'oops', 'body: expected an object with data or errors, got "oops"'],
      ['neither data nor errors', { result: 1 }, 'body: expected data or errors, found neither'],
      ['data not an array', { data: {} }, 'data: expected Array<DataItem>, got {}'],
      ['a taskUUID that is not a string', { data: [{ taskUUID: 42, status: 'processing' }] }, 'data.0.taskUUID: expected string, got 42'],
      ['a numeric status', { data: [{ taskUUID: 'u', status: 3 }] }, 'data.0.status: expected string, got 3'],
      ['a string cost', { data: [{ taskUUID: 'u', cost: '0.1' }] }, 'data.0.cost: expected number, got "0.1"'],
      ['a null body', { data: null }, 'body: expected data or errors, found neither'],
    ];
    for (const [name, input, issue] of cases) {
      it(name, () => {
        let caught: unknown;
        try {
          decodeReply(input);
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(RunwareDecodeError);
        expect((caught as RunwareDecodeError).issues).to.include(issue);
        expect((caught as RunwareDecodeError).body).to.equal(input);
      });
    }
  });
});
