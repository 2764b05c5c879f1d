import { expect } from 'chai';
import { RunwareDecodeError } from '../../src/errors.js';
import { decodeReply } from '../../src/protocol/decodeReply.js';

/** Fixtures of the protocol reference (../shared/runware-protocol.md §7), verbatim. */
const F1 = { data: [{ taskType: 'videoInference', taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' }] };
const F2 = {
  errors: [
    {
      code: 'unsupportedDuration',
      message: 'Invalid value for duration parameter. This duration is not supported by the model architecture.',
      parameter: 'duration',
      type: 'float',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
      allowedValues: [6],
    },
  ],
};
const F3_SUCCESS = {
  data: [
    {
      taskType: 'videoInference',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
      status: 'success',
      videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71',
      videoURL: 'https://im.runware.ai/video/ws/0.5/vi/b7db282d-2943-4f12-992f-77df3ad3ec71.mp4',
      cost: 0.18,
    },
  ],
};
const F3_FAILED = {
  errors: [
    {
      code: 'timeoutProvider',
      status: 'error',
      message: 'The external provider did not respond within the timeout window. The request was automatically terminated.',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference',
      taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1',
    },
  ],
};
const F5 = { data: [], errors: [{ ...F2.errors[0], code: 'invalidWidth', min: 256, max: 16383 }] };
const F7 = {
  errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai/signup', parameter: 'apiKey', taskType: 'authentication' }],
};
const F8 = {
  data: [
    { taskUUID: 'X', taskType: 'imageInference', status: 'success', imageUUID: 'a', imageURL: 'a.jpg' },
    { taskUUID: 'X', taskType: 'imageInference', status: 'error', error: { code: 'safety', message: 'Content flagged' } },
  ],
};

describe('decodeReply', () => {
  describe('accepts', () => {
    for (const [name, fixture] of Object.entries({ F1, F2, F3_SUCCESS, F3_FAILED, F5, F7, F8 })) {
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
