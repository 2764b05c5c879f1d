/**
 * One instance of the shared-watch bench, in its own process: a client watching every task of the run
 * (and, in push mode, a webhook receiver on a loopback port), sharing its polls and webhooks through a
 * Redis hub when given one. argv[2] is JSON: { simulatorUrl, apiKey, scale, push, secret, redisUrl?,
 * prefix? }. Prints "ready <port>"; reads one line of task UUIDs (JSON); prints one JSON line
 * { terminal: [[task index, wall ms], ...], failed } once every watch has ended, then exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createRunwareClient, type SharedHub } from '../src/index.js';
import { createRedisHub } from '../src/redis/index.js';
import { createMemoryHub, createWebhookReceiver, type WebhookReceiver } from '../src/server/index.js';
import { scaledScheduler } from './scaledScheduler.js';

interface InstanceOptions {
  readonly simulatorUrl: string;
  readonly apiKey: string;
  readonly scale: number;
  readonly push: boolean;
  readonly secret: string;
  readonly redisUrl?: string;
  readonly prefix?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as InstanceOptions;
const wall = (): number => performance.timeOrigin + performance.now();
// Leases and reconnections on the real clock (Redis expires keys in real ms); the watches in simulated time.
const redis = options.redisUrl === undefined ? undefined : createRedisHub({ url: options.redisUrl, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
const hub: SharedHub | undefined = redis;
let receiver: WebhookReceiver | undefined;
let port = 0;
const server = createServer();
if (options.push) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  receiver = createWebhookReceiver({ publicUrl: `http://127.0.0.1:${port}/hook`, secret: options.secret, pushHub: redis ?? createMemoryHub() });
  server.on('request', receiver.listener);
}
await redis?.ready;
process.stdout.write(`ready ${port}\n`);

const lines = createInterface({ input: process.stdin });
const tasks = await new Promise<string[]>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line) as string[])));
const client = createRunwareClient({
  baseUrl: options.simulatorUrl,
  apiKey: options.apiKey,
  scheduler: scaledScheduler(options.scale),
  batch: true,
  timeout: 3_600_000,
  requestTimeout: 3_600_000,
  ...(hub === undefined ? {} : { sharedHub: hub }),
  ...(receiver === undefined ? {} : { push: receiver }),
});
const terminal: Array<[number, number]> = [];
let ended = 0;
let failed = 0;
await new Promise<void>((resolve) => {
  const end = (): void => {
    ended += 1;
    if (ended === tasks.length) resolve();
  };
  tasks.forEach((taskUUID, index) => {
    client.watchTask(taskUUID, { numberResults: 1 }).subscribe({
      next: (event) => {
        if (event.status !== 'processing') terminal.push([index, wall()]);
      },
      complete: end,
      error: () => {
        failed += 1;
        end();
      },
    });
  });
});
process.stdout.write(`${JSON.stringify({ terminal, failed })}\n`);
lines.close();
await redis?.close();
await receiver?.pushHub.close();
server.closeAllConnections();
server.close();
