/**
 * Push in the watch end to end over loopback HTTP: the client submits with the receiver's webhookURL,
 * the simulator POSTs each finished generation to a real node:http receiver, and the watch merges those
 * pushes with its sparse safety-net polls. Synchronised on the watches' completion, never on time.
 */
import { expect } from 'chai';
import { lastValueFrom, merge, toArray } from 'rxjs';
import { createRunwareClient, videoInference, type GenerationEvent } from '../../src/index.js';
import { createWebhookReceiver, type WebhookReceiver } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { useLoopbackServer } from '../helpers/loopbackServer.js';

const SECRET = 'loopback-secret-0123456789abcdef0123456789';
const TASKS = 24;
const GENERATIONS = 2;

describe('push in the watch over loopback: simulator -> receiver -> watch', () => {
  let receiver: WebhookReceiver;
  let simulator: RunningSimulator | undefined;

  const { origin } = useLoopbackServer(() => receiver.listener);
  beforeEach(() => {
    receiver = createWebhookReceiver({ publicUrl: `${origin()}/runware/webhook`, secret: SECRET });
  });
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
    await receiver.pushHub.close();
  });

  /** Runs TASKS two-video tasks through a client with push; the events by task. */
  const runAll = async (options: SimulatorOptions, safetyNet: { readonly pollDelay: number; readonly pollInterval: number }): Promise<Map<string, GenerationEvent[]>> => {
    simulator = await startSimulator({ timeScale: 1000, durations: { videoInference: { min: 0, max: 20_000 } }, ...options });
    const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, push: { source: receiver, ...safetyNet } });
    const runs = Array.from({ length: TASKS }, (_, n) => client.run(videoInference({ model: 'klingai:5@3', positivePrompt: `a fox, take ${n}`, duration: 5, numberResults: GENERATIONS })));
    const events = await lastValueFrom(merge(...runs).pipe(toArray()));
    const byTask = new Map<string, GenerationEvent[]>();
    for (const event of events) byTask.set(event.taskUUID, [...(byTask.get(event.taskUUID) ?? []), event]);
    return byTask;
  };

  /** Every task has every generation finished exactly once, and at most one processing event before it. */
  const expectEveryGenerationOnce = (byTask: Map<string, GenerationEvent[]>): void => {
    expect(byTask.size).to.equal(TASKS);
    for (const [taskUUID, events] of byTask) {
      const finished = events.filter((event) => event.status !== 'processing');
      expect(finished.map((event) => event.index).sort(), taskUUID).to.deep.equal([0, 1]);
      const identities = finished.map((event) => (event.status === 'success' ? event.result.videoUUID : `error ${event.index}`));
      expect(new Set(identities).size, taskUUID).to.equal(GENERATIONS);
      for (const index of [0, 1]) expect(events.filter((event) => event.index === index && event.status === 'processing').length).to.be.at.most(1);
    }
  };

  it('completes every task with every generation when 30 % of the webhooks are lost: the safety-net polls find the rest', async () => {
    const byTask = await runAll({ seed: 7, failureRate: 0.2, webhooks: { dropRate: 0.3 } }, { pollDelay: 100, pollInterval: 200 });
    expectEveryGenerationOnce(byTask);
    expect(simulator?.webhookStats().dropped).to.be.greaterThan(0);
    expect(simulator?.stats().polls).to.be.greaterThan(0);
  });

  it('makes no duplicate or missing event of duplicated and reordered webhooks, and needs no poll when none is lost', async () => {
    // The safety net is far away: the pushes alone complete every watch.
    const byTask = await runAll({ seed: 11, failureRate: 0.2, webhooks: { duplicateRate: 0.5, reorderRate: 0.5 } }, { pollDelay: 60_000, pollInterval: 60_000 });
    expectEveryGenerationOnce(byTask);
    const stats = simulator?.webhookStats();
    expect(stats?.duplicated).to.be.greaterThan(0);
    expect(stats?.reordered).to.be.greaterThan(0);
    expect(simulator?.stats().polls).to.equal(0);
  });
});
