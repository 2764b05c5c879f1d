/**
 * The receiver's options and its security over loopback HTTP: tokens (forged, expired, another task's),
 * replays, body sizes, methods, content types, body shapes; nothing refused is ever published.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { asyncScheduler, NEVER, of, type SchedulerLike, throwError } from 'rxjs';
import { createSharedHub, RunwareHttpError, watchTask, type Transport } from '../../src/index.js';
import { createMemoryHub, createWebhookReceiver, type PushHub, type ServerEvent, type WebhookReceiver, type WebhookReceiverOptions } from '../../src/server/index.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const OTHER = '5c0d7e1a-9b2f-4c3d-8e4f-a1b2c3d4e5f6';
const ITEM = { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: OTHER, videoURL: 'https://example.com/v.mp4' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** A scheduler whose clock the test sets; timers run on the real async scheduler. */
function manualClock(start: number): { scheduler: SchedulerLike; set: (now: number) => void } {
  let now = start;
  return { scheduler: { now: () => now, schedule: asyncScheduler.schedule.bind(asyncScheduler) }, set: (next) => (now = next) };
}

async function listen(listener: RequestListener): Promise<{ origin: string; server: Server }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Everything the hub received, per task. */
function recordHub(hub: PushHub, ...tasks: string[]): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>();
  for (const task of tasks) {
    const bodies: unknown[] = [];
    seen.set(task, bodies);
    hub.watch(task).subscribe((body) => bodies.push(body));
  }
  return seen;
}

