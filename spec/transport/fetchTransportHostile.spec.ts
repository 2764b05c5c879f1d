/**
 * createFetchTransport against servers that misbehave on purpose, over loopback: redirects, bodies cut
 * short, replies over a limit, keys with whitespace.
 */
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createFetchTransport, RunwareDecodeError, RunwareHttpError, watchTask, type Transport } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK, success } from '../../src/testing/index.js';
import { failureOf } from '../helpers/failureOf.js';
import { sendJson, startTestServer, useTestServer, type TestServer } from '../helpers/testServer.js';

const KEY = 'rw-hostile-key-7c1e9b';
const GET_RESPONSE = [{ taskType: 'getResponse', taskUUID: TASK }];
const SUCCESS = { data: [success({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71' })] };

const once = (transport: Transport): Promise<unknown> => firstValueFrom(transport(GET_RESPONSE));

describe('createFetchTransport against hostile servers', () => {
  const stub = useTestServer();
  let server: TestServer;
  beforeEach(() => {
    server = stub.server;
  });

  describe('redirects', () => {
    let other: TestServer;
    before(async () => {
      other = await startTestServer();
    });
    after(() => other.close());
    beforeEach(() => {
      other.requests.splice(0);
      other.handler = (_r, res) => sendJson(res, 200, SUCCESS);
    });

    for (const [name, fetchImpl] of [
      ['the default fetch', undefined],
      ['the platform fetch', globalThis.fetch],
      ['cross-fetch (node-fetch)', crossFetch as typeof fetch],
    ] as const) {
      const withFetch = fetchImpl === undefined ? {} : { fetch: fetchImpl };
      for (const status of [301, 302, 303, 307, 308]) {
        it(`with ${name}, refuses a ${status} to another port by default, sending nothing there, naming its origin`, async () => {
          server.handler = (_r, res) => res.writeHead(status, { Location: `${other.url}?key=${KEY}` }).end();
          const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, ...withFetch })));
          expect(error).to.be.instanceOf(RunwareHttpError);
          expect(error).to.include({ failure: 'redirect', status, retryable: false, location: `http://127.0.0.1:${other.port}` });
          expect((error as Error).message).to.include(`redirected (HTTP ${status}) to http://127.0.0.1:${other.port}, not followed`).and.not.include(KEY);
          expect(other.requests).to.have.length(0);
        });
      }

      it(`with ${name}, refuses a redirect to another port even with followRedirects: the key stays with baseUrl's origin`, async () => {
        server.handler = (_r, res) => res.writeHead(307, { Location: other.url }).end();
        const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, followRedirects: true, ...withFetch })));
        expect(error).to.include({ failure: 'redirect', status: 307, location: `http://127.0.0.1:${other.port}` });
        expect(other.requests).to.have.length(0);
      });

      it(`with ${name} and followRedirects, follows a 307 and a 308 within the same origin, re-sending the same POST`, async () => {
        server.handler = (request, res) => {
          if (request.url === '/v1') return void res.writeHead(307, { Location: '/v1/moved' }).end();
          if (request.url === '/v1/moved') return void res.writeHead(308, { Location: `${server.url}/final` }).end();
          sendJson(res, 200, SUCCESS);
        };
        const reply = await once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, followRedirects: true, ...withFetch }));
        expect(reply).to.deep.equal(SUCCESS);
        expect(server.requests.map((seen) => [seen.method, seen.url, seen.headers.authorization, seen.body])).to.deep.equal(
          ['/v1', '/v1/moved', '/v1/final'].map((url) => ['POST', url, `Bearer ${KEY}`, JSON.stringify(GET_RESPONSE)]),
        );
      });
    }

    it(`with followRedirects, stops after 5 redirects`, async () => {
      server.handler = (_r, res) => res.writeHead(307, { Location: '/v1' }).end();
      const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, followRedirects: true })));
      expect(error).to.include({ failure: 'redirect', status: 307, location: `http://127.0.0.1:${server.port}` });
      expect(server.requests).to.have.length(6);
    });

    it('with followRedirects, refuses a 303, which asks for a GET', async () => {
      server.handler = (_r, res) => res.writeHead(303, { Location: '/v1/other' }).end();
      const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, followRedirects: true })));
      expect(error).to.include({ failure: 'redirect', status: 303 });
      expect(server.requests).to.have.length(1);
    });

    it('refuses an https: to http: redirect on the same host even with followRedirects (a fetch that answers for an https: host)', async () => {
      const seen: string[] = [];
      const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(`${String(input)} ${init?.redirect ?? 'follow'}`);
        return new Response(null, { status: 301, headers: { Location: 'http://api.example.test/v1' } });
      }) as typeof fetch;
      const transport = createFetchTransport({ apiKey: KEY, baseUrl: 'https://api.example.test/v1', followRedirects: true, fetch: fakeFetch });
      const error = await failureOf(once(transport));
      expect(error).to.include({ failure: 'redirect', status: 301, location: 'http://api.example.test' });
      expect(seen).to.deep.equal(['https://api.example.test/v1 manual']);
    });

    it('refuses the opaque answer a browser gives a redirected manual fetch, and a redirect without Location', async () => {
      const opaque = Object.assign(new Response(null, { status: 200 }), {});
      Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
      Object.defineProperty(opaque, 'status', { value: 0 });
      const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, fetch: (async () => opaque) as typeof fetch })));
      expect(error).to.include({ failure: 'redirect', location: undefined });
      expect((error as Error).message).to.include('to an unreadable Location, not followed');
      server.handler = (_r, res) => res.writeHead(302).end();
      expect(await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, followRedirects: true })))).to.include({ failure: 'redirect', status: 302, location: undefined });
    });

    it('ends a watch at the first redirect, without retrying', async () => {
      server.handler = (_r, res) => res.writeHead(302, { Location: other.url }).end();
      const error = await failureOf(lastValueFrom(watchTask(TASK, { apiKey: KEY, baseUrl: server.url, initialDelay: 0, interval: 1, jitter: 0 })));
      expect(error).to.include({ failure: 'redirect', attempts: 1 });
      expect(server.requests).to.have.length(1);
      expect(other.requests).to.have.length(0);
    });
  });

  describe('a body cut short under its Content-Length', () => {
    it('fails at once as a retryable network failure when the server closes the connection (default fetch)', async () => {
      server.handler = (_r, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"data":[', () => res.socket?.destroy());
      };
      // requestTimeout far beyond the test's own timeout: only the detection can end this.
      const watch = watchTask(TASK, { apiKey: KEY, baseUrl: server.url, initialDelay: 0, retries: 0, requestTimeout: 600_000 });
      const error = await failureOf(lastValueFrom(watch));
      expect(error).to.be.instanceOf(RunwareHttpError);
      expect(error).to.include({ failure: 'network', retryable: true, attempts: 1 });
    });

    it('fails as a network failure when a fetch ends the stream early instead of failing it', async () => {
      const short = (async () => new Response('{"data":[', { status: 200, headers: { 'Content-Length': '1000' } })) as typeof fetch;
      const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url, fetch: short })));
      expect(error).to.include({ failure: 'network', retryable: true });
      expect(String((error as Error).cause)).to.include('the body ended after 9 of the 1000 bytes its Content-Length declares');
    });

    it('is retried, and the watch goes on', async () => {
      server.handler = (_r, res) => {
        if (server.requests.length > 1) return sendJson(res, 200, SUCCESS);
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('{"data":[', () => res.socket?.destroy());
      };
      const events = await lastValueFrom(watchTask(TASK, { apiKey: KEY, baseUrl: server.url, initialDelay: 0, interval: 1, jitter: 0, requestTimeout: 600_000 }).pipe(toArray()));
      expect(events.map((event) => event.status)).to.deep.equal(['success']);
      expect(server.requests).to.have.length(2);
    });
  });

  describe('replies refused for good are not retried', () => {
    const watchOnce = (extra: object = {}): Promise<unknown> =>
      failureOf(lastValueFrom(watchTask(TASK, { apiKey: KEY, baseUrl: server.url, initialDelay: 0, interval: 1, jitter: 0, ...extra })));

    it('a reply over maxResponseBytes', async () => {
      server.handler = (_r, res) => sendJson(res, 200, SUCCESS);
      const error = await watchOnce({ maxResponseBytes: 10 });
      expect(error).to.be.instanceOf(RunwareDecodeError);
      expect(error).to.include({ retryable: false, attempts: 1 });
      expect(server.requests).to.have.length(1);
    });

    it('a reply nested deeper than the limit', async () => {
      server.handler = (_r, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"data":[${'['.repeat(100)}${']'.repeat(100)}]}`);
      const error = await watchOnce();
      expect(error).to.be.instanceOf(RunwareDecodeError);
      expect(error).to.include({ retryable: false, attempts: 1 });
      expect((error as Error).message).to.match(/nested deeper than 64 levels/);
      expect(server.requests).to.have.length(1);
    });
  });

  describe('the API key', () => {
    it('is trimmed: a key read from a file with its newline is sent as the key', async () => {
      server.handler = (_r, res) => sendJson(res, 200, SUCCESS);
      await once(createFetchTransport({ apiKey: `  ${KEY}\n`, baseUrl: server.url }));
      expect(server.requests[0]?.headers.authorization).to.equal(`Bearer ${KEY}`);
    });

    for (const [what, apiKey] of [
      ['an inner space', 'rw-hostile key'],
      ['an inner newline', 'rw-hostile\nkey'],
      ['a non-ASCII character', 'rw-hostile-kéy'],
      ['a NUL', 'rw-hostile\u0000key'],
    ] as const) {
      it(`is refused at call with a TypeError saying why when it has ${what}, before any request`, () => {
        expect(() => createFetchTransport({ apiKey, baseUrl: server.url })).to.throw(TypeError, /apiKey has a character an HTTP header cannot carry at position \d+/);
        expect(server.requests).to.have.length(0);
      });
    }
  });

  it('redacts the key in Retry-After before keeping it', async () => {
    server.handler = (_r, res) => res.writeHead(503, { 'Retry-After': `${KEY} 5` }).end();
    const error = await failureOf(once(createFetchTransport({ apiKey: KEY, baseUrl: server.url })));
    expect(error).to.include({ status: 503, retryAfter: '[redacted] 5' });
  });
});
