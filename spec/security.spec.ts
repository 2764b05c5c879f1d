/**
 * Security and input hygiene, over a real node:http server on loopback: the API key never leaks into
 * what the library builds, http: is refused off loopback, task UUIDs are checked, request bodies are
 * exactly the JSON of the task objects, oversized replies are refused early, media is never fetched.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray, VirtualTimeScheduler, type Observable } from 'rxjs';
import {
  createFetchTransport,
  createRunwareClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  RunwareApiError,
  RunwareDecodeError,
  RunwareHttpError,
  RunwareTimeoutError,
  RunwareValidationError,
  watchTask,
} from '../src/index.js';
import type { GenerationEvent } from '../src/events/events.js';
import type { WatchOptions } from '../src/watch/options.js';
import { sendJson, startTestServer, type TestServer } from './helpers/testServer.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const KEY = 'rwK3yS3cr3tD0N0tL3akQ9z8x7w6v5u4';
const VIDEO = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

/** Every string view of an error, its cause chain included. */
function everyViewOf(error: unknown): string[] {
  const views: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
    if (current instanceof Error) views.push(current.message, current.stack ?? '', String(current));
    views.push(JSON.stringify(current) ?? '', inspect(current, { depth: Infinity, showHidden: true, getters: true }));
    if (typeof current === 'object') {
      for (const value of Object.values(current)) views.push(JSON.stringify(value) ?? '', inspect(value, { depth: Infinity }));
    }
    current = (current as { cause?: unknown }).cause;
  }
  return views;
}

/** The key as text may carry it: literal, JSON-escaped (`\u0072...`, either case) and percent-encoded (either case). */
const KEY_FORMS: ReadonlyArray<string> = (() => {
  const hex = (char: string, width: number): string => char.charCodeAt(0).toString(16).padStart(width, '0');
  const escaped = [...KEY].map((char) => `\\u${hex(char, 4)}`).join('');
  const percent = [...KEY].map((char) => `%${hex(char, 2)}`).join('');
  return [KEY, escaped, escaped.toUpperCase().replaceAll('\\U', '\\u'), percent, percent.toUpperCase()];
})();

function expectNoKey(value: unknown, what: string): void {
  for (const view of everyViewOf(value)) {
    for (const form of KEY_FORMS) expect(view.includes(form), `${what} shows the API key (${form.slice(0, 12)}...) in: ${view.slice(0, 300)}`).to.equal(false);
  }
}

async function failureOf(watch: Observable<GenerationEvent>): Promise<unknown> {
  try {
    await lastValueFrom(watch.pipe(toArray()));
  } catch (error) {
    return error;
  }
  throw new Error('the watch did not fail');
}

