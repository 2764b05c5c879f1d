/**
 * `startSimulator`: a local Runware you can run tests, demos and benchmarks against.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultPlanner } from './faults.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './options.js';
import { mulberry32 } from './random.js';
import { createRequestHandler } from './server.js';
import { createStatsCounter, snapshotStats, type SimulatorStats } from './stats.js';
import { TaskStore } from './taskStore.js';
import { createWebhookDelivery, type WebhookStats } from './webhooks.js';

/** A running simulator. */
export interface RunningSimulator {
  /** The API endpoint, e.g. `http://127.0.0.1:41234/v1`: pass it as `baseUrl`. */
  readonly url: string;
  /** The key it accepts. */
  readonly apiKey: string;
  /** Stops listening, ends every open connection (including hung ones) and cancels pending replies. */
  readonly close: () => Promise<void>;
  /** Counters so far. */
  readonly stats: () => SimulatorStats;
  /** Webhook counters so far (tasks submitted with `webhookURL`). */
  readonly webhookStats: () => WebhookStats;
}

/**
 * Starts a Runware simulator: a real HTTP server (loopback, free port by default) that speaks the REST
 * protocol of docs/simulator.md: async inference tasks acknowledged then run in simulated time,
 * cumulative getResponse replies, documented error shapes, fault injection, and tiny media files.
 * Every random choice comes from `seed`, so a run with the same requests is reproducible.
 *
 * Throws (rejects) a RangeError or TypeError on a bad option, or the listen error (e.g. port in use).
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { createRunwareClient, videoInference } from 'runware-rx';
 * import { startSimulator } from 'runware-rx/simulator';
 *
 * const simulator = await startSimulator({ timeScale: 1000 }); // a 90 s video takes 90 ms
 * try {
 *   const client = createRunwareClient({ baseUrl: simulator.url, apiKey: simulator.apiKey, initialDelay: 50, interval: 50 });
 *   const task = videoInference({ model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5, numberResults: 2 });
 *   const events = await lastValueFrom(client.run(task).pipe(toArray()));
 *   assert.equal(events.filter((event) => event.status === 'success').length, 2);
 *   console.log(simulator.stats()); // requests, tasks, polls, ...
 * } finally {
 *   await simulator.close(); // ends every socket, including hung ones
 * }
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const settings = resolveSimulatorOptions(options);
  // Separate streams, so injecting faults does not change which generations fail.
  const taskRandom = mulberry32(settings.seed);
  const faultRandom = mulberry32(settings.seed ^ 0x5bd1e995);
  const faults = createFaultPlanner(settings.faults, faultRandom);
  const stats = createStatsCounter();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, callback: () => void): void => {
    const handle = setTimeout(() => {
      timers.delete(handle);
      callback();
    }, ms);
    timers.add(handle);
  };
  let origin = '';
  const webhooks = createWebhookDelivery(options.webhooks, { settings, random: mulberry32(settings.seed ^ 0x27d4eb2f), later, origin: () => origin });
  const store = new TaskStore(settings, taskRandom, webhooks.schedule);

  const server = createServer(
    { keepAliveTimeout: 5_000 },
    createRequestHandler({ settings, store, stats, random: taskRandom, faults, later, get origin() { return origin; } }),
  );
  await listen(server, settings.port, settings.host);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/v1`,
    apiKey: settings.apiKey,
    stats: () => snapshotStats(stats),
    webhookStats: webhooks.stats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        webhooks.close();
        for (const handle of timers) clearTimeout(handle);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
