import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import type { GenerationErrorEvent, ErrorEvent } from '../../src/index.js';
import { createFetchTransport } from '../../src/transport/fetchTransport.js';
import { sendJson, useTestServer } from '../helpers/testServer.js';

/** A fetch that records what it was asked and answers an empty reply, for URLs no test server can have. */
function recordingFetch(): { readonly fetch: typeof fetch; readonly calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return Promise.resolve(new Response(JSON.stringify({ data: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
  };
  return { fetch: fetchImpl, calls };
}

describe('createFetchTransport towards a proxy (no API key)', () => {
  const loopback = useTestServer();

  it('sends no Authorization, the app headers, and the page cookies (same-origin) by default', async () => {
    loopback.server.handler = (_seen, response) => sendJson(response, 200, { data: [] });
    const recorded = recordingFetch();
    const transport = createFetchTransport({ baseUrl: loopback.server.url, headers: { 'X-CSRF-Token': 'csrf-1' }, fetch: (input, init) => (recorded.fetch(input, init), globalThis.fetch(input, init)) });
    await firstValueFrom(transport([{ taskType: 'ping' }]));
    const seen = loopback.server.requests[0];
    expect(seen?.headers.authorization).to.equal(undefined);
    expect(seen?.headers['x-csrf-token']).to.equal('csrf-1');
    expect(seen?.headers['content-type']).to.equal('application/json');
    expect(recorded.calls[0]?.init.credentials).to.equal('same-origin');
  });

  it('asks a function for the headers on every request, so a rotating session token stays current', async () => {
    loopback.server.handler = (_seen, response) => sendJson(response, 200, { data: [] });
    let session = 0;
    const transport = createFetchTransport({ baseUrl: loopback.server.url, headers: () => ({ Authorization: `Bearer session-${(session += 1)}` }), credentials: 'include' });
    await firstValueFrom(transport([{ taskType: 'ping' }]));
    await firstValueFrom(transport([{ taskType: 'ping' }]));
    expect(loopback.server.requests.map((seen) => seen.headers.authorization)).to.deep.equal(['Bearer session-1', 'Bearer session-2']);
  });

  it('never sends the app headers with a key: the key alone authorizes, and it sets no cookie mode', async () => {
    const recorded = recordingFetch();
    const transport = createFetchTransport({ apiKey: 'key-123456789', baseUrl: 'https://api.runware.ai/v1', headers: { Authorization: 'Bearer session', 'X-Other': '1' }, fetch: recorded.fetch });
    await firstValueFrom(transport([{ taskType: 'ping' }]));
    expect(recorded.calls[0]?.init.headers).to.deep.equal({ Authorization: 'Bearer key-123456789', 'Content-Type': 'application/json', Accept: 'application/json' });
    expect(recorded.calls[0]?.init).not.to.have.property('credentials');
  });

  it("refuses Runware's own host without a key, at call", () => {
    expect(() => createFetchTransport({})).to.throw(TypeError, /no API key/);
    expect(() => createFetchTransport({ baseUrl: 'https://eu.api.runware.ai/v1' })).to.throw(TypeError, /no API key/);
    expect(() => createFetchTransport({ apiKey: '  ', baseUrl: loopback.server.url })).to.throw(TypeError, /no API key/);
  });

  it('allows plain http: to any host without a key (a dev proxy), but never a key over it', async () => {
    const recorded = recordingFetch();
    await firstValueFrom(createFetchTransport({ baseUrl: 'http://app.internal:4200/api/runware', fetch: recorded.fetch })([{ taskType: 'ping' }]));
    expect(recorded.calls[0]?.url).to.equal('http://app.internal:4200/api/runware');
    expect(() => createFetchTransport({ apiKey: 'key-123456789', baseUrl: 'http://app.internal:4200/api/runware' })).to.throw(TypeError, /https:/);
    expect(() => createFetchTransport({ baseUrl: 'ftp://app.internal/api' })).to.throw(TypeError, /https: or http:/);
  });

  it("resolves a relative baseUrl against the page's address in a browser, and refuses it elsewhere", async () => {
    expect(() => createFetchTransport({ baseUrl: '/api/runware' })).to.throw(TypeError, /baseUrl is not a URL/);
    const recorded = recordingFetch();
    const global = globalThis as { location?: unknown };
    global.location = { href: 'https://app.example/editor/42' };
    try {
      await firstValueFrom(createFetchTransport({ baseUrl: '/api/runware', fetch: recorded.fetch })([{ taskType: 'ping' }]));
      // The key's rule holds for the resolved URL too: an http: page cannot send a key to a relative URL.
      global.location = { href: 'http://app.example/' };
      expect(() => createFetchTransport({ apiKey: 'key-123456789', baseUrl: '/api/runware' })).to.throw(TypeError, /https:/);
    } finally {
      delete global.location;
    }
    expect(recorded.calls[0]?.url).to.equal('https://app.example/api/runware');
  });

  it('refuses headers a request could not carry, at call and per request', async () => {
    expect(() => createFetchTransport({ baseUrl: loopback.server.url, headers: { 'X-Token': 'a\nb' } })).to.throw(TypeError, /option headers/);
    expect(() => createFetchTransport({ baseUrl: loopback.server.url, headers: { 'bad name': 'x' } })).to.throw(TypeError, /option headers/);
    expect(() => createFetchTransport({ baseUrl: loopback.server.url, credentials: 'always' as never })).to.throw(TypeError, /option credentials/);
    const transport = createFetchTransport({ baseUrl: loopback.server.url, headers: () => ({ 'X-Token': 'é' }) });
    const error = await firstValueFrom(transport([{ taskType: 'ping' }])).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TypeError);
    expect(loopback.server.requests).to.have.length(0);
  });

  it('keeps ErrorEvent as a deprecated alias of GenerationErrorEvent', () => {
    const event: GenerationErrorEvent = { status: 'error', taskUUID: 't', index: 0, error: { code: 'c', message: 'm' } };
    const old: ErrorEvent = event;
    expect(old).to.equal(event);
  });
});
