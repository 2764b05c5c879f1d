/**
 * Several instances behind one Redis, for real: a receiver process, two watcher processes, the
 * simulator delivering webhooks to the receiver only. Every body reaches both watchers exactly once.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisHub } from '../../src/redis/createRedisHub.js';
import { createMemoryHub } from '../../src/server/memoryHub.js';
import { createWebhookReceiver } from '../../src/server/createWebhookReceiver.js';
import { startSimulator } from '../../src/simulator/startSimulator.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Instance {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves once `ready(lines)` holds, checked now and after every new line. */
  until(ready: (lines: ReadonlyArray<string>) => boolean): Promise<void>;
}

function startInstance(fixture: string, args: string[]): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, fixture), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<{ ready: (lines: ReadonlyArray<string>) => boolean; resolve: () => void }> = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wait of [...waiting]) {
      if (!wait.ready(lines)) continue;
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  });
  return {
    child,
    lines,
    until: (ready) =>
      new Promise((resolve, reject) => {
        if (ready(lines)) return resolve();
        waiting.push({ ready, resolve });
        child.once('exit', (code) => reject(new Error(`${fixture} exited (${String(code)}); its output:\n${lines.join('\n')}`)));
      }),
  };
}

describe('several processes behind one Redis (receiver, two watchers, the simulator)', function () {
  this.timeout(60_000);
  let server: RedisServer;
  const instances: Instance[] = [];

  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    for (const { child } of instances) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server?.close();
  });

  it('delivers every webhook received by one instance to the watches of both others, exactly once each', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const secret = 'a multi-process test secret, 32 characters or more';
    const receiver = startInstance('receiverProcess.fixture.ts', [server.url, prefix, secret]);
    const watchers = [startInstance('watcherProcess.fixture.ts', [server.url, prefix]), startInstance('watcherProcess.fixture.ts', [server.url, prefix])];
    instances.push(receiver, ...watchers);
    await receiver.until((lines) => lines.some((line) => line.startsWith('ready ')));
    const port = Number(receiver.lines.find((line) => line.startsWith('ready '))?.split(' ')[1]);
    await Promise.all(watchers.map((watcher) => watcher.until((lines) => lines.includes('ready'))));

    const tasks = Array.from({ length: 100 }, () => randomUUID());
    const sentinel = randomUUID();
    for (const watcher of watchers) watcher.child.stdin?.write(`${JSON.stringify({ tasks, sentinel })}\n`);
    // Same publicUrl and secret as the receiver: any instance can make a task's webhookURL.
    const urls = createWebhookReceiver({ publicUrl: `http://127.0.0.1:${port}/hook`, secret, hub: createMemoryHub() });
    const simulator = await startSimulator({ timeScale: 1000 });
    const publisher = createRedisHub({ url: server.url, prefix });
    try {
      const submitted = tasks.map((taskUUID) => ({ taskType: 'videoInference', taskUUID, model: 'klingai:5@3', positivePrompt: 'a fox in snow', numberResults: 2, webhookURL: urls.urlFor(taskUUID) }));
      const response = await fetch(simulator.url, { method: 'POST', headers: { Authorization: `Bearer ${simulator.apiKey}` }, body: JSON.stringify(submitted) });
      expect(response.ok).to.equal(true);
      // Both generations of every task reach each watcher (the receiver published before answering 2xx).
      const bodiesOf = (watcher: Instance): string[] => watcher.lines.filter((line) => line.startsWith('body '));
      await Promise.all(watchers.map((watcher) => watcher.until(() => bodiesOf(watcher).length >= tasks.length * 2)));
      // A sentinel published after everything: once a watcher saw it, it has seen all that came before.
      await publisher.publish(sentinel, { taskUUID: sentinel, status: 'success' });
      await Promise.all(watchers.map((watcher) => watcher.until((lines) => lines.includes('end'))));
      const stats = simulator.webhookStats();
      expect(stats.scheduled).to.equal(tasks.length * 2);
      for (const watcher of watchers) {
        const bodies = bodiesOf(watcher);
        expect(new Set(bodies).size, 'no body twice').to.equal(bodies.length);
        expect(bodies).to.have.length(tasks.length * 2);
      }
    } finally {
      await publisher.close();
      await urls.hub.close();
      await simulator.close();
    }
  });
});