describe('security and input hygiene', () => {
  let server: TestServer;
  const fast = (overrides: Partial<WatchOptions> = {}): WatchOptions => ({
    apiKey: KEY,
    baseUrl: server.url,
    initialDelay: 0,
    interval: 1,
    maxInterval: 1,
    jitter: 0,
    retries: 1,
    requestTimeout: 2000,
    ...overrides,
  });

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  describe('the API key never appears in an error', () => {
    const echo = `Invalid API key: Bearer ${KEY}`;
    const cases: Array<[string, TestServer['handler']]> = [
      ['401 echoing the key', (_r, res) => sendJson(res, 401, { errors: [{ code: 'invalidApiKey', message: echo, parameter: 'apiKey' }] })],
      ['403 echoing the key in its status text', (_r, res) => {
        res.statusMessage = `Forbidden for ${KEY}`;
        sendJson(res, 403, { error: { code: 'forbidden', message: echo } });
      }],
      ['500 echoing the key', (_r, res) => sendJson(res, 500, { errors: [{ code: 'internalServerError', message: echo }] })],
      ['garbage echoing the key', (_r, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<html>${KEY}</html>`)],
      ['valid JSON failing the codec, echoing the key', (_r, res) => sendJson(res, 200, { data: [{ taskUUID: 42, note: KEY }] })],
      ['a request-level errors[] echoing the key', (_r, res) => sendJson(res, 200, { errors: [{ code: 'invalidApiKey', message: echo, taskType: 'authentication' }] })],
      ['a reset connection', (_r, res) => res.socket?.destroy()],
      ['a reply that never comes', () => undefined],
    ];
    for (const [name, handler] of cases) {
      it(`on ${name}`, async () => {
        server.handler = handler;
        const reports: unknown[] = [];
        const error = await failureOf(watchTask(TASK, fast({ requestTimeout: 200, onAttempt: (report) => reports.push(report) })));
        expect(error).to.be.instanceOf(Error);
        expect((error as Error).name).to.match(/^Runware/);
        expectNoKey(error, name);
        // The observability hook is a log sink: what it is handed must be as clean.
        expect(reports).to.have.length.of.at.least(1);
        for (const report of reports) expectNoKey(report, `${name} (onAttempt)`);
        // The key did reach the server, so the test would see a leak.
        expect(server.requests[0]?.headers.authorization).to.equal(`Bearer ${KEY}`);
      });
    }

    describe('echoed in another encoding', () => {
      /** The key as a JSON encoder that escapes every character writes it. */
      const escapedKey = [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
      const percentKey = [...KEY].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).join('');
      const rawJson = (status: number, text: string, headers: Record<string, string> = {}): TestServer['handler'] => (_r, res) =>
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(text);
      const processingEcho = (note: string): string =>
        `{"data":[{"taskType":"videoInference","taskUUID":"${TASK}","status":"processing","note":"${note}"}]}`;
      const cases: Array<[string, TestServer['handler'], Partial<WatchOptions>, new (...args: never[]) => Error]> = [
        ['401 echoing it JSON-escaped (RunwareApiError)', rawJson(401, `{"errors":[{"code":"invalidApiKey","message":"Bearer ${escapedKey}","parameter":"apiKey"}]}`), {}, RunwareApiError],
        ['401 echoing it percent-encoded', rawJson(401, `{"errors":[{"code":"invalidApiKey","message":"see /keys/${percentKey}"}]}`), {}, RunwareApiError],
        ['200 errors[] echoing it JSON-escaped', rawJson(200, `{"errors":[{"code":"invalidApiKey","message":"${escapedKey}","taskType":"authentication"}]}`), {}, RunwareApiError],
        ['500 echoing it JSON-escaped (RunwareHttpError)', rawJson(500, `{"errors":[{"code":"internalServerError","message":"${escapedKey}"}]}`), {}, RunwareHttpError],
        ['429 echoing it in Retry-After', (_r, res) => res.writeHead(429, { 'Retry-After': `${KEY}, ${percentKey}` }).end(), {}, RunwareHttpError],
        ['a redirect whose Location names it', (_r, res) => res.writeHead(302, { Location: `http://${KEY.toLowerCase()}.test/${KEY}?k=${percentKey}` }).end(), {}, RunwareHttpError],
        ['a codec failure echoing it JSON-escaped (RunwareDecodeError)', rawJson(200, `{"data":[{"taskUUID":42,"note":"${escapedKey}"}]}`), {}, RunwareDecodeError],
        ['a body that is not JSON echoing it JSON-escaped', rawJson(200, `{"data":[ "${escapedKey}"`), {}, RunwareDecodeError],
        ['a body nested too deep echoing it', rawJson(200, `{"k":"${escapedKey}","d":${'['.repeat(80)}${']'.repeat(80)}}`), {}, RunwareDecodeError],
        ['a body over maxResponseBytes echoing it', rawJson(200, `{"k":"${escapedKey}"}`), { maxResponseBytes: 20 }, RunwareDecodeError],
        ['a processing reply echoing it until the deadline (RunwareTimeoutError)', rawJson(200, processingEcho(escapedKey)), { timeout: 150, retries: 5 }, RunwareTimeoutError],
        ['a percent-encoded echo until the deadline', rawJson(200, processingEcho(percentKey)), { timeout: 150, retries: 5 }, RunwareTimeoutError],
      ];
      for (const [name, handler, options, errorClass] of cases) {
        it(`on ${name}`, async () => {
          server.handler = handler;
          const reports: unknown[] = [];
          const events: unknown[] = [];
          // The deadline cases run the watch's clock by hand: the first poll, then (once its real reply
          // is in) everything up to the deadline, so no machine is too slow to see one reply before it.
          const clock = errorClass === RunwareTimeoutError ? new VirtualTimeScheduler() : undefined;
          let firstEvent: () => void = () => undefined;
          const replied = new Promise<void>((resolve) => (firstEvent = resolve));
          const watch = watchTask(TASK, fast({ requestTimeout: 500, onAttempt: (report) => reports.push(report), ...options, ...(clock ? { scheduler: clock } : {}) }));
          const ended = new Promise<unknown>((resolve) =>
            watch.subscribe({ next: (event) => (events.push(event), firstEvent()), error: resolve, complete: () => resolve(undefined) }),
          );
          if (clock !== undefined) {
            clock.maxFrames = 0;
            clock.flush();
            await replied;
            clock.maxFrames = Number.POSITIVE_INFINITY;
            clock.flush();
          }
          const error = await ended;
          expect(error).to.be.instanceOf(errorClass);
          expectNoKey(error, name);
          expect(reports).to.have.length.of.at.least(1);
          for (const report of reports) expectNoKey(report, `${name} (onAttempt)`);
          for (const event of events) expectNoKey(event, `${name} (event)`);
          expect(server.requests[0]?.headers.authorization).to.equal(`Bearer ${KEY}`);
        });
      }

      it('nor in an event whose fields echo it JSON-escaped and percent-encoded', async () => {
        server.handler = rawJson(
          200,
          `{"data":[{"taskType":"videoInference","taskUUID":"${TASK}","status":"success","videoUUID":"${VIDEO}","videoURL":"https://media.test/v.mp4?k=${percentKey}&e=${escapedKey}"}]}`,
        );
        const events = await lastValueFrom(watchTask(TASK, fast()).pipe(toArray()));
        expect(events).to.have.length(1);
        expectNoKey(events, 'event');
        expect(events[0]?.status === 'success' ? events[0].result.videoURL : undefined).to.equal('https://media.test/v.mp4?k=[redacted]&e=[redacted]');
      });

      it('nor in a RunwareValidationError, nor with a key that came with whitespace', async () => {
        const client = createRunwareClient({ apiKey: `${KEY}\n`, baseUrl: server.url });
        const error = await firstValueFrom(client.submit({ taskType: 'videoInference', taskUUID: TASK, positivePrompt: KEY } as never)).catch((caught: unknown) => caught);
        expect(error).to.be.instanceOf(RunwareValidationError);
        expectNoKey(error, 'RunwareValidationError');
        server.handler = rawJson(401, `{"errors":[{"code":"invalidApiKey","message":"${escapedKey}"}]}`);
        const refused = await failureOf(watchTask(TASK, fast({ apiKey: ` ${KEY}\n` })));
        expect(refused).to.be.instanceOf(RunwareApiError);
        expectNoKey(refused, 'key with whitespace');
      });
    });

    it('nor in an event built from a reply that echoes it', async () => {
      server.handler = (_r, res) =>
        sendJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: `https://media.test/v.mp4?k=${KEY}` }] });
      const events = await lastValueFrom(watchTask(TASK, fast()).pipe(toArray()));
      expect(events).to.have.length(1);
      expect(JSON.stringify(events)).to.not.include(KEY);
      expect(inspect(events, { depth: Infinity })).to.not.include(KEY);
    });

    it('nor in the TypeError or RangeError of bad options', () => {
      const attempts: Array<() => unknown> = [
        () => watchTask(TASK, { apiKey: KEY, baseUrl: 'http://example.com/v1' }),
        () => watchTask(TASK, { apiKey: KEY, baseUrl: KEY }),
        () => watchTask(TASK, { apiKey: KEY, baseUrl: `https://user:${KEY}@api.example.com/v1` }),
        () => watchTask(TASK, { apiKey: KEY, numberResults: -1 }),
        () => watchTask(TASK, { apiKey: KEY, maxResponseBytes: 0 }),
        () => watchTask(KEY, { apiKey: KEY }),
        () => watchTask(TASK, { apiKey: ' ' }),
      ];
      for (const attempt of attempts) {
        let thrown: unknown;
        try {
          attempt();
        } catch (error) {
          thrown = error;
        }
        expect(thrown, String(attempt)).to.be.instanceOf(Error);
        expect((thrown as Error).name).to.be.oneOf(['TypeError', 'RangeError']);
        expectNoKey(thrown, String(attempt));
      }
      expect(server.requests).to.have.length(0);
    });

    it('nor in the transport, should anyone print it', () => {
      const transport = createFetchTransport({ apiKey: KEY, baseUrl: server.url });
      expect(inspect(transport, { showHidden: true, depth: Infinity })).to.not.include(KEY);
      expect(String(transport)).to.not.include(KEY);
      expect(JSON.stringify({ transport })).to.not.include(KEY);
    });
  });

  describe('baseUrl', () => {
    const refused = [
      'http://example.com/v1',
      'http://127.0.0.1.example.com/v1',
      'http://localhost.example.com/v1',
      'http://0.0.0.0/v1',
      'http://10.0.0.1/v1',
      'ftp://127.0.0.1/v1',
      'ws://127.0.0.1/v1',
      'not a url',
      `https://user:pass@api.example.com/v1`,
    ];
    for (const baseUrl of refused) {
      it(`refuses ${baseUrl} before any request`, () => {
        let calls = 0;
        const spy = (() => {
          calls += 1;
          return Promise.reject(new Error('must not be called'));
        }) as typeof fetch;
        expect(() => watchTask(TASK, { apiKey: KEY, baseUrl, fetch: spy })).to.throw(TypeError, /baseUrl/);
        expect(calls).to.equal(0);
      });
    }

    it('allows http: on 127.0.0.1, localhost and [::1]', async function () {
      const ipv6 = await startTestServer('::1', server.port).catch(() => undefined);
      const reply: TestServer['handler'] = (_r, res) =>
        sendJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: 'https://media.test/v.mp4' }] });
      server.handler = reply;
      if (ipv6) ipv6.handler = reply;
      try {
        const bases = [`http://127.0.0.1:${server.port}/v1`, `http://localhost:${server.port}/v1`, ...(ipv6 ? [`http://[::1]:${server.port}/v1`] : [])];
        for (const baseUrl of bases) {
          const events = await lastValueFrom(watchTask(TASK, fast({ baseUrl })).pipe(toArray()));
          expect(events.map((event) => event.status), baseUrl).to.deep.equal(['success']);
        }
        expect(server.requests.length + (ipv6?.requests.length ?? 0)).to.equal(bases.length);
        if (!ipv6) this.skip();
      } finally {
        await ipv6?.close();
      }
    });
  });

  describe('task UUIDs', () => {
    const bad: unknown[] = [
      '',
      'abc',
      `${TASK}\n`,
      ` ${TASK}`,
      `${TASK}","taskType":"imageInference`,
      '../../v1/admin',
      '24cd5dff-cb81-4db5-8506-b72a9425f9d1-0',
      '24cd5dffcb814db58506b72a9425f9d1',
      42,
      null,
      undefined,
      { toString: () => TASK },
    ];
    for (const value of bad) {
      it(`refuses ${inspect(value)} with a TypeError before any request`, () => {
        expect(() => watchTask(value as string, { apiKey: KEY, baseUrl: server.url })).to.throw(TypeError, /taskUUID must be a UUID/);
        expect(server.requests).to.have.length(0);
      });
    }

    it('echoes a mistyped UUID but never another string, which may be a secret', () => {
      expect(() => watchTask('24cd5dff-cb81-4db5', { apiKey: KEY })).to.throw(TypeError, /got "24cd5dff-cb81-4db5"/);
      expect(() => watchTask('hunter2hunter2', { apiKey: KEY })).to.throw(TypeError, /got a string of 14 characters that is not a UUID/);
    });
  });

  describe('request bodies', () => {
    it('are exactly the JSON of the task objects, with the key only in the Authorization header', async () => {
      server.handler = (_r, res) =>
        sendJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: 'https://media.test/v.mp4' }] });
      await lastValueFrom(watchTask(TASK.toUpperCase(), fast()).pipe(toArray()));
      const [seen] = server.requests;
      expect(seen?.method).to.equal('POST');
      expect(seen?.url).to.equal('/v1');
      expect(seen?.body).to.equal(`[{"taskType":"getResponse","taskUUID":"${TASK.toUpperCase()}"}]`);
      expect(seen?.headers['content-type']).to.equal('application/json');
      expect(seen?.headers.authorization).to.equal(`Bearer ${KEY}`);
      expect(seen?.body).to.not.include(KEY);
      expect(seen?.url).to.not.include(KEY);
    });
  });

  describe('response size limit', () => {
    it(`defaults to ${DEFAULT_MAX_RESPONSE_BYTES} bytes (8 MiB)`, () => {
      expect(DEFAULT_MAX_RESPONSE_BYTES).to.equal(8 * 1024 * 1024);
    });

    it('refuses a body whose Content-Length is over the limit, without reading it', async () => {
      let written = 0;
      server.handler = (_r, res) => {
        const size = 1_000_000;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': size });
        const chunk = Buffer.alloc(10_000, 0x20);
        const pump = (): void => {
          while (written < size && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (written >= size) res.end();
        };
        pump();
      };
      const transport = createFetchTransport({ apiKey: KEY, baseUrl: server.url, maxResponseBytes: 50_000 });
      const error = await firstValueFrom(transport([{ taskType: 'getResponse', taskUUID: TASK }])).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(RunwareDecodeError);
      expect((error as RunwareDecodeError).issues[0]).to.match(/larger than maxResponseBytes \(50000 bytes\): the reply declares 1000000 bytes/);
      expect((error as RunwareDecodeError).body).to.equal(undefined);
    });

    for (const [name, fetchImpl] of [
      ['the default fetch', undefined],
      ['the platform fetch', globalThis.fetch],
    ] as const) {
      it(`with ${name}, refuses a body without Content-Length as it streams past the limit, and aborts the download`, async () => {
        const total = 64 * 1024 * 1024;
        let written = 0;
        let closed: Promise<void> = Promise.resolve();
        server.handler = (_r, res) => {
          closed = new Promise((resolve) => res.once('close', () => resolve()));
          res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked: no Content-Length
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = (): void => {
            while (written < total && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            if (written >= total) res.end();
          };
          res.write('{"data":[');
          pump();
        };
        const transport = createFetchTransport({ apiKey: KEY, baseUrl: server.url, maxResponseBytes: 200_000, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
        const error = await firstValueFrom(transport([{ taskType: 'getResponse', taskUUID: TASK }])).catch((caught: unknown) => caught);
        expect(error).to.be.instanceOf(RunwareDecodeError);
        expect((error as RunwareDecodeError).issues[0]).to.match(/larger than maxResponseBytes \(200000 bytes\): the reply went past the limit after \d+ bytes/);
        await closed;
        expect(written, 'the server stopped being read long before the end').to.be.below(total);
      });
    }

    it('accepts a body right at the limit, and watchTask passes maxResponseBytes through', async () => {
      const body = JSON.stringify({ data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: 'https://media.test/v.mp4' }] });
      const size = Buffer.byteLength(body);
      server.handler = (_r, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      const events = await lastValueFrom(watchTask(TASK, fast({ maxResponseBytes: size })).pipe(toArray()));
      expect(events.map((event) => event.status)).to.deep.equal(['success']);
      const error = await failureOf(watchTask(TASK, fast({ maxResponseBytes: size - 1 })));
      expect(error).to.be.instanceOf(RunwareDecodeError);
      expect((error as RunwareDecodeError).message).to.match(/maxResponseBytes/);
    });

    it('rejects a limit that is not a whole number of at least 1', () => {
      for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => createFetchTransport({ apiKey: KEY, maxResponseBytes: value })).to.throw(RangeError, /maxResponseBytes/);
      }
    });
  });

  describe('media URLs', () => {
    it('are returned, never fetched', async () => {
      const media = `http://127.0.0.1:${server.port}/media/${VIDEO}.mp4`;
      server.handler = (request, res) => {
        if (request.url.startsWith('/media/')) return void res.writeHead(200, { 'Content-Type': 'video/mp4' }).end('not a video');
        sendJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: VIDEO, videoURL: media }] });
      };
      // Every request the watch makes, seen as it is made (no wait can tell that one never comes later).
      const fetched: string[] = [];
      const recording: typeof fetch = (input, init) => {
        fetched.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`);
        return fetch(input, init);
      };
      const events = await lastValueFrom(watchTask(TASK, fast({ fetch: recording })).pipe(toArray()));
      expect(events).to.have.length(1);
      expect(events[0]?.status === 'success' ? events[0].result.videoURL : undefined).to.equal(media);
      expect(fetched).to.deep.equal(['POST /v1']);
      expect(server.requests.map((request) => `${request.method} ${request.url}`)).to.deep.equal(['POST /v1']);
    });
  });
});
