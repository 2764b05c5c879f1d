import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { RunwareApiError, watchTaskStream } from '../../src/index.js';
import { createRunwareProxy } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { success } from '../../src/testing/index.js';
import { rawPost } from '../helpers/rawPost.js';
import { FAST_WATCH, outcomes } from '../helpers/simulatorTasks.js';
import { sendJson, useTestServer } from '../helpers/testServer.js';

const MODEL = 'klingai:5@3';

describe('watchTaskStream', () => {
  const fake = useTestServer();
  const servers: Server[] = [];
  let simulator: RunningSimulator;

  before(async () => {
    simulator = await startSimulator({ timeScale: 1000, seed: 5, progress: true });
  });
  after(async () => {
    await simulator.close();
  });
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('follows a task to the end from the proxy’s event stream, with zero polls from the browser', async () => {
    const proxy = createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, allowTaskTypes: ['videoInference'], allowModels: [MODEL], authorize: () => true, watchOptions: FAST_WATCH, streamLinger: 10 });
    const browserRequests: string[] = [];
    const server = createServer((request, response) => {
      browserRequests.push(`${request.method} ${request.url?.replace(/[0-9a-f-]{36}/, ':uuid')}`);
      proxy.listener(request, response);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runware`;
    const taskUUID = crypto.randomUUID();
    const submitted = await rawPost(baseUrl, null, [{ taskType: 'videoInference', taskUUID, model: MODEL, positivePrompt: 'a fox', duration: 5, numberResults: 2, deliveryMethod: 'async' }]);
    expect(submitted.status, submitted.text).to.equal(200);
    const events = await lastValueFrom(watchTaskStream(taskUUID, { baseUrl, numberResults: 2 }).pipe(toArray()));
    expect(outcomes(events)).to.deep.equal(['success', 'success']);
    expect(browserRequests).to.deep.equal(['POST /api/runware', 'GET /api/runware/tasks/:uuid/events?numberResults=2']);
  });

  it('reconnects a broken stream with Last-Event-ID and never repeats a finished generation', async () => {
    const taskUUID = crypto.randomUUID();
    const processing = { status: 'processing', taskUUID, taskType: 'videoInference', index: 0 };
    const success = { status: 'success', taskUUID, taskType: 'videoInference', index: 0, result: { taskUUID, taskType: 'videoInference', status: 'success', videoURL: 'https://example.com/a.mp4' } };
    const answers = [
      `id: e.1\nevent: generation\ndata: ${JSON.stringify(processing)}\n\n`, // then the connection drops
      `id: e.2\nevent: generation\ndata: ${JSON.stringify(success)}\n\n: keep-alive\n\n`, // dropped again, without `end`
      `id: f.1\nevent: generation\ndata: ${JSON.stringify(processing)}\n\nid: f.2\nevent: generation\ndata: ${JSON.stringify(success)}\n\nid: f.3\nevent: end\ndata: {}\n\n`,
    ];
    fake.server.handler = (_seen, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.end(answers.shift());
    };
    const baseUrl = fake.server.url.replace('/v1', '/api/runware');
    const events = await lastValueFrom(watchTaskStream(taskUUID, { baseUrl, reconnectDelay: 1, headers: { 'X-Session': 's1' } }).pipe(toArray()));
    expect(events.map((event) => event.status)).to.deep.equal(['processing', 'success']);
    expect(fake.server.requests.map((seen) => [seen.method, seen.headers['last-event-id'], seen.headers['x-session'], seen.headers.accept])).to.deep.equal([
      ['GET', undefined, 's1', 'text/event-stream'],
      ['GET', 'e.1', 's1', 'text/event-stream'],
      ['GET', 'e.2', 's1', 'text/event-stream'],
    ]);
  });

  it('polls through the proxy at once when it has no event stream (404), and after too many broken streams', async () => {
    const taskUUID = crypto.randomUUID();
    fake.server.handler = (seen, response) => {
      if (seen.method === 'GET') sendJson(response, 404, { errors: [{ code: 'notFound', message: 'No such route.' }] });
      else sendJson(response, 200, { data: [success({ videoUUID: crypto.randomUUID(), taskUUID })] });
    };
    const baseUrl = fake.server.url.replace('/v1', '/api/runware');
    const events = await lastValueFrom(watchTaskStream(taskUUID, { baseUrl, poll: FAST_WATCH }).pipe(toArray()));
    expect(events.map((event) => event.status)).to.deep.equal(['success']);
    expect(fake.server.requests.map((seen) => seen.method)).to.deep.equal(['GET', 'POST']);

    fake.server.requests.splice(0);
    fake.server.handler = (seen, response) => {
      if (seen.method === 'GET') response.writeHead(200, { 'Content-Type': 'text/event-stream' }).end(': nothing\n\n');
      else sendJson(response, 200, { data: [success({ videoUUID: crypto.randomUUID(), taskUUID })] });
    };
    const again = await lastValueFrom(watchTaskStream(taskUUID, { baseUrl, poll: FAST_WATCH, reconnects: 2, reconnectDelay: 1 }).pipe(toArray()));
    expect(again.map((event) => event.status)).to.deep.equal(['success']);
    // Three streams, then polling (the stream is tried again meanwhile, so GETs may follow).
    const methods = fake.server.requests.map((seen) => seen.method);
    expect(methods.slice(0, 3)).to.deep.equal(['GET', 'GET', 'GET']);
    expect(methods).to.include('POST');
  });

  it('polls while the proxy’s stream is down and goes back to the stream when it answers again, saying so through onConnection', async () => {
    const taskUUID = crypto.randomUUID();
    const processing = { status: 'processing', taskUUID, taskType: 'videoInference', index: 0 };
    const done = { status: 'success', taskUUID, taskType: 'videoInference', index: 0, result: { taskUUID, taskType: 'videoInference', status: 'success', videoURL: 'https://example.com/a.mp4' } };
    let streamDown = true;
    const connections: string[] = [];
    fake.server.handler = (seen, response) => {
      if (seen.method === 'POST') {
        sendJson(response, 200, { data: [{ ...processing, progress: 50 }] });
        // The first poll went through: the proxy's stream is back from now on.
        streamDown = false;
      } else if (streamDown) sendJson(response, 503, { errors: [{ code: 'unavailable', message: 'Restarting.' }] });
      // The stream sends what the poll may have shown already (the page shows it once) and the end.
      else response.writeHead(200, { 'Content-Type': 'text/event-stream' }).end(`retry: 1000\n\nid: b.0\nevent: generation\ndata: ${JSON.stringify({ ...processing, progress: 50 })}\n\nid: b.1\nevent: generation\ndata: ${JSON.stringify(done)}\n\nid: b.2\nevent: end\ndata: {}\n\n`);
    };
    const baseUrl = fake.server.url.replace('/v1', '/api/runware');
    const events = await lastValueFrom(
      watchTaskStream(taskUUID, { baseUrl, reconnectDelay: 5, reconnects: 1, poll: { ...FAST_WATCH, initialDelay: 0, interval: 60_000, maxInterval: 60_000 }, onConnection: (state) => connections.push(state) }).pipe(toArray()),
    );
    // 'processing' came from the poll, or from the stream when it took over before the poll's reply arrived.
    expect(events.map((event) => event.status).filter((status, at, all) => all.indexOf(status) === at)).to.deep.equal(['processing', 'success']);
    expect(connections).to.deep.equal(['connecting', 'reconnecting', 'polling', 'streaming']);
    // One poll only: the next would be due in 60 s, and the stream took over before.
    expect(fake.server.requests.filter((seen) => seen.method === 'POST')).to.have.length(1);
  });

  it('errors with the refusal when the proxy refuses the session (403), without polling', async () => {
    fake.server.handler = (_seen, response) => sendJson(response, 403, { errors: [{ code: 'unauthorized', message: 'Not allowed for this session.' }] });
    const error = await lastValueFrom(watchTaskStream(crypto.randomUUID(), { baseUrl: fake.server.url })).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError);
    expect((error as RunwareApiError).code).to.equal('unauthorized');
    expect(fake.server.requests).to.have.length(1);
  });

  it('errors with the server watch’s failure, and on a generation message that is not an event', async () => {
    fake.server.handler = (_seen, response) => response.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('id: a.1\nevent: failure\ndata: {"code":"upstreamAuth","message":"The server could not use Runware.","retryable":false}\n\n');
    const failed = await lastValueFrom(watchTaskStream(crypto.randomUUID(), { baseUrl: fake.server.url })).catch((caught: unknown) => caught);
    expect((failed as RunwareApiError).code).to.equal('upstreamAuth');
    fake.server.handler = (_seen, response) => response.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('id: a.1\nevent: generation\ndata: {"status":"success"}\n\n');
    const invalid = await lastValueFrom(watchTaskStream(crypto.randomUUID(), { baseUrl: fake.server.url })).catch((caught: unknown) => caught);
    expect((invalid as Error).name).to.equal('RunwareDecodeError');
  });
});
