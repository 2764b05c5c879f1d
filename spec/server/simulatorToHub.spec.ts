/**
 * Push end to end over loopback HTTP: the simulator POSTs webhooks to a real node:http receiver, which
 * hands them to the hub a watch reads. Synchronised on deliveries (hub emissions, counters), never on time.
 */
import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { createMemoryHub, createWebhookReceiver, type PushHub, type WebhookReceiver } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { rawPost } from '../helpers/rawPost.js';
import { eventually } from '../helpers/testServer.js';
import { useLoopbackServer } from '../helpers/loopbackServer.js';

const SECRET = 'loopback-secret-0123456789abcdef0123456789';
const TASK_BASE = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a red fox in snow', deliveryMethod: 'async' };

describe('push over loopback: simulator -> receiver -> hub', () => {
  let receiver: WebhookReceiver;
  let simulator: RunningSimulator | undefined;
  let hub: PushHub;

  const { origin } = useLoopbackServer(() => receiver.listener);
  beforeEach(() => {
    hub = createMemoryHub();
    receiver = createWebhookReceiver({ publicUrl: `${origin()}/runware/webhook`, secret: SECRET, pushHub: hub });
  });
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
    await hub.close();
  });

  const start = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
    simulator = await startSimulator({ timeScale: 1000, durations: { videoInference: { min: 0, max: 20_000 } }, ...options });
    return simulator;
  };
  const submit = async (running: RunningSimulator, numberResults: number, webhookURL?: string): Promise<string> => {
    const taskUUID = crypto.randomUUID();
    const reply = await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID, numberResults, webhookURL: webhookURL ?? receiver.urlFor(taskUUID) }]);
    expect(reply.status, reply.text).to.equal(200);
    return taskUUID;
  };
  const polledItems = async (running: RunningSimulator, taskUUID: string): Promise<unknown[]> => {
    const reply = await rawPost(running.url, running.apiKey, [{ taskType: 'getResponse', taskUUID }]);
    // The realistic dialect may put a task's failures under the legacy singular `error` key (one object or an array).
    const { data = [], errors = [], error = [] } = reply.json as { data?: unknown[]; errors?: unknown[]; error?: unknown };
    return [...data, ...errors, ...[error].flat()];
  };

  it('brings every finished generation of every task to its watch, the same items a poll shows', async () => {
    const running = await start({ failureRate: 0.3, seed: 3 });
    const tasks: Array<{ taskUUID: string; pushed: Promise<unknown[]> }> = [];
    for (let n = 0; n < 20; n += 1) {
      const taskUUID = crypto.randomUUID();
      const pushed = firstValueFrom(receiver.watch(taskUUID).pipe(take(2), toArray()));
      const reply = await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID, numberResults: 2, webhookURL: receiver.urlFor(taskUUID) }]);
      expect(reply.status).to.equal(200);
      tasks.push({ taskUUID, pushed });
    }
    for (const { taskUUID, pushed } of tasks) expect(await pushed).to.have.deep.members(await polledItems(running, taskUUID));
    expect(receiver.stats()).to.include({ accepted: 40, forged: 0, expired: 0 });
  });

  it('keeps a webhook that lands before the watch subscribes, and replays it to the late watch', async () => {
    const running = await start();
    const taskUUID = await submit(running, 2);
    await eventually(() => receiver.stats().accepted === 2);
    const replayed = await firstValueFrom(receiver.watch(taskUUID.toUpperCase()).pipe(take(2), toArray()));
    expect(replayed).to.have.deep.members(await polledItems(running, taskUUID));
  });

  it('duplicated and reordered deliveries reach the watch once each', async () => {
    const running = await start({ webhooks: { duplicateRate: 1, reorderRate: 1, delay: 0 } });
    const taskUUID = await submit(running, 3);
    await eventually(() => running.webhookStats().delivered === 6);
    const seen: unknown[] = [];
    receiver.watch(taskUUID).subscribe((body) => seen.push(body)).unsubscribe();
    expect(seen).to.have.length(3);
    expect(seen).to.have.deep.members(await polledItems(running, taskUUID));
    expect(receiver.stats().accepted).to.equal(6);
  });

  it('a receiver that cannot store a body answers 503 and the simulator\'s retry brings it later', async () => {
    let failures = 2;
    const flaky: PushHub = { ...hub, publish: (task, body) => (failures-- > 0 ? Promise.reject(new Error('store down')) : hub.publish(task, body)) };
    receiver = createWebhookReceiver({ publicUrl: `${origin()}/runware/webhook`, secret: SECRET, pushHub: flaky });
    const running = await start({ webhooks: { retryInterval: 5 } });
    const taskUUID = await submit(running, 1);
    const [body] = await firstValueFrom(receiver.watch(taskUUID).pipe(take(1), toArray()));
    expect([body]).to.deep.equal(await polledItems(running, taskUUID));
    expect(receiver.stats()).to.include({ hubFailures: 2, accepted: 1 });
    expect(running.webhookStats()).to.include({ retried: 2, delivered: 1 });
  });

  it('a webhookURL without a genuine token is refused every time and publishes nothing', async () => {
    const running = await start({ webhooks: { retryInterval: 1, maxAttempts: 3 } });
    const taskUUID = crypto.randomUUID();
    const seen: unknown[] = [];
    const watching = receiver.watch(taskUUID).subscribe((body) => seen.push(body));
    const reply = await rawPost(running.url, running.apiKey, [{ ...TASK_BASE, taskUUID, webhookURL: `${origin()}/runware/webhook?task=${taskUUID}` }]);
    expect(reply.status).to.equal(200);
    await eventually(() => running.webhookStats().failed === 1);
    watching.unsubscribe();
    expect(seen).to.deep.equal([]);
    expect(receiver.stats()).to.include({ forged: 3, accepted: 0 });
  });
});
