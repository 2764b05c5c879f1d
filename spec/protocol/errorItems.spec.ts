import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { createFetchTransport, RunwareApiError } from '../../src/index.js';
import { parameterText, readErrorItems, toErrorItem } from '../../src/protocol/errorItems.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

describe('readErrorItems', () => {
  const cases: Array<[string, unknown, unknown[]]> = [
    ['errors[] as documented', { errors: [{ code: 'invalidApiKey', message: 'x', taskType: 'authentication' }] }, [{ code: 'invalidApiKey', message: 'x', taskType: 'authentication' }]],
    ['no error at all', { data: [] }, []],
    ['not an object', 'oops', []],
    ['an item without code', { errors: [{ message: 'x' }] }, [{ code: 'unknownError', message: 'x' }]],
    ['an empty code', { errors: [{ code: '', message: 'x' }] }, [{ code: 'unknownError', message: 'x' }]],
    ['parameter as a list', { errors: [{ code: 'c', parameter: ['a', 'b'] }] }, [{ code: 'c', parameter: ['a', 'b'] }]],
    ['a parameter of the wrong type, dropped', { errors: [{ code: 'c', parameter: 3 }] }, [{ code: 'c' }]],
    ['legacy error object, the task beside it', { error: { code: 'c', message: 'm' }, taskUUID: TASK }, [{ code: 'c', message: 'm', taskUUID: TASK }]],
    ['legacy error list', { error: [{ code: 'a' }, { code: 'b' }] }, [{ code: 'a' }, { code: 'b' }]],
    ['legacy error as a string', { error: 'Bad request' }, [{ code: 'unknownError', message: 'Bad request' }]],
    ['the 2024 shape', { error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' }, [{ code: 'unknownError', message: 'Invalid api key', errorMessageContentId: 1212, errorId: 19 }]],
    ['errors[] then the legacy error', { errors: [{ code: 'a' }], error: { code: 'b' } }, [{ code: 'a' }, { code: 'b' }]],
    ['extra fields kept', { errors: [{ code: 'c', responseContent: { detail: 1 }, allowedValues: [6] }] }, [{ code: 'c', responseContent: { detail: 1 }, allowedValues: [6] }]],
  ];
  for (const [name, body, items] of cases) {
    it(name, () => expect(readErrorItems(body)).to.deep.equal(items));
  }

  it('drops typed fields of the wrong type, keeps the rest', () => {
    expect(toErrorItem({ code: 'c', status: 1, taskType: 2, documentation: 'd', resultIndex: 'x' })).to.deep.equal({ code: 'c', documentation: 'd' });
  });

  it('joins a list parameter for a message', () => {
    expect([parameterText('width'), parameterText(['width', 'height']), parameterText(3)]).to.deep.equal(['width', 'width, height', undefined]);
  });

  it('is how the fetch transport reads a non-2xx body: the legacy error form, a list parameter', async () => {
    const body = { error: { code: 'incompatibleParameters', message: 'width and height conflict', parameter: ['width', 'height'] } };
    const transport = createFetchTransport({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', fetch: async () => new Response(JSON.stringify(body), { status: 400 }) });
    const error = await firstValueFrom(transport([{ taskType: 'getResponse', taskUUID: TASK }])).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'incompatibleParameters', status: 400 });
    expect((error as Error).message).to.include('width and height conflict');
    expect((error as RunwareApiError).wire).to.deep.include({ parameter: ['width', 'height'] });
  });
});
