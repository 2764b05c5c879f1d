/**
 * One push run: K video tasks submitted with a webhookURL to a receiver in this process, the simulator
 * (its own process) posting each finished generation there, and one client watching with push and its
 * safety-net polls, in simulated time. Measures the lag from finish to event in real ms and the
 * getResponse polls per task.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRunwareClient, type Cadence } from '../src/index.js';
import { benchTask } from './benchTask.js';
import { createWebhookReceiver, type WebhookReceiver } from '../src/server/index.js';
import { drawDurations } from './pollingRun.js';
import { scaledScheduler } from './scaledScheduler.js';
import { submitClock } from './submitClock.js';
import type { SimulatorChild } from './spawnSimulator.js';

export interface PushRunResult {
  readonly K: number;
  readonly completed: number;
  readonly failed: number;
  /** Tasks whose every generation was seen finished. */
  readonly allGenerations: number;
  /** Terminal events beyond one per generation (must be 0). */
  readonly duplicateEvents: number;
  readonly pollRequests: number;
  /** Real ms from a generation's finish to its success event, one per generation. */
  readonly lags: Float64Array;
  /** Real ms from the webhook's arrival at the receiver's socket to the success event (the library's own part). */
  readonly receiverLags: Float64Array;
  readonly realSeconds: number;
}

/** A receiver on loopback, for the simulator to post to. */
export interface LoopbackReceiver {
  readonly receiver: WebhookReceiver;
  readonly url: string;
  /** performance.now() of the latest request for each task (by its URL's `task`), as the server saw it. */
  readonly arrivals: Map<string, number>;
  close(): Promise<void>;
}

export async function startLoopbackReceiver(secret: string, maxBodyBytes?: number): Promise<LoopbackReceiver> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runware/webhook`;
  const receiver = createWebhookReceiver({ publicUrl: url, secret, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) });
  const arrivals = new Map<string, number>();
  server.on('request', (request, response) => {
    const task = new URL(request.url ?? '/', 'http://loopback').searchParams.get('task');
    if (task !== null) arrivals.set(task, performance.now());
    receiver.listener(request, response);
  });
  return {
    receiver,
    url,
    arrivals,
    close: async () => {
      await receiver.pushHub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `numberResults` generations per task, the n-th finishing at its drawn duration plus n seconds. */
export async function pushRun(simulator: SimulatorChild, { receiver, arrivals }: LoopbackReceiver, K: number, scale: number, numberResults: number, cadence: Cadence): Promise<PushRunResult> {
  const durations = drawDurations(K, 42);
  const scheduler = scaledScheduler(scale);
  const taskUUIDs = Array.from({ length: K }, () => crypto.randomUUID());
  const { sentAt, transport, counts } = submitClock(simulator, taskUUIDs, scheduler);
  // The library's defaults for push (push.pollDelay, pollInterval, pollFloor); nothing tuned for the
  // bench. The cadence store is the caller's: a server's client keeps one for its whole life.
  const client = createRunwareClient({ transport, scheduler, push: receiver, cadence: { store: cadence }, requestTimeout: 3_600_000, timeout: 3_600_000 });
  const started = performance.now();
  const lags: number[] = [];
  const receiverLags: number[] = [];
  let completed = 0;
  let failed = 0;
  let allGenerations = 0;
  let duplicateEvents = 0;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      if (completed + failed === K) resolve();
    };
    for (let index = 0; index < K; index += 1) {
      const duration = durations[index] ?? 0;
      const generations = Array.from({ length: numberResults }, (_, n) => ({ duration: duration + n * 1000 }));
      const task = benchTask(taskUUIDs[index] ?? '', { generations }, numberResults);
      const finished = new Set<number>();
      client.run(task).subscribe({
        next: (event) => {
          if (event.status === 'processing') return;
          if (finished.has(event.index)) duplicateEvents += 1;
          finished.add(event.index);
          // Generations are matched to slots by arrival; the n-th to finish is the n-th finished event.
          const finishAt = (sentAt[index] ?? 0) + (generations[finished.size - 1]?.duration ?? 0);
          if (event.status !== 'success') return;
          lags.push((scheduler.now() - finishAt) / scale);
          const arrival = arrivals.get(taskUUIDs[index] ?? '');
          if (arrival !== undefined) receiverLags.push(performance.now() - arrival);
        },
        complete: () => {
          completed += 1;
          if (finished.size === numberResults) allGenerations += 1;
          finish();
        },
        error: () => {
          failed += 1;
          finish();
        },
      });
    }
  });
  return { K, completed, failed, allGenerations, duplicateEvents, pollRequests: counts.pollRequests, lags: Float64Array.from(lags), receiverLags: Float64Array.from(receiverLags), realSeconds: (performance.now() - started) / 1000 };
}