describe('createWebhookReceiver', () => {
  describe('options', () => {
    const base: WebhookReceiverOptions = { publicUrl: 'https://app.example.com/runware/webhook', secret: SECRET };

    it('requires a secret of at least 32 characters (TypeError)', () => {
      expect(() => createWebhookReceiver({ ...base, secret: undefined as unknown as string })).to.throw(TypeError, /secret is required/);
      expect(() => createWebhookReceiver({ ...base, secret: '' })).to.throw(TypeError, /secret is required/);
      expect(() => createWebhookReceiver({ ...base, secret: 'x'.repeat(31) })).to.throw(TypeError, /too short/);
      expect(() => createWebhookReceiver({ ...base, secret: 'x'.repeat(32) })).to.not.throw();
    });

    it('takes https anywhere and http only on a loopback host', () => {
      for (const publicUrl of ['https://app.example.com/hook', 'http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]:9000/hook']) {
        expect(() => createWebhookReceiver({ ...base, publicUrl }), publicUrl).to.not.throw();
      }
      for (const publicUrl of ['http://app.example.com/hook', 'http://10.0.0.1/hook', 'ftp://example.com/', '/relative/hook', 'https://user:pw@example.com/', 'https://example.com/hook?token=1']) {
        expect(() => createWebhookReceiver({ ...base, publicUrl }), publicUrl).to.throw(TypeError);
      }
      expect(() => createWebhookReceiver({ ...base, maxBodyBytes: 0 })).to.throw(RangeError);
      expect(() => createWebhookReceiver({ ...base, tokenTtl: 1.5 })).to.throw(RangeError);
    });

    it('never shows the secret: not in errors, inspect, JSON or the URLs it makes', () => {
      const receiver = createWebhookReceiver(base);
      const shown = [inspect(receiver, { depth: 5, showHidden: true }), JSON.stringify(receiver), receiver.urlFor(TASK)];
      const short = (() => {
        try {
          createWebhookReceiver({ ...base, secret: 'a-short-secret' });
          return '';
        } catch (error) {
          return String(error) + inspect(error);
        }
      })();
      for (const text of [...shown, short]) {
        expect(text).to.not.include(SECRET);
        expect(text).to.not.include('a-short-secret');
        expect(text).to.not.include(Buffer.from(SECRET).toString('base64'));
      }
    });

    it('urlFor keeps the public URL and adds the lower-case task, the expiry (now + tokenTtl) and a token', () => {
      const clock = manualClock(1_000_000);
      const receiver = createWebhookReceiver({ ...base, publicUrl: 'https://app.example.com/runware/webhook?tenant=7', tokenTtl: 60_000, scheduler: clock.scheduler, pushHub: createMemoryHub() });
      const url = new URL(receiver.urlFor(TASK.toUpperCase()));
      expect(url.origin + url.pathname).to.equal('https://app.example.com/runware/webhook');
      expect(url.searchParams.get('tenant')).to.equal('7');
      expect(url.searchParams.get('task')).to.equal(TASK);
      expect(url.searchParams.get('expires')).to.equal('1060000');
      expect(url.searchParams.get('token')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(new URL(receiver.urlFor(OTHER)).searchParams.get('token')).to.not.equal(url.searchParams.get('token'));
      expect(() => receiver.urlFor('not-a-uuid')).to.throw(TypeError);
    });
    it('publishes to its pushHub option and shows it as pushHub; a watch accepts it as push only with that hub as its sharedHub', async () => {
      // One hub playing both contracts, as createRedisHub does: a PushHub for the receiver, a SharedHub for the watch.
      const hub = createSharedHub(Object.assign(createMemoryHub(), { acquire: () => of(true) }));
      const receiver = createWebhookReceiver({ ...base, pushHub: hub });
      const ownHub = createWebhookReceiver(base);
      try {
        expect(receiver.pushHub).to.equal(hub);
        expect(ownHub.pushHub).to.not.equal(hub);
        expect(() => watchTask(TASK, { push: receiver, sharedHub: hub, transport: () => NEVER })).to.not.throw();
        expect(() => watchTask(TASK, { push: ownHub, sharedHub: hub, transport: () => NEVER })).to.throw(TypeError, /option push publishes to another hub than option sharedHub: create the webhook receiver with \{ pushHub \}/);
      } finally {
        await hub.close();
        await ownHub.pushHub.close();
      }
    });
  });

  describe('security over loopback HTTP', () => {
    let origin = '';
    let server: Server;
    let receiver: WebhookReceiver;
    let clock: ReturnType<typeof manualClock>;
    let seen: Map<string, unknown[]>;
    const pathOf = (url: string): string => {
      const parsed = new URL(url);
      return `${origin}${parsed.pathname}${parsed.search}`;
    };
    const post = (url: string, body: string, headers: Record<string, string> = JSON_HEADERS, method = 'POST'): Promise<Response> =>
      fetch(pathOf(url), { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
    const published = (task = TASK): unknown[] => seen.get(task) ?? [];

    beforeEach(async () => {
      clock = manualClock(1_000_000);
      const hub = createMemoryHub();
      ({ origin, server } = await listen((request, response) => receiver.listener(request, response)));
      receiver = createWebhookReceiver({ publicUrl: `${origin}/runware/webhook`, secret: SECRET, pushHub: hub, maxBodyBytes: 1024, tokenTtl: 5_000, scheduler: clock.scheduler });
      seen = recordHub(hub, TASK, OTHER);
    });
    afterEach(async () => {
      await receiver.pushHub.close();
      await close(server);
    });

    it('accepts a genuine webhook with 204 and hands its body to the hub', async () => {
      const response = await post(receiver.urlFor(TASK), JSON.stringify(ITEM));
      expect(response.status).to.equal(204);
      expect(published()).to.deep.equal([ITEM]);
      expect(receiver.stats()).to.include({ accepted: 1, forged: 0 });
    });

    it('refuses a forged token, a missing one and another task\'s with 401, publishing nothing', async () => {
      const genuine = new URL(receiver.urlFor(TASK));
      const token = genuine.searchParams.get('token') ?? '';
      const flipped = new URL(genuine);
      flipped.searchParams.set('token', (token[0] === 'A' ? 'B' : 'A') + token.slice(1));
      const padded = new URL(genuine);
      padded.searchParams.set('token', `${token}=`);
      const missing = new URL(genuine);
      missing.searchParams.delete('token');
      const otherTask = new URL(genuine);
      otherTask.searchParams.set('task', OTHER);
      const noTask = new URL(genuine);
      noTask.searchParams.delete('task');
      const otherBody = JSON.stringify({ ...ITEM, taskUUID: OTHER });
      const statuses = [
        (await post(flipped.href, JSON.stringify(ITEM))).status,
        (await post(padded.href, JSON.stringify(ITEM))).status,
        (await post(missing.href, JSON.stringify(ITEM))).status,
        (await post(otherTask.href, otherBody)).status,
        (await post(noTask.href, JSON.stringify(ITEM))).status,
        (await post(`${origin}/runware/webhook`, JSON.stringify(ITEM))).status,
      ];
      expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401]);
      expect(published()).to.deep.equal([]);
      expect(published(OTHER)).to.deep.equal([]);
      expect(receiver.stats()).to.include({ accepted: 0, forged: 6, expired: 0 });
    });

    it('refuses an expired token with 401 (counted as expired) and a token whose expiry was extended as forged', async () => {
      const url = receiver.urlFor(TASK); // expires at 1_005_000
      clock.set(1_004_999);
      expect((await post(url, JSON.stringify(ITEM))).status).to.equal(204);
      clock.set(1_005_000);
      const late = await post(url, JSON.stringify({ ...ITEM, videoURL: 'https://example.com/late.mp4' }));
      expect(late.status).to.equal(401);
      const extended = new URL(url);
      extended.searchParams.set('expires', '9999999999999');
      expect((await post(extended.href, JSON.stringify(ITEM))).status).to.equal(401);
      expect(published()).to.deep.equal([ITEM]);
      expect(receiver.stats()).to.include({ accepted: 1, expired: 1, forged: 1 });
    });

    it('answers a replayed delivery 2xx (Runware retries) but publishes its body once; after expiry a replay is refused', async () => {
      const url = receiver.urlFor(TASK);
      const statuses = [(await post(url, JSON.stringify(ITEM))).status, (await post(url, JSON.stringify(ITEM))).status];
      expect(statuses).to.deep.equal([204, 204]);
      expect(published()).to.deep.equal([ITEM]);
      clock.set(1_010_000);
      expect((await post(url, JSON.stringify(ITEM))).status).to.equal(401);
      expect(published()).to.deep.equal([ITEM]);
    });

    it('limits the body size: 413 for a declared or a streamed (chunked) body beyond maxBodyBytes, and stays healthy', async () => {
      const url = receiver.urlFor(TASK);
      const fits = JSON.stringify({ ...ITEM, pad: '' });
      const exact = JSON.stringify({ ...ITEM, pad: 'x'.repeat(1024 - Buffer.byteLength(fits)) });
      expect(Buffer.byteLength(exact)).to.equal(1024);
      expect((await post(url, exact)).status).to.equal(204);
      const tooBig = JSON.stringify({ ...ITEM, pad: 'y'.repeat(1024) });
      expect((await post(url, tooBig)).status).to.equal(413);
      const chunked = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(pathOf(url), { method: 'POST', headers: { ...JSON_HEADERS, 'Transfer-Encoding': 'chunked' } }, (response: IncomingMessage) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        for (let i = 0; i < 8; i += 1) request.write('z'.repeat(512));
        request.end();
      });
      expect(chunked).to.equal(413);
      expect(published()).to.have.length(1);
      expect(receiver.stats()).to.include({ accepted: 1, oversized: 2 });
      expect((await post(url, JSON.stringify(ITEM))).status).to.equal(204);
    });

    it('refuses every method but POST with 405 and Allow: POST, even with a genuine token', async () => {
      const url = receiver.urlFor(TASK);
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const response = await post(url, JSON.stringify(ITEM), JSON_HEADERS, method);
        expect(response.status, method).to.equal(405);
        expect(response.headers.get('allow')).to.equal('POST');
      }
      expect(published()).to.deep.equal([]);
      expect(receiver.stats()).to.include({ wrongMethod: 4 });
    });

    it('takes JSON content types (or none) and refuses others with 415', async () => {
      const url = receiver.urlFor(TASK);
      const body = (n: number): string => JSON.stringify({ ...ITEM, videoURL: `https://example.com/${n}.mp4` });
      const statuses = [
        (await post(url, body(1), { 'Content-Type': 'application/json; charset=utf-8' })).status,
        (await post(url, body(2), { 'Content-Type': 'text/plain' })).status,
        (await post(url, body(3), { 'Content-Type': 'application/x-www-form-urlencoded' })).status,
        (await post(url, body(4), { 'Content-Type': 'multipart/form-data; boundary=x' })).status,
      ];
      expect(statuses).to.deep.equal([204, 415, 415, 415]);
      expect(published()).to.have.length(1);
      expect(receiver.stats()).to.include({ wrongContentType: 3 });
    });

    it('accepts the flat task object and the data/errors envelopes; refuses other shapes and bodies naming another task with 400', async () => {
      const url = receiver.urlFor(TASK);
      const failure = { code: 'timeoutProvider', status: 'error', message: 'The provider timed out.', taskUUID: TASK };
      const good = [ITEM, { data: [{ ...ITEM, videoURL: 'https://example.com/2.mp4' }] }, { errors: [failure] }, { taskUUID: TASK.toUpperCase(), status: 'processing' }];
      const bad = ['not json', '[1]', '"text"', '{"data":"nope"}', '{"data":[1]}', JSON.stringify({ ...ITEM, taskUUID: OTHER }), JSON.stringify({ data: [ITEM, { ...ITEM, taskUUID: OTHER }] })];
      for (const body of good) expect((await post(url, JSON.stringify(body))).status, JSON.stringify(body)).to.equal(204);
      for (const body of bad) expect((await post(url, body)).status, body).to.equal(400);
      expect(published()).to.deep.equal(good);
      expect(receiver.stats()).to.include({ accepted: 4, malformed: 7 });
    });

    it("refuses, with a genuine token, the hub's internal shape ({ sharedReply }) and an envelope naming another task at its top", async () => {
      const url = receiver.urlFor(TASK);
      const forged = [
        { sharedReply: { data: [{ ...ITEM, videoURL: 'https://attacker.example/v.mp4' }], errors: [] } },
        { taskUUID: OTHER, data: [{ ...ITEM, taskUUID: undefined }] },
      ];
      for (const body of forged) expect((await post(url, JSON.stringify(body))).status, JSON.stringify(body)).to.equal(400);
      expect(published()).to.deep.equal([]);
      expect(receiver.stats()).to.include({ accepted: 0, malformed: 2 });
    });

    it('compares tokens in constant time (timingSafeEqual over the raw HMAC bytes, never string equality)', () => {
      const source = readFileSync('src/server/webhookToken.ts', 'utf8');
      expect(source).to.match(/timingSafeEqual\(given, expected\)/);
      expect(source).to.not.match(/token\s*===|===\s*token|\.equals\(/);
    });
  });

  it('answers 503 when the hub cannot store a body, so Runware retries', async () => {
    const failing: PushHub = { publish: () => Promise.reject(new Error('down')), watch: () => createMemoryHub().watch(TASK), close: () => Promise.resolve() };
    const receiver = createWebhookReceiver({ publicUrl: 'http://127.0.0.1/hook', secret: SECRET, pushHub: failing });
    const response = await receiver.handle(new Request(receiver.urlFor(TASK), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(ITEM) }));
    expect(response.status).to.equal(503);
    expect(receiver.stats()).to.include({ hubFailures: 1, accepted: 0 });
  });

  it('tells onEvent of refusals (warn) and hub failures (error), never the token', async () => {
    const events: ServerEvent[] = [];
    const failing: PushHub = { publish: () => Promise.reject(new Error('hub down')), watch: () => createMemoryHub().watch(TASK), close: () => Promise.resolve() };
    const receiver = createWebhookReceiver({ publicUrl: 'https://app.example.com/runware/webhook', secret: SECRET, pushHub: failing, onEvent: (event) => events.push(event) });
    const url = receiver.urlFor(TASK);
    const token = new URL(url).searchParams.get('token') ?? '';
    await receiver.handle(new Request(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(ITEM) }));
    await receiver.handle(new Request(url.replace(/token=[^&]+/, 'token=forged'), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(ITEM) }));
    expect(events).to.deep.equal([
      { source: 'webhooks', level: 'error', code: 'hubFailures', status: 503, message: 'Try again later.', method: 'POST', path: '/runware/webhook', cause: 'Error: hub down' },
      { source: 'webhooks', level: 'warn', code: 'forged', status: 401, message: 'Invalid webhook token.', method: 'POST', path: '/runware/webhook' },
    ]);
    expect(JSON.stringify(events)).not.to.include(token);
  });

  it('with confirm, takes a webhook as a wake-up: the hub gets the reply of one getResponse of the token\'s task, never the body', async () => {
    const asked: unknown[] = [];
    const runware = { data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'processing' }] };
    const confirm: Transport = (tasks) => (asked.push(tasks), of(runware));
    const receiver = createWebhookReceiver({ publicUrl: 'https://app.example.com/hook', secret: SECRET, confirm });
    const seen = recordHub(receiver.pushHub, TASK);
    const lie = { ...ITEM, videoURL: 'https://attacker.example/v.mp4' };
    const response = await receiver.handle(new Request(receiver.urlFor(TASK), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(lie) }));
    expect(response.status).to.equal(204);
    expect(asked).to.deep.equal([[{ taskType: 'getResponse', taskUUID: TASK }]]);
    expect(seen.get(TASK)).to.deep.equal([runware]);
    const down = createWebhookReceiver({ publicUrl: 'https://app.example.com/hook', secret: SECRET, confirm: () => throwError(() => new RunwareHttpError({ failure: 'status', status: 503 })) });
    expect((await down.handle(new Request(down.urlFor(TASK), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(ITEM) }))).status, 'Runware retries').to.equal(503);
    await receiver.pushHub.close();
    await down.pushHub.close();
  });

  it('handle(): the same checks for Fetch-standard runtimes, a streamed body limited too', async () => {
    const receiver = createWebhookReceiver({ publicUrl: 'https://app.example.com/hook', secret: SECRET, maxBodyBytes: 100 });
    const seen = recordHub(receiver.pushHub, TASK);
    const url = receiver.urlFor(TASK);
    const small = JSON.stringify({ taskUUID: TASK, status: 'success' });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(32)));
        controller.close();
      },
    });
    const statuses = [
      (await receiver.handle(new Request(url, { method: 'POST', headers: JSON_HEADERS, body: small }))).status,
      (await receiver.handle(new Request(url.replace('token=', 'token=x'), { method: 'POST', headers: JSON_HEADERS, body: small }))).status,
      (await receiver.handle(new Request(url, { method: 'POST', headers: JSON_HEADERS, body: stream, duplex: 'half' } as RequestInit))).status,
      (await receiver.handle(new Request(url, { method: 'GET' }))).status,
    ];
    await receiver.pushHub.close();
    expect(statuses).to.deep.equal([204, 401, 413, 405]);
    expect(seen.get(TASK)).to.deep.equal([JSON.parse(small)]);
  });

  it('listener(): takes a body a framework already parsed (express.json() mounted first)', async () => {
    const receiver = createWebhookReceiver({ publicUrl: 'http://127.0.0.1/hook', secret: SECRET });
    const seen = recordHub(receiver.pushHub, TASK);
    const { origin, server } = await listen((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        (request as IncomingMessage & { body?: unknown }).body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        receiver.listener(request, response);
      });
    });
    try {
      const url = new URL(receiver.urlFor(TASK));
      const response = await fetch(`${origin}${url.pathname}${url.search}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(ITEM) });
      expect(response.status).to.equal(204);
      expect(seen.get(TASK)).to.deep.equal([ITEM]);
    } finally {
      await receiver.pushHub.close();
      await close(server);
    }
  });
});
