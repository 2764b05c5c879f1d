/**
 * The simulator's webhook delivery over loopback: one flat task object per finished generation (and per
 * failure), retries on non-2xx, and the drop/duplicate/delay/reorder faults. Tests synchronise on
 * deliveries (a promise per expected request), never on elapsed time.
 */
import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { rawPost } from '../helpers/rawPost.js';
import { eventually, startTestServer, type SeenRequest, type TestServer } from '../helpers/testServer.js';

const TASK_BASE = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a red fox in snow', deliveryMethod: 'async' };

describe('simulator webhooks', () => {
  let receiver: TestServer;
  let simulator: RunningSimulator | undefined;
  /** Answers every delivery with `status(n)` for the n-th (1-based). */
  let status: (n: number) => number;
  let waiting: Array<{ count: number; resolve: () => void }>;

  before(async () => {
    receiver = await startTestServer();
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.splice(0);
    waiting = [];
    status = () => 204;
    receiver.handler = (_seen: SeenRequest, response: ServerResponse) => {
      response.writeHead(status(receiver.requests.length)).end();
      waiting = waiting.filter((wait) => (receiver.requests.length >= wait.count ? (wait.resolve(), false) : true));
    };
  });
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
  });

  /** Resolves once the receiver has seen `count` requests. */
  const deliveries = (count: number): Promise<SeenRequest[]> =>
    new Promise<void>((resolve) => {
      if (receiver.requests.length >= count) resolve();
      else waiting.push({ count, resolve });
    }).then(() => receiver.requests.slice(0, count));

  const start = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
    // The documented shapes, so a delivery's body can be compared field by field with the poll's.
    simulator = await startSimulator({ dialect: 'strict', timeScale: 1000, durations: { videoInference: 0 }, ...options });
    return simulator;
  };
  const submit = async (running: RunningSimulator, extra: Record<string, unknown> = {}): Promise<string> => {
    const taskUUID = crypto.randomUUID();
    const reply = await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID, webhookURL: `${receiver.url}/hook?task=${taskUUID}`, ...extra }]);
    expect(reply.status, reply.text).to.equal(200);
    return taskUUID;
  };
  const bodies = (requests: ReadonlyArray<SeenRequest>): Array<Record<string, unknown>> => requests.map((request) => JSON.parse(request.body) as Record<string, unknown>);

  it('POSTs each finished generation to webhookURL as the flat task object, JSON, as polls show it', async () => {
    const running = await start();
    const taskUUID = await submit(running, { numberResults: 2, includeCost: true });
    const seen = await deliveries(2);
    for (const request of seen) {
      expect(request.method).to.equal('POST');
      expect(request.url).to.equal(`/v1/hook?task=${taskUUID}`);
      expect(request.headers['content-type']).to.equal('application/json');
    }
    const polled = await rawPost(running.url, running.apiKey, [{ taskType: 'getResponse', taskUUID }]);
    const data = (polled.json as { data: unknown[] }).data;
    expect(bodies(seen)).to.have.deep.members(data);
    expect(bodies(seen).every((body) => body['status'] === 'success' && body['taskUUID'] === taskUUID && typeof body['videoURL'] === 'string')).to.equal(true);
    expect(running.webhookStats()).to.include({ scheduled: 2, attempts: 2, delivered: 2, retried: 0 });
  });

  it('POSTs each failure as the flat error object', async () => {
    const running = await start();
    const taskUUID = await submit(running, { simulate: { generations: [{ fail: 'timeoutProvider', message: 'gave up' }] } });
    const [failure] = bodies(await deliveries(1));
    expect(failure).to.include({ code: 'timeoutProvider', status: 'error', message: 'gave up', taskUUID });
  });

  it('delivers nothing for a task without webhookURL', async () => {
    const running = await start();
    await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID: crypto.randomUUID() }]);
    await submit(running); // the only delivery the receiver sees
    const seen = await deliveries(1);
    expect(running.webhookStats()).to.include({ scheduled: 1 });
    expect(seen).to.have.length(1);
  });

  it('retries a delivery answered non-2xx with the same body until one is 2xx', async () => {
    status = (n) => (n <= 2 ? 500 : 204);
    const running = await start({ webhooks: { retryInterval: 5 } });
    await submit(running);
    const seen = await deliveries(3);
    expect(new Set(seen.map((request) => request.body)).size).to.equal(1);
    await eventually(() => running.webhookStats().delivered === 1);
    expect(running.webhookStats()).to.include({ attempts: 3, retried: 2, delivered: 1, failed: 0 });
  });

  it('gives up after maxAttempts and counts the delivery as failed', async () => {
    status = () => 503;
    const running = await start({ webhooks: { retryInterval: 1, maxAttempts: 3 } });
    await submit(running);
    await deliveries(3);
    await eventually(() => running.webhookStats().failed === 1);
    expect(running.webhookStats()).to.include({ attempts: 3, retried: 2, delivered: 0 });
  });

  it('drops deliveries at dropRate (lost for good) and delivers the others', async () => {
    const running = await start({ webhooks: { dropRate: 0.5 }, seed: 7 });
    for (let n = 0; n < 12; n += 1) await submit(running);
    const { scheduled, dropped } = running.webhookStats();
    expect(scheduled).to.equal(12);
    expect(dropped).to.be.within(1, 11);
    await deliveries(scheduled - dropped);
    await eventually(() => running.webhookStats().delivered === scheduled - dropped);
    expect(running.webhookStats().attempts).to.equal(scheduled - dropped);
  });

  it('sends a delivery twice at duplicateRate, and holds it back by delay at delayRate', async () => {
    const running = await start({ webhooks: { duplicateRate: 1, delayRate: 1, delay: 20 } });
    await submit(running);
    const [first, second] = await deliveries(2);
    expect(first?.body).to.equal(second?.body);
    expect(running.webhookStats()).to.include({ scheduled: 1, duplicated: 1, delayed: 1 });
  });

  it('reorders a task\'s deliveries at reorderRate: sent last generation first, each after the one before was answered', async () => {
    const running = await start({ webhooks: { reorderRate: 1, delay: 0 } });
    const fail = (message: string) => ({ fail: 'timeoutProvider', message, duration: 0 });
    await submit(running, { numberResults: 3, simulate: { generations: [fail('first'), fail('second'), fail('third')] } });
    const seen = bodies(await deliveries(3));
    expect(seen.map((body) => body['message'])).to.deep.equal(['third', 'second', 'first']);
    expect(running.webhookStats()).to.include({ reordered: 3 });
  });

  it('refuses a webhookURL that is not an http(s) URL, as Runware validates it (invalidWebhookURL)', async () => {
    const running = await start();
    for (const webhookURL of ['not a url', 'ftp://example.com/hook', 42, '/relative']) {
      const reply = await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID: crypto.randomUUID(), webhookURL }]);
      expect(reply.status, String(webhookURL)).to.equal(400);
      expect((reply.json as { errors: Array<{ code: string; parameter: string }> }).errors[0]).to.include({ code: 'invalidWebhookURL', parameter: 'webhookURL' });
    }
    expect(running.webhookStats().scheduled).to.equal(0);
  });

  it('refuses bad webhook options at start (RangeError)', async () => {
    for (const webhooks of [{ dropRate: 2 }, { maxAttempts: 0 }, { retryInterval: -1 }]) {
      const refused = await startSimulator({ webhooks }).then(async (started) => {
        await started.close();
        return undefined;
      }, (error: unknown) => error);
      expect(refused, JSON.stringify(webhooks)).to.be.instanceOf(RangeError);
    }
  });
});
