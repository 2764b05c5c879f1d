import { expect } from 'chai';
import { RunwareDecodeError } from '../../src/errors/RunwareDecodeError.js';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import {
  F1_ASYNC_ACK,
  F2_VALIDATION_ERROR,
  F3_FAILED,
  F3_PROCESSING,
  F3_SUCCESS,
  F7_AUTH_ERROR,
  F8_EMBEDDED_FAILURE,
  F8_EMPTY_DATA_WITH_ERROR,
  F8_PROGRESS,
} from '../../src/testing/fixtures.js';

// F5, the real capture: like F2 but with an empty data[] beside errors[].
const F5 = { data: [], errors: [{ ...F2_VALIDATION_ERROR.errors?.[0], code: 'invalidWidth', min: 256, max: 16383 }] };

describe('decodeReply', () => {
  describe('accepts', () => {
    for (const [name, fixture] of Object.entries({ F1_ASYNC_ACK, F2_VALIDATION_ERROR, F3_PROCESSING, F3_SUCCESS, F3_FAILED, F5, F7_AUTH_ERROR, F8_EMBEDDED_FAILURE, F8_PROGRESS, F8_EMPTY_DATA_WITH_ERROR })) {
      it(`fixture ${name}, keeping every field`, () => {
        expect(decodeReply(fixture)).to.deep.equal(fixture);
      });
    }
    it('a progress value and unknown future fields', () => {
      const reply = { data: [{ taskUUID: 'u1', status: 'processing', progress: 30, queuePosition: 4 }] };
      expect(decodeReply(reply)).to.deep.equal(reply);
    });
  });

  describe('rejects, naming the path', () => {
    const cases: Array<[string, unknown, string]> = [
      ['null', null, 'body: expected an object with data or errors, got null'],
      ['an array', [], 'body: expected an object with data or errors, got []'],
      ['a string', 'oops', 'body: expected an object with data or errors, got "oops"'],
      ['neither data nor errors', { result: 1 }, 'body: expected data or errors, found neither'],
      ['data not an array', { data: {} }, 'data: expected Array<DataItem>, got {}'],
      ['an item without taskUUID', { data: [{ status: 'processing' }] }, 'data.0.taskUUID: expected string, got undefined'],
      ['a numeric status', { data: [{ taskUUID: 'u', status: 3 }] }, 'data.0.status: expected string, got 3'],
      ['a string cost', { data: [{ taskUUID: 'u', cost: '0.1' }] }, 'data.0.cost: expected number, got "0.1"'],
      ['an error without code', { errors: [{ message: 'x' }] }, 'errors.0.code: expected string, got undefined'],
      ['a nested error without code', { data: [{ taskUUID: 'u', status: 'error', error: {} }] }, 'data.0.error.code: expected string, got undefined'],
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
