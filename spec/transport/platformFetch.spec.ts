/**
 * The default fetch: the platform's where there is one, else cross-fetch loaded at the first request
 * (never bundled: see scripts/size.ts's browser rows).
 */
import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { fetchFailureReason as reasonInBrowser, platformFetch as inBrowser } from '../../src/transport/platformFetch.browser.js';
import { fetchFailureReason, platformFetch } from '../../src/transport/platformFetch.js';
import { sendJson, useTestServer } from '../helpers/testServer.js';

describe('platformFetch', () => {
  const stub = useTestServer();

  for (const [form, fetchOf] of [
    ['', platformFetch],
    ['in a browser bundle (its browser form, which carries no fallback): ', inBrowser],
  ] as const) {
    it(`${form}uses the platform fetch where there is one, looked up at each request`, async () => {
      const platform = globalThis.fetch;
      const calls: unknown[] = [];
      globalThis.fetch = (input, init) => (calls.push(input), platform(input, init));
      try {
        stub.server.handler = (_request, response) => sendJson(response, 200, { data: [] });
        const reply = await fetchOf(stub.server.url, { method: 'POST', body: '[]' });
        expect(await reply.json()).to.deep.equal({ data: [] });
        expect(calls).to.deep.equal([stub.server.url]);
      } finally {
        globalThis.fetch = platform;
      }
    });
  }

  it('loads cross-fetch where the runtime has no fetch, and reaches the server with it', async () => {
    const platform = globalThis.fetch;
    Reflect.deleteProperty(globalThis, 'fetch');
    try {
      stub.server.handler = (seen, response) => sendJson(response, 200, { echoed: seen.body });
      const reply = await platformFetch(stub.server.url, { method: 'POST', body: '[1]' });
      expect(await reply.json()).to.deep.equal({ echoed: '[1]' });
      expect(reply.headers.get('content-type')).to.include('application/json');
      // node-fetch's Response, not the platform's: the request did not go through a fetch that is absent.
      expect(reply).to.not.be.instanceOf(Response);
    } finally {
      globalThis.fetch = platform;
    }
  });

  describe('fetchFailureReason', () => {
    /** A loopback port nothing listens on: a request to it is refused at once. */
    const closedPort = async (): Promise<number> => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      return port;
    };

    it("follows Node's fetch into its cause, where the system's words are", async () => {
      const refused = await platformFetch(`http://127.0.0.1:${await closedPort()}/`).catch((error: unknown) => error);
      expect(fetchFailureReason(refused)).to.match(/^TypeError: fetch failed: Error: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
      const chain = new TypeError('a', { cause: new RangeError('b', { cause: new Error('c', { cause: new Error('d') }) }) });
      expect(fetchFailureReason(chain)).to.equal('TypeError: a: RangeError: b: Error: c');
      expect(fetchFailureReason('not an error')).to.equal('unknown failure');
    });

    it("in a browser bundle, reads the error alone: a browser's fetch gives no cause", () => {
      expect(reasonInBrowser(new TypeError('Failed to fetch'))).to.equal('TypeError: Failed to fetch');
      expect(reasonInBrowser(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).to.equal('TypeError: fetch failed');
      expect(reasonInBrowser('not an error')).to.equal('unknown failure');
    });
  });
});
