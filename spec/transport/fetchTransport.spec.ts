import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  createFetchTransport,
  RunwareApiError,
  RunwareDecodeError,
  RunwareHttpError,
  watchTask,
  type GenerationEvent,
} from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, processing, success } from '../../src/testing/index.js';
import { failureOf } from '../helpers/failureOf.js';
import { eventually, sendJson, useTestServer, type TestServer } from '../helpers/testServer.js';

const API_KEY = 'rw-test-key-3f9a1c';
const GET_RESPONSE = [{ taskType: 'getResponse', taskUUID: TASK }];

describe('createFetchTransport over HTTP', () => {
  const stub = useTestServer();
  let server: TestServer;
  beforeEach(() => {
    server = stub.server;
  });

  const transport = () => createFetchTransport({ apiKey: API_KEY, baseUrl: server.url });

  it('POSTs the tasks as a JSON array with the Bearer key and emits the parsed body', async () => {
    server.handler = (_request, res) => sendJson(res, 200, { data: [processing()] });
    const reply = await firstValueFrom(transport()(GET_RESPONSE));
    expect(reply).to.deep.equal({ data: [processing()] });
    const [seen] = server.requests;
    expect(seen?.method).to.equal('POST');
    expect(seen?.url).to.equal('/v1');
    expect(seen?.headers['authorization']).to.equal(`Bearer ${API_KEY}`);
    expect(seen?.headers['content-type']).to.equal('application/json');
    expect(seen?.body).to.equal('[{"taskType":"getResponse","taskUUID":"24cd5dff-cb81-4db5-8506-b72a9425f9d1"}]');
  });

  it('turns 401 with invalidApiKey into RunwareApiError carrying the code, not the key', async () => {
    server.handler = (_request, res) =>
      sendJson(res, 401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai/signup', parameter: 'apiKey', taskType: 'authentication' }] });
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareApiError);
    expect(error).to.include({ code: 'invalidApiKey', status: 401, retryable: false, parameter: 'apiKey' });
    expect(String(error)).not.to.include(API_KEY);
  });

  it('keeps the whole parsed body of a refused reply on the error (its data items too), the key redacted and out of the message', async () => {
    const other = '6f1c1f0e-1111-4a4a-9b9b-222233334444';
    const refused = { data: [{ ...processing(), taskUUID: other, echoed: `Bearer ${API_KEY}` }], errors: [{ code: 'taskNotFound', message: 'No active task', taskUUID: TASK }] };
    server.handler = (_request, res) => sendJson(res, 400, refused);
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'taskNotFound', status: 400 });
    const { body: kept } = error as RunwareApiError;
    expect(kept).to.have.nested.property('data[0].taskUUID', other);
    expect(kept).to.have.nested.property('errors[0].code', 'taskNotFound');
    expect(JSON.stringify(kept)).to.not.include(API_KEY);
    expect((error as RunwareApiError).message).to.not.include(other);
  });

  it('reads a 401 in the 2024 form (error: true, errorId, errorMessage) as a refusal keeping its message', async () => {
    server.handler = (_request, res) => sendJson(res, 401, { error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' });
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'unknownError', status: 401, retryable: false });
    expect((error as RunwareApiError).message).to.include('Invalid api key');
    expect((error as RunwareApiError).wire).to.include({ errorId: 19 });
  });

  it('reads a 400 whose parameter is an array of fields (as Runware\'s CLI tests show it) into the refusal\'s parameter', async () => {
    server.handler = (_request, res) => sendJson(res, 400, { errors: [{ code: 'invalidModel', message: 'bad model', parameter: ['model', 'positivePrompt'], taskUUID: TASK }] });
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'invalidModel', parameter: 'model, positivePrompt' });
  });

  it('leaves body undefined on a refusal whose body is not JSON', async () => {
    server.handler = (_request, res) => res.writeHead(400).end('<html>bad request</html>');
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareApiError).with.property('body', undefined);
  });

  for (const status of [400, 402, 403, 404]) {
    it(`turns HTTP ${status} into a RunwareApiError that is not retried`, async () => {
      server.handler = (_request, res) => res.writeHead(status).end('nope');
      const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
      expect(error).to.be.instanceOf(RunwareApiError);
      expect(error).to.include({ code: `httpStatus${status}`, status, retryable: false });
    });
  }

  it('turns 503 into a retryable RunwareHttpError keeping Retry-After', async () => {
    server.handler = (_request, res) => res.writeHead(503, { 'Retry-After': '2' }).end('<html>busy</html>');
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareHttpError);
    expect(error).to.include({ failure: 'status', status: 503, retryAfter: '2', retryable: true });
  });

  it('turns a reset connection into a retryable network failure', async () => {
    server.handler = (_request, _res, req) => req.socket.destroy();
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareHttpError);
    expect(error).to.include({ failure: 'network', retryable: true, status: undefined });
  });

  it('reads a body whose characters are split between chunks, as one text (decoded as it arrives)', async () => {
    const reply = { data: [{ taskType: 'textInference', taskUUID: TASK, status: 'success', text: 'café ☕ 𝄞' }] };
    const bytes = new TextEncoder().encode(JSON.stringify(reply));
    // Cut inside each of the three multi-byte characters: 'é' (2 bytes), '☕' (3), '𝄞' (4).
    const cuts = [0, ...[...bytes.keys()].filter((at) => bytes[at]! >= 0xc0).map((at) => at + 1), bytes.length];
    const chunked = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let index = 1; index < cuts.length; index += 1) controller.enqueue(bytes.slice(cuts[index - 1], cuts[index]));
            controller.close();
          },
        }),
      )) as typeof fetch;
    expect(cuts).to.have.length(5);
    expect(await firstValueFrom(createFetchTransport({ apiKey: API_KEY, baseUrl: server.url, fetch: chunked })(GET_RESPONSE))).to.deep.equal(reply);
  });

  it("keeps a network failure's words, its causes included (fetchFailureReason), not the error it was", async () => {
    server.handler = (_request, _res, req) => req.socket.destroy();
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    const cause = (error as RunwareHttpError).cause;
    expect(cause).to.be.instanceOf(Error).and.not.be.instanceOf(TypeError);
    expect(String(cause)).to.match(/^Error: TypeError: fetch failed: \w*Error: \S/);
  });

  it('turns a body that is not JSON into RunwareDecodeError, keeping the text', async () => {
    server.handler = (_request, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"data":[{"taskUU');
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect((error as RunwareDecodeError).body).to.equal('{"data":[{"taskUU');
    expect((error as RunwareDecodeError).issues[0]).to.match(/^body: expected JSON/);
  });

  it('turns an empty body into RunwareDecodeError', async () => {
    server.handler = (_request, res) => res.writeHead(200).end();
    const error = await failureOf(firstValueFrom(transport()(GET_RESPONSE)));
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect((error as RunwareDecodeError).issues).to.deep.equal(['body: expected JSON, got an empty body']);
  });

  it('aborts the request in flight on unsubscribe', async () => {
    server.handler = () => undefined; // never answers
    const subscription = transport()(GET_RESPONSE).subscribe();
    await eventually(() => server.requests.length === 1);
    expect(server.aborted).to.have.length(0);
    subscription.unsubscribe();
    await eventually(() => server.aborted.length === 1);
    expect(server.aborted.map((request) => request.body)).to.deep.equal(server.requests.map((request) => request.body));
  });

  it('refuses plain http: for a host that is not loopback, before any request', () => {
    expect(() => createFetchTransport({ apiKey: API_KEY, baseUrl: 'http://api.runware.ai/v1' })).to.throw(TypeError, /https/);
    expect(server.requests).to.have.length(0);
  });
});

describe('watchTask over HTTP', () => {
  const stub = useTestServer();
  let server: TestServer;
  beforeEach(() => {
    server = stub.server;
  });

  const quick = { initialDelay: 0, interval: 5, multiplier: 1, jitter: 0, apiKey: API_KEY };

  it('follows a task to completion through a 503 and a malformed body', async () => {
    const script = [
      (res: ServerResponse) => sendJson(res, 200, { data: [processing(), processing()] }),
      (res: ServerResponse) => res.writeHead(503).end(),
      (res: ServerResponse) => res.writeHead(200).end('not json'),
      (res: ServerResponse) => sendJson(res, 200, { data: [success({ videoUUID: 'v1' }), success({ videoUUID: 'v2' })] }),
    ];
    server.handler = (_request, res) => script[Math.min(server.requests.length - 1, script.length - 1)]!(res);
    const events: GenerationEvent[] = await lastValueFrom(watchTask(TASK, { ...quick, baseUrl: server.url }).pipe(toArray()));
    expect(events.map((e) => `${e.status}@${e.index}`)).to.deep.equal(['processing@0', 'processing@1', 'success@0', 'success@1']);
    expect(server.requests).to.have.length(4);
  });

  it('fails fast with RunwareApiError on 401, after one request', async () => {
    server.handler = (_request, res) => sendJson(res, 401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key', taskType: 'authentication' }] });
    const error = await failureOf(lastValueFrom(watchTask(TASK, { ...quick, baseUrl: server.url })));
    expect(error).to.be.instanceOf(RunwareApiError);
    expect((error as RunwareApiError).message).to.include(TASK).and.not.include(API_KEY);
    expect(server.requests).to.have.length(1);
  });

  it("keeps the last reply's code, message and body on the RunwareHttpError once the retries on 429 are spent", async () => {
    // A rate limit with its code in errors[] (Runware's rate-limit docs: 429 when the queue is at capacity;
    // the TypeScript SDK's REST transport parses the body of every non-2xx reply into the error it throws).
    const limited = (attempt: number) => ({ errors: [{ code: 'providerRateLimitExceeded', message: `Provider rate limit hit (attempt ${attempt}), key ${API_KEY}` }] });
    server.handler = (_request, res) => sendJson(res, 429, limited(server.requests.length));
    const error = await failureOf(lastValueFrom(watchTask(TASK, { ...quick, retries: 2, baseUrl: server.url })));
    expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 429, code: 'providerRateLimitExceeded', attempts: 3 });
    const http = error as RunwareHttpError;
    expect(http.serverMessage).to.equal('Provider rate limit hit (attempt 3), key [redacted]');
    expect(http.body).to.deep.equal({ errors: [{ code: 'providerRateLimitExceeded', message: 'Provider rate limit hit (attempt 3), key [redacted]' }] });
    expect(http.message).to.include('HTTP 429 providerRateLimitExceeded: Provider rate limit hit (attempt 3)').and.not.include(API_KEY);
    expect(JSON.stringify(http)).to.not.include(API_KEY);
  });

  it('keeps a 503 body that is not JSON out of the error, and its status', async () => {
    server.handler = (_request, res) => res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html>busy</html>');
    const error = await failureOf(lastValueFrom(watchTask(TASK, { ...quick, retries: 0, baseUrl: server.url })));
    expect(error).to.be.instanceOf(RunwareHttpError).and.include({ status: 503, code: undefined, body: undefined });
  });

  it('rides out a reset connection', async () => {
    server.handler = (_request, res, req) => (server.requests.length === 1 ? req.socket.destroy() : sendJson(res, 200, { data: [success({ videoUUID: 'v1' })] }));
    const events = await lastValueFrom(watchTask(TASK, { ...quick, baseUrl: server.url }).pipe(toArray()));
    expect(events.map((e) => e.status)).to.deep.equal(['success']);
  });
});
