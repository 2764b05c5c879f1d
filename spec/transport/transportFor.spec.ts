import { expect } from 'chai';
import { firstValueFrom, of } from 'rxjs';
import { createRunwareClient, RunwareDecodeError, watchTask } from '../../src/index.js';
import type { Transport } from '../../src/transport/Transport.js';
import { transportFor, type ConnectionOptions } from '../../src/transport/transportFor.js';
import { FIXTURE_TASK_UUID as TASK, processing, reply } from '../../src/testing/index.js';
import { sendJson, useTestServer } from '../helpers/testServer.js';

describe('transportFor', () => {
  const loopback = useTestServer();
  /** A reply of about 2 KB: far over a 200-byte limit. */
  const large = { data: [processing({ padding: 'x'.repeat(2000) })] };

  it('returns a given transport as it is', () => {
    const transport: Transport = () => of({});
    expect(transportFor({ transport, apiKey: 'ignored' })).to.equal(transport);
  });

  it('passes every connection option to the fetch transport: key, baseUrl, fetch, maxResponseBytes', async () => {
    loopback.server.handler = (_seen, response) => sendJson(response, 200, large);
    let fetched = 0;
    const counting: typeof fetch = (input, init) => {
      fetched += 1;
      return globalThis.fetch(input, init);
    };
    const transport = transportFor({ apiKey: 'key-1', baseUrl: loopback.server.url, fetch: counting, maxResponseBytes: 200 });
    const error = await firstValueFrom(transport([{ taskType: 'ping' }])).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect((error as RunwareDecodeError).issues[0]).to.match(/^body: larger than maxResponseBytes \(200 bytes\)/);
    expect(fetched).to.equal(1);
    expect(loopback.server.requests[0]?.headers.authorization).to.equal('Bearer key-1');
  });

  it('is what createRunwareClient uses: a small maxResponseBytes refuses a large reply', async () => {
    loopback.server.handler = (_seen, response) => sendJson(response, 200, large);
    const client = createRunwareClient({ apiKey: 'key-1', baseUrl: loopback.server.url, maxResponseBytes: 200 });
    const error = await firstValueFrom(client.getResponse(TASK)).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect((error as RunwareDecodeError).issues[0]).to.match(/^body: larger than maxResponseBytes \(200 bytes\)/);
  });

  it('is what watchTask uses: a small maxResponseBytes refuses a large reply', async () => {
    loopback.server.handler = (_seen, response) => sendJson(response, 200, large);
    const watch = watchTask(TASK, { apiKey: 'key-1', baseUrl: loopback.server.url, maxResponseBytes: 200, initialDelay: 0, retries: 0 });
    const error = await firstValueFrom(watch).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareDecodeError);
    expect((error as RunwareDecodeError).issues[0]).to.match(/^body: larger than maxResponseBytes \(200 bytes\)/);
  });

  it('accepts undefined for every connection option (exactOptionalPropertyTypes), the environment key filling in', () => {
    const saved = process.env['RUNWARE_API_KEY'];
    process.env['RUNWARE_API_KEY'] = 'from-the-environment';
    try {
      const options: ConnectionOptions = { apiKey: undefined, baseUrl: undefined, fetch: undefined, maxResponseBytes: undefined, followRedirects: undefined, transport: undefined };
      expect(transportFor(options)).to.be.a('function');
    } finally {
      if (saved === undefined) delete process.env['RUNWARE_API_KEY'];
      else process.env['RUNWARE_API_KEY'] = saved;
    }
  });

  it('sends no key to a proxy when none is given, even with a blank RUNWARE_API_KEY', async () => {
    const saved = process.env['RUNWARE_API_KEY'];
    process.env['RUNWARE_API_KEY'] = ' ';
    loopback.server.handler = (_seen, response) => sendJson(response, 200, reply());
    try {
      await firstValueFrom(transportFor({ baseUrl: loopback.server.url, headers: { 'X-Session': 'session-1' } })([{ taskType: 'ping' }]));
    } finally {
      if (saved === undefined) delete process.env['RUNWARE_API_KEY'];
      else process.env['RUNWARE_API_KEY'] = saved;
    }
    expect(loopback.server.requests[0]?.headers.authorization).to.equal(undefined);
    expect(loopback.server.requests[0]?.headers['x-session']).to.equal('session-1');
  });

  it('throws at call without an API key for Runware itself', () => {
    const saved = process.env['RUNWARE_API_KEY'];
    delete process.env['RUNWARE_API_KEY'];
    try {
      expect(() => transportFor({})).to.throw(TypeError, /no API key/);
      expect(() => transportFor({ baseUrl: 'https://api.runware.ai/v1' })).to.throw(TypeError, /no API key/);
    } finally {
      if (saved !== undefined) process.env['RUNWARE_API_KEY'] = saved;
    }
  });
});
