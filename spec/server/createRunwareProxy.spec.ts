import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { firstValueFrom, lastValueFrom, NEVER, Observable, throwError, toArray, VirtualTimeScheduler } from 'rxjs';
import { createFetchTransport, createRunwareClient, RunwareApiError, watchTask } from '../../src/index.js';
import { createRunwareProxy, createWebhookReceiver, PROXY_REFUSALS, type RunwareProxy, type RunwareProxyOptions, type ServerEvent, type WebhookReceiver } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { rawPost } from '../helpers/rawPost.js';
import { FAST_WATCH, outcomes } from '../helpers/simulatorTasks.js';
import { useLoopbackServer } from '../helpers/loopbackServer.js';
import { eventually, sendJson, useTestServer } from '../helpers/testServer.js';

const MODEL = 'klingai:5@3';
const KEY = 'proxy-secret-key-0123456789';
/** The authorize of a test that is about something else. */
const anyone = (): boolean => true;

function video(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID: crypto.randomUUID(), model: MODEL, positivePrompt: 'a red fox in snow', duration: 5, deliveryMethod: 'async', ...extra };
}

/** Serves a proxy on a loopback port; returns the URL the browser would use. */
async function serve(proxy: RunwareProxy): Promise<{ readonly url: string; readonly server: Server }> {
  const server = createServer(proxy.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runware`, server };
}

describe('createRunwareProxy', () => {
  let simulator: RunningSimulator;
  const servers: Server[] = [];
  const upstream = useTestServer();

  before(async () => {
    simulator = await startSimulator({ timeScale: 1000, seed: 3 });
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

  async function proxyUrl(options: RunwareProxyOptions): Promise<string> {
    const served = await serve(createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, ...options }));
    servers.push(served.server);
    return served.url;
  }

  const open: RunwareProxyOptions = { allowTaskTypes: ['videoInference'], allowModels: [MODEL], authorize: () => true };

  it('lets a key-less client submit an allowed task and watch it to the end, the key added on the server', async () => {
    const url = await proxyUrl(open);
    const client = createRunwareClient({ baseUrl: url, ...FAST_WATCH });
    const events = await lastValueFrom(client.run({ taskType: 'videoInference', model: MODEL, positivePrompt: 'a fox', duration: 5, numberResults: 2 }).pipe(toArray()));
    expect(outcomes(events)).to.deep.equal(['success', 'success']);
    expect(simulator.stats().authFailures).to.equal(0);
  });

  it('allows getResponse only by default: every submission is refused, polls pass', async () => {
    const url = await proxyUrl({ authorize: anyone });
    const refused = await rawPost(url, null, [video()]);
    expect(refused.status).to.equal(403);
    expect(refused.json).to.deep.equal({ errors: [{ code: 'taskTypeNotAllowed', message: 'Task type "videoInference" is not allowed here.' }] });
    const polled = await rawPost(url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]);
    expect(polled.status).to.equal(200);
  });

  it('requires authorize at creation: no default lets anyone read any task by its UUID', () => {
    expect(() => createRunwareProxy({ apiKey: KEY } as never)).to.throw(TypeError, /authorize is required/);
    expect(() => createRunwareProxy({ apiKey: KEY, authorize: true } as never)).to.throw(TypeError, /authorize/);
  });

  it('refuses an allowed submission unless authorize says yes; authorize sees the request and the tasks', async () => {
    expect(PROXY_REFUSALS.unauthorized).to.equal(403);
    const seen: { session: string | null; types: string[] }[] = [];
    const url = await proxyUrl({
      ...open,
      authorize: (request, tasks) => {
        seen.push({ session: request.headers.get('x-session'), types: tasks.map((task) => task.taskType) });
        if (request.headers.get('x-session') === 'broken') throw new Error('session store down');
        return Promise.resolve(request.headers.get('x-session') === 'alice');
      },
    });
    const post = (session: string): Promise<Response> => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Session': session }, body: JSON.stringify([video()]) });
    expect((await post('alice')).status).to.equal(200);
    expect((await post('mallory')).status).to.equal(403);
    expect((await post('broken')).status).to.equal(403);
    expect(seen).to.deep.equal([
      { session: 'alice', types: ['videoInference'] },
      { session: 'mallory', types: ['videoInference'] },
      { session: 'broken', types: ['videoInference'] },
    ]);
  });

  it('refuses models, task types and fields the app does not allow, before asking authorize or Runware', async () => {
    let asked = 0;
    const url = await proxyUrl({ ...open, authorize: () => ((asked += 1), true) });
    const codeOf = async (tasks: unknown): Promise<unknown> => {
      const reply = await rawPost(url, null, tasks);
      expect(reply.status, reply.text).to.equal(403);
      return (reply.json as { errors: { code: string }[] }).errors[0]?.code;
    };
    const before = simulator.stats().requests;
    expect(await codeOf([video({ model: 'someone:expensive@1' })])).to.equal('modelNotAllowed');
    expect(await codeOf([video({ model: undefined })])).to.equal('modelNotAllowed');
    expect(await codeOf([{ ...video(), taskType: 'imageInference' }])).to.equal('taskTypeNotAllowed');
    expect(await codeOf([video({ webhookURL: 'https://attacker.example/hook' })])).to.equal('fieldNotAllowed');
    expect(await codeOf([{ taskType: 'authentication', taskUUID: crypto.randomUUID(), apiKey: 'x' }, video()])).to.equal('taskTypeNotAllowed');
    expect(await codeOf([{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }, video({ model: 'other:1@1' })])).to.equal('modelNotAllowed');
    expect(asked).to.equal(0);
    expect(simulator.stats().requests).to.equal(before);
  });

  it('refuses what is not a task array: not JSON, no taskUUID, wrong content type, method or route', async () => {
    const url = await proxyUrl(open);
    expect((await rawPost(url, null, '{nope')).json).to.have.nested.property('errors[0].code', 'malformedBody');
    expect((await rawPost(url, null, [])).json).to.have.nested.property('errors[0].code', 'malformedBody');
    expect((await rawPost(url, null, [{ taskType: 'getResponse', taskUUID: 'not-a-uuid' }])).json).to.have.nested.property('errors[0].code', 'malformedBody');
    expect((await rawPost(url, null, [42])).status).to.equal(400);
    const text = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '[]' });
    expect(text.status).to.equal(415);
    const get = await fetch(url);
    expect([get.status, get.headers.get('allow')]).to.deep.equal([405, 'POST']);
    expect((await fetch(url.replace('/api/runware', '/api/other'), { method: 'POST' })).status).to.equal(404);
  });

  it('limits the body size (declared or streamed) and the tasks per request', async () => {
    const url = await proxyUrl({ ...open, maxBodyBytes: 2000, maxTasks: 3 });
    const big = [video({ positivePrompt: 'x'.repeat(3000) })];
    const declared = await rawPost(url, null, big);
    expect([declared.status, (declared.json as { errors: { code: string }[] }).errors[0]?.code]).to.deep.equal([413, 'bodyTooLarge']);
    const bytes = new TextEncoder().encode(JSON.stringify(big));
    const streamed = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).to.equal(413);
    const four = Array.from({ length: 4 }, () => ({ taskType: 'getResponse', taskUUID: crypto.randomUUID() }));
    const before = simulator.stats().requests;
    const many = await rawPost(url, null, four);
    expect([many.status, (many.json as { errors: { code: string }[] }).errors[0]?.code]).to.deep.equal([400, 'tooManyTasks']);
    expect(simulator.stats().requests, 'refused by the proxy, never forwarded').to.equal(before);
    // Three unknown tasks are forwarded (what Runware then answers about them is its own business).
    const three = await rawPost(url, null, four.slice(1));
    expect((three.json as { errors?: { code: string }[] }).errors?.[0]?.code).to.not.equal('tooManyTasks');
    expect(simulator.stats().requests).to.equal(before + 1);
  });

  it('forwards a getResponse with its taskType and taskUUID only, and the key in the header only', async () => {
    upstream.server.handler = (_seen, response) => sendJson(response, 200, { data: [] });
    const served = await serve(createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: upstream.server.url }));
    servers.push(served.server);
    const taskUUID = crypto.randomUUID();
    await rawPost(served.url, null, [{ taskType: 'getResponse', taskUUID, webhookURL: 'https://attacker.example', extra: 1 }]);
    expect(JSON.parse(upstream.server.requests[0]?.body ?? '')).to.deep.equal([{ taskType: 'getResponse', taskUUID }]);
    expect(upstream.server.requests[0]?.headers.authorization).to.equal(`Bearer ${KEY}`);
  });

  it('never returns the key, even when Runware echoes it, in a reply or an error', async () => {
    const served = await serve(createRunwareProxy({ apiKey: KEY, baseUrl: upstream.server.url, ...open }));
    servers.push(served.server);
    const echoes = [
      (response: Parameters<typeof sendJson>[0]) => sendJson(response, 200, { data: [{ taskType: 'getResponse', note: `your key is ${KEY}` }] }),
      (response: Parameters<typeof sendJson>[0]) => sendJson(response, 400, { errors: [{ code: 'invalidModel', message: `bad for ${encodeURIComponent(KEY)}` }] }),
      (response: Parameters<typeof sendJson>[0]) => sendJson(response, 500, { errors: [{ code: 'oops', message: KEY }] }),
    ];
    for (const echo of echoes) {
      upstream.server.handler = (_seen, response) => echo(response);
      const reply = await rawPost(served.url, null, [video()]);
      expect(reply.text).not.to.include(KEY);
      expect(reply.text).not.to.include(encodeURIComponent(KEY).slice(0, 12));
    }
  });

  it('never returns the key in base64, base64url, hex or HTML entities, in a reply or an event stream failure', async () => {
    const encoded = [
      Buffer.from(KEY).toString('base64'),
      Buffer.from(`x${KEY}`).toString('base64url'),
      Buffer.from(KEY).toString('hex'),
      [...KEY].map((char) => `&#${char.charCodeAt(0)};`).join(''),
      [...KEY].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join(''),
    ];
    /** The longest run of the key's bytes an encoding could keep: two at either end of a base64 text. */
    const middles = [Buffer.from(KEY.slice(2, -2)).toString('base64').slice(4, -4), Buffer.from(KEY).toString('hex').slice(4, -4), '&#101;&#116;'];
    const served = await serve(createRunwareProxy({ apiKey: KEY, baseUrl: upstream.server.url, ...open }));
    servers.push(served.server);
    for (const form of encoded) {
      for (const status of [200, 400, 500]) {
        upstream.server.handler = (_seen, response) => sendJson(response, status, status === 200 ? { data: [{ taskType: 'getResponse', note: form }] } : { errors: [{ code: 'oops', message: `see ${form}` }] });
        const reply = await rawPost(served.url, null, [video()]);
        for (const middle of middles) expect(reply.text, `${status} ${form}`).not.to.include(middle);
      }
    }
    const failing = createRunwareProxy({ apiKey: KEY, ...open, watch: () => throwError(() => new RunwareApiError({ code: 'oops', status: 400, serverMessage: `key ${encoded.join(' ')}` })) });
    const stream = await (await failing.handle(new Request(`https://app.example/api/runware/tasks/${crypto.randomUUID()}/events`))).text();
    expect(stream).to.match(/event: failure/);
    for (const middle of middles) expect(stream).not.to.include(middle);
  });

  it("maps Runware's refusal of the key to upstreamAuth (502) without its words, and passes a task's refusal on", async () => {
    const wrongKey = await serve(createRunwareProxy({ apiKey: 'a-wrong-key-0123456789', baseUrl: simulator.url, ...open }));
    servers.push(wrongKey.server);
    const reply = await rawPost(wrongKey.url, null, [video()]);
    expect(reply.status).to.equal(502);
    expect(reply.json).to.deep.equal({ errors: [{ code: 'upstreamAuth', message: 'The server could not use Runware.' }] });
    const url = await proxyUrl(open);
    // What the browser's transport makes of Runware's refusal of a task, passed on: its code and parameter.
    const error = await firstValueFrom(createFetchTransport({ baseUrl: url })([video({ seed: 0 })])).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError);
    expect((error as RunwareApiError).status).to.equal(400);
    expect((error as RunwareApiError).parameter).to.equal('seed');
  });

  it('answers upstreamUnavailable when Runware cannot be reached, and passes a 429 with its Retry-After', async () => {
    const down = await serve(createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: 'http://127.0.0.1:9/v1' }));
    servers.push(down.server);
    expect((await rawPost(down.url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }])).json).to.have.nested.property('errors[0].code', 'upstreamUnavailable');
    upstream.server.handler = (_seen, response) => sendJson(response, 429, {}, { 'Retry-After': '3' });
    const limited = await serve(createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: upstream.server.url }));
    servers.push(limited.server);
    const reply = await rawPost(limited.url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]);
    expect([reply.status, reply.headers.get('retry-after')]).to.deep.equal([429, '3']);
  });

  it('answers upstreamTimeout (504) when Runware does not answer within requestTimeout, and aborts the request to it', async () => {
    upstream.server.handler = () => undefined; // never answers
    const served = await serve(createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: upstream.server.url, requestTimeout: 50 }));
    servers.push(served.server);
    const reply = await rawPost(served.url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]);
    expect([reply.status, reply.json]).to.deep.equal([504, { errors: [{ code: 'upstreamTimeout', message: 'Runware did not answer in time.' }] }]);
    expect(PROXY_REFUSALS.upstreamTimeout).to.equal(504);
    expect(reply.text).not.to.include(KEY);
    await eventually(() => upstream.server.aborted.length === 1);
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, requestTimeout: 0 })).to.throw(RangeError, /requestTimeout/);
  });

  it('aborts the request to Runware when the browser goes away first (node:http and Fetch)', async () => {
    upstream.server.handler = () => undefined; // never answers: only the browser leaving ends the request
    const proxy = createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: upstream.server.url });
    const served = await serve(proxy);
    servers.push(served.server);
    const browser = new AbortController();
    const left = fetch(served.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]), signal: browser.signal }).catch(
      (error: unknown) => error,
    );
    await eventually(() => upstream.server.requests.length === 1);
    browser.abort();
    expect(await left).to.have.property('name', 'AbortError');
    await eventually(() => upstream.server.aborted.length === 1);

    const fetchBrowser = new AbortController();
    const request = new Request('https://app.example/api/runware', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]), signal: fetchBrowser.signal });
    const handled = proxy.handle(request);
    await eventually(() => upstream.server.requests.length === 2);
    fetchBrowser.abort();
    expect((await handled).status).to.equal(499);
    await eventually(() => upstream.server.aborted.length === 2);
  });

  it("stops the server's watch of a task, aborting its poll in flight, when the last browser leaves its event stream", async () => {
    upstream.server.handler = () => undefined; // the watch's first poll never answers
    const served = await serve(createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: upstream.server.url, watchOptions: { ...FAST_WATCH, requestTimeout: 60_000 }, streamLinger: 0, abandonAfter: 0 }));
    servers.push(served.server);
    const browser = new AbortController();
    const stream = await fetch(`${served.url}/tasks/${crypto.randomUUID()}/events`, { signal: browser.signal });
    expect(stream.status).to.equal(200);
    await eventually(() => upstream.server.requests.length === 1);
    browser.abort();
    await eventually(() => upstream.server.aborted.length === 1);
    expect(upstream.server.requests).to.have.length(1);
  });

  it('serves Fetch-standard runtimes through handle(request), with the same rules', async () => {
    const proxy = createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, ...open });
    const ok = await proxy.handle(new Request('https://app.example/api/runware', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([video()]) }));
    expect(ok.status).to.equal(200);
    const refused = await proxy.handle(new Request('https://app.example/api/runware', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([video({ model: 'x:1@1' })]) }));
    expect([refused.status, await refused.json()]).to.deep.equal([403, { errors: [{ code: 'modelNotAllowed', message: 'Task 0: this model is not allowed here.' }] }]);
  });

  it('watchTask in a browser-like setup polls through the proxy with no key', async () => {
    const url = await proxyUrl(open);
    const task = video({ numberResults: 1 });
    expect((await rawPost(url, null, [task])).status).to.equal(200);
    const events = await lastValueFrom(watchTask(String(task['taskUUID']), { baseUrl: url, numberResults: 1, ...FAST_WATCH }).pipe(toArray()));
    expect(outcomes(events)).to.deep.equal(['success']);
  });

  it('throws at creation for bad options, without the key in the message', () => {
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, prefix: 'api' })).to.throw(TypeError, /prefix/);
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, maxTasks: 0 })).to.throw(RangeError, /maxTasks/);
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, maxBodyBytes: 1.5 })).to.throw(RangeError, /maxBodyBytes/);
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, allowModels: 'all' as never })).to.throw(TypeError, /allowModels/);
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, baseUrl: `http://${KEY}.example/v1` })).to.throw(TypeError).with.property('message').that.does.not.include(KEY);
  });

  it("serves a task's events as Server-Sent Events, authorized as a getResponse of that task", async () => {
    const asked: string[] = [];
    const proxy = createRunwareProxy({
      apiKey: simulator.apiKey,
      baseUrl: simulator.url,
      ...open,
      authorize: (request, tasks) => (asked.push(tasks.map((task) => `${task.taskType} ${task.taskUUID}`).join()), request.headers.get('x-session') === 'alice'),
      watchOptions: FAST_WATCH,
      streamLinger: 10, // no timer left behind for the test run
    });
    const task = video({ numberResults: 1 });
    const submitted = await proxy.handle(new Request('https://app.example/api/runware', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Session': 'alice' }, body: JSON.stringify([task]) }));
    expect(submitted.status).to.equal(200);
    const eventsUrl = `https://app.example/api/runware/tasks/${String(task['taskUUID'])}/events?numberResults=1`;
    const refused = await proxy.handle(new Request(eventsUrl, { headers: { 'X-Session': 'mallory' } }));
    expect(refused.status).to.equal(403);
    const stream = await proxy.handle(new Request(eventsUrl, { headers: { 'X-Session': 'alice' } }));
    expect([stream.status, stream.headers.get('content-type')]).to.deep.equal([200, 'text/event-stream; charset=utf-8']);
    const text = await stream.text();
    expect(text).to.match(/^retry: 1000\n\n/);
    expect(text).to.match(/event: generation\ndata: \{"status":"success"/);
    expect(text).to.match(/event: end\ndata: \{\}\n\n$/);
    expect(text).not.to.include(simulator.apiKey);
    expect(asked.slice(1)).to.deep.equal([`getResponse ${String(task['taskUUID'])}`, `getResponse ${String(task['taskUUID'])}`]);
    expect((await proxy.handle(new Request(eventsUrl, { method: 'POST', body: '[]' }))).status).to.equal(405);
    expect((await proxy.handle(new Request('https://app.example/api/runware/tasks/nope/events'))).status).to.equal(400);
    expect((await proxy.handle(new Request(eventsUrl.replace('=1', '=0')))).status).to.equal(400);
    expect((await proxy.handle(new Request('https://app.example/api/runware/tasks'))).status).to.equal(404);
  });

  describe('under attack', () => {
    const post = (url: string, body: BodyInit, headers: Record<string, string>): Promise<Response> => fetch(url, { method: 'POST', headers, body });
    const codeOf = async (response: Response): Promise<unknown> => ((await response.json()) as { errors?: { code: string }[] }).errors?.[0]?.code;

    it("refuses a cross-site submission: no JSON Content-Type (a no-cors fetch of a Blob), another site's Origin or Sec-Fetch-Site", async () => {
      const url = await proxyUrl(open);
      const own = new URL(url).origin;
      const json = JSON.stringify([video()]);
      const before = simulator.stats().requests;
      // What `fetch(proxy, { mode: 'no-cors', body: new Blob([json]) })` sends: no Content-Type, so no preflight.
      const blob = await fetch(url, { method: 'POST', body: new Blob([json]) });
      expect([blob.status, await codeOf(blob)]).to.deep.equal([415, 'unsupportedMediaType']);
      const evil = await post(url, json, { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
      expect([evil.status, await codeOf(evil)]).to.deep.equal([403, 'crossOrigin']);
      // Another port of the same host is another origin, though the same site (cookies go along).
      const sibling = await post(url, json, { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:1', 'Sec-Fetch-Site': 'same-site' });
      expect(await codeOf(sibling)).to.equal('crossOrigin');
      expect(await codeOf(await post(url, json, { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }))).to.equal('crossOrigin');
      expect(await codeOf(await post(url, json, { 'Content-Type': 'application/json', Origin: 'null' }))).to.equal('crossOrigin');
      const events = await fetch(`${url}/tasks/${crypto.randomUUID()}/events`, { headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } });
      expect([events.status, await codeOf(events)]).to.deep.equal([403, 'crossOrigin']);
      expect(simulator.stats().requests, 'nothing reached Runware').to.equal(before);
      // The proxy's own pages, listed origins and non-browser callers (no Origin, no Sec-Fetch-Site) pass.
      expect((await post(url, JSON.stringify([video()]), { 'Content-Type': 'application/json', Origin: own, 'Sec-Fetch-Site': 'same-origin' })).status).to.equal(200);
      expect((await post(url, JSON.stringify([video()]), { 'Content-Type': 'application/json' })).status).to.equal(200);
      const listed = await proxyUrl({ ...open, allowOrigins: ['https://admin.example.com'] });
      expect((await post(listed, JSON.stringify([video()]), { 'Content-Type': 'application/json', Origin: 'https://admin.example.com', 'Sec-Fetch-Site': 'cross-site' })).status).to.equal(200);
      expect(() => createRunwareProxy({ ...open, apiKey: KEY, allowOrigins: ['admin.example.com'] })).to.throw(TypeError, /allowOrigins/);
      expect(PROXY_REFUSALS.crossOrigin).to.equal(403);
    });

    it('forwards only the fields a task type documents (and allowFields), within maxNumberResults; never uploadEndpoint, webhookURL in any case, sync delivery, __proto__ or nested tasks', async () => {
      upstream.server.handler = (_seen, response) => sendJson(response, 200, { data: [] });
      const served = await serve(createRunwareProxy({ apiKey: KEY, baseUrl: upstream.server.url, ...open, allowFields: { videoInference: ['providerSettings'] } }));
      servers.push(served.server);
      const refused = async (body: string): Promise<unknown> => {
        const reply = await rawPost(served.url, null, body);
        expect(reply.status, reply.text).to.be.oneOf([400, 403]);
        return (reply.json as { errors: { code: string }[] }).errors[0]?.code;
      };
      const one = (extra: Record<string, unknown>): string => JSON.stringify([video(extra)]);
      expect(await refused(one({ uploadEndpoint: 'https://attacker.example/put' }))).to.equal('fieldNotAllowed');
      expect(await refused(one({ WebhookUrl: 'https://attacker.example/hook' }))).to.equal('fieldNotAllowed');
      expect(await refused(one({ webhookurl: 'https://attacker.example/hook' }))).to.equal('fieldNotAllowed');
      expect(await refused(one({ deliveryMethod: 'sync' }))).to.equal('fieldNotAllowed');
      expect(await refused(one({ numberResults: 1_000_000 }))).to.equal('malformedBody');
      expect(await refused(one({ numberResults: 5 }))).to.equal('malformedBody');
      expect(await refused(one({ someNewField: 1 }))).to.equal('fieldNotAllowed');
      expect(await refused(one({ width: 1020 }))).to.equal('malformedBody'); // the codec's bounds: a multiple of 8
      expect(await refused(one({ providerSettings: { tasks: [{ taskType: 'imageInference', model: 'x:1@1' }] } }))).to.equal('fieldNotAllowed');
      expect(await refused(`[${one({}).slice(1, -2)},"__proto__":{"webhookURL":"https://attacker.example"}}]`)).to.equal('fieldNotAllowed');
      expect(upstream.server.requests, 'nothing forwarded').to.have.length(0);
      const task = video({ numberResults: 4, providerSettings: { kling: { mode: 'pro' } } });
      expect((await rawPost(served.url, null, [task])).status).to.equal(200);
      expect(JSON.parse(upstream.server.requests[0]?.body ?? '')).to.deep.equal([task]);
      expect(() => createRunwareProxy({ ...open, apiKey: KEY, allowFields: { videoInference: ['UploadEndpoint'] } })).to.throw(TypeError, /never forwarded/);
    });

    it('routes on the raw path: POST /static/../api/runware is not the task route', async () => {
      const url = new URL(await proxyUrl(open));
      const status = await new Promise<number>((resolve, reject) => {
        const sent = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/static/../api/runware', headers: { 'Content-Type': 'application/json' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        sent.on('error', reject);
        sent.end(JSON.stringify([video()]));
      });
      expect(status).to.equal(404);
    });

    it("checks Runware's Retry-After before passing it on: whole seconds, at most an hour, nothing else", async () => {
      const served = await serve(createRunwareProxy({ apiKey: KEY, baseUrl: upstream.server.url, authorize: anyone }));
      servers.push(served.server);
      const retryAfterOf = async (sent: string): Promise<string | null> => {
        upstream.server.handler = (_seen, response) => sendJson(response, 429, {}, { 'Retry-After': sent });
        const reply = await rawPost(served.url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }]);
        expect(reply.status).to.equal(429);
        return reply.headers.get('retry-after');
      };
      expect(await retryAfterOf('3')).to.equal('3');
      expect(await retryAfterOf('9999999')).to.equal('3600');
      expect(await retryAfterOf(KEY)).to.equal(null);
      expect(await retryAfterOf(`3, ${Buffer.from(KEY).toString('base64')}`)).to.equal(null);
      expect(await retryAfterOf('Sun, 06 Nov 1994 08:49:37 GMT')).to.equal('0');
    });

    it('runs one server watch per task whatever numberResults the browsers ask, and bounds the streams per task and in total (429)', async () => {
      const asked: (number | undefined)[] = [];
      const proxy = createRunwareProxy({ ...open, apiKey: KEY, watch: (_taskUUID, numberResults) => (asked.push(numberResults), NEVER), maxStreamsPerTask: 3, maxStreams: 4, abandonAfter: 0 });
      const task = crypto.randomUUID();
      const opened = await Promise.all([1, 2, 3].map((n) => proxy.handle(new Request(`https://app.example/api/runware/tasks/${task}/events?numberResults=${n}`))));
      expect(opened.map((response) => response.status)).to.deep.equal([200, 200, 200]);
      const readers = opened.map((response) => response.body?.getReader());
      await Promise.all(readers.map((reader) => reader?.read()));
      expect(asked, 'one watch, with the first browser numberResults').to.deep.equal([1]);
      const fourth = await proxy.handle(new Request(`https://app.example/api/runware/tasks/${task}/events?numberResults=4`));
      expect([fourth.status, fourth.headers.get('retry-after'), await codeOf(fourth)]).to.deep.equal([429, '5', 'tooManyStreams']);
      const other = await proxy.handle(new Request(`https://app.example/api/runware/tasks/${crypto.randomUUID()}/events`));
      expect(other.status).to.equal(200);
      const otherReader = other.body?.getReader();
      await otherReader?.read();
      const fifth = await proxy.handle(new Request(`https://app.example/api/runware/tasks/${crypto.randomUUID()}/events`));
      expect([fifth.status, await codeOf(fifth)], 'four streams in total').to.deep.equal([429, 'tooManyStreams']);
      await Promise.all([...readers, otherReader].map((reader) => reader?.cancel()));
      const again = await proxy.handle(new Request(`https://app.example/api/runware/tasks/${task}/events`));
      expect(again.status, 'a closed stream frees its place').to.equal(200);
      await again.body?.cancel();
    });

    it("stops an abandoned task's server watch after abandonAfter (5 s by default), not after the 60 s linger", async () => {
      const scheduler = new VirtualTimeScheduler();
      let stoppedAt: number | undefined;
      const watch = (): Observable<never> => new Observable<never>(() => () => (stoppedAt = scheduler.now()));
      const proxy = createRunwareProxy({ ...open, apiKey: KEY, watch, scheduler });
      const stream = await proxy.handle(new Request(`https://app.example/api/runware/tasks/${crypto.randomUUID()}/events`));
      const reader = stream.body?.getReader();
      await reader?.read();
      await reader?.cancel();
      scheduler.flush();
      expect(stoppedAt).to.equal(5000);
    });

    it('tells onEvent of refusals and failures (Runware unreachable: 502), the key in no encoding', async () => {
      const seen: ServerEvent[] = [];
      const apiKey = 'rw-onevent-secret-0123456789abcdef';
      const served = await serve(createRunwareProxy({ ...open, apiKey, baseUrl: 'http://127.0.0.1:1/v1', onEvent: (event) => seen.push(event) }));
      servers.push(served.server);
      expect((await rawPost(served.url, null, [{ taskType: 'getResponse', taskUUID: crypto.randomUUID() }])).status).to.equal(502);
      await post(served.url, JSON.stringify([video()]), { 'Content-Type': 'application/json', Origin: 'https://evil.example' });
      expect(seen.map(({ source, level, code, status, method, path }) => ({ source, level, code, status, method, path }))).to.deep.equal([
        { source: 'proxy', level: 'error', code: 'upstreamUnavailable', status: 502, method: 'POST', path: '/api/runware' },
        { source: 'proxy', level: 'warn', code: 'crossOrigin', status: 403, method: 'POST', path: '/api/runware' },
      ]);
      expect(seen[0]?.cause).to.be.a('string').and.match(/^RunwareHttpError: /);
      const logged = JSON.stringify(seen);
      for (const form of [apiKey, Buffer.from(apiKey).toString('base64'), Buffer.from(apiKey).toString('hex')]) expect(logged).not.to.include(form);
      const quiet = createRunwareProxy({ ...open, apiKey, onEvent: () => {
        throw new Error('logger down');
      } });
      expect((await quiet.handle(new Request('https://app.example/elsewhere'))).status, 'a throwing logger breaks nothing').to.equal(404);
    });
  });
});

describe('createRunwareProxy with push', () => {
  let simulator: RunningSimulator;
  let receiver: WebhookReceiver;
  const servers: Server[] = [];
  const { origin } = useLoopbackServer(() => receiver.listener);

  before(async () => {
    simulator = await startSimulator({ timeScale: 1000, seed: 5 });
    receiver = createWebhookReceiver({ publicUrl: `${origin()}/runware/webhook`, secret: 'proxy-push-secret-0123456789abcdef0123' });
  });
  after(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
    await receiver.pushHub.close();
    await simulator.close();
  });

  it("submits with the receiver's webhookURL and streams the task's events from the pushes, with no poll", async () => {
    const { url, server } = await serve(
      createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, allowTaskTypes: ['videoInference'], allowModels: [MODEL], authorize: () => true, push: receiver, streamLinger: 10 }),
    );
    servers.push(server);
    const task = video({ numberResults: 2 });
    expect((await rawPost(url, null, [task])).status).to.equal(200);
    const polls = simulator.stats().polls;
    const text = await (await fetch(`${url}/tasks/${String(task['taskUUID'])}/events?numberResults=2`)).text();
    expect(text.match(/event: generation\ndata: \{"status":"success"/g)).to.have.length(2);
    expect(text).to.match(/event: end\ndata: \{\}\n\n$/);
    expect(simulator.stats().polls, 'no getResponse: the pushes brought the news').to.equal(polls);
    expect(receiver.stats()).to.include({ accepted: 2, forged: 0 });
    expect(() => createRunwareProxy({ authorize: anyone, apiKey: KEY, push: {} as never })).to.throw(TypeError, /push/);
  });
});
