import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simulateCommand } from '../../src/cli/simulateCommand.js';
import { SIMULATOR_API_KEY } from '../../src/simulator/index.js';
import { bufferIo } from '../helpers/bufferIo.js';
import { rawPost } from '../helpers/rawPost.js';

describe('cli simulate', () => {
  it('prints "listening on <url>" first and serves until stopped', async () => {
    const io = bufferIo();
    const done = simulateCommand(['--api-key', 'sim-cli-key-1', '--seed', '5', '--time-scale', '1000'], io);
    while (!io.out().includes('\n')) await new Promise((resolve) => setImmediate(resolve));
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+\/v1)\n/.exec(io.out())?.[1] ?? '';
    expect(url).to.not.equal('');
    const reply = await rawPost(url, 'sim-cli-key-1', [{ taskType: 'ping', ping: true }]);
    expect(reply.json).to.deep.equal({ data: [{ taskType: 'ping', pong: true }] });
    io.stop();
    expect(await done).to.equal(0);
    expect(io.out()).to.include('stopped after 1 requests');
  });

  it('speaks the dialect --dialect names, and refuses one it does not know', async () => {
    const io = bufferIo();
    const done = simulateCommand(['--dialect', 'realistic'], io);
    while (!io.out().includes('\n')) await new Promise((resolve) => setImmediate(resolve));
    const url = /^listening on (\S+)\n/.exec(io.out())?.[1] ?? '';
    // Realistic: a poll of several tasks holding an unknown one is refused as a whole.
    const polls = [crypto.randomUUID(), crypto.randomUUID()].map((taskUUID) => ({ taskType: 'getResponse', taskUUID }));
    expect((await rawPost(url, SIMULATOR_API_KEY, polls)).status).to.equal(400);
    io.stop();
    expect(await done).to.equal(0);
    const refused = bufferIo();
    expect(await simulateCommand(['--dialect', 'loose'], refused)).to.not.equal(0);
    expect(refused.err()).to.include('--dialect');
  });

  it('--push: applies the webhook faults asked for, and prints the webhook counts when stopped', async () => {
    // A receiver that counts the webhooks it gets.
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(request.url ?? '');
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const io = bufferIo();
    try {
      const done = simulateCommand(['--push', '--duplicate-rate', '1', '--time-scale', '1000'], io);
      while (!io.out().includes('press Ctrl+C') && io.err() === '') await new Promise((resolve) => setImmediate(resolve));
      expect(io.out()).to.include('webhooks: a POST per finished generation to the task\'s webhookURL; dropped 0 %, duplicated 100 %,');
      const url = /^listening on (\S+)\n/.exec(io.out())?.[1] ?? '';
      const webhookURL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const task = { taskType: 'videoInference', taskUUID: crypto.randomUUID(), model: 'klingai:5@3', positivePrompt: 'a fox in snow', duration: 5, webhookURL, simulate: { duration: 1000 } };
      expect((await rawPost(url, SIMULATOR_API_KEY, [task])).status).to.equal(200);
      // One generation, sent twice: wait for both (1 ms after submission at this time scale).
      while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      io.stop();
      expect(await done).to.equal(0);
      expect(received).to.deep.equal(['/hook', '/hook']);
      // Both attempts were made; whether the simulator read their 204s before it closed is a race, not asserted.
      expect(io.out()).to.match(/\nwebhooks: 1 planned, [0-2] delivered in 2 attempts \(0 retried, 0 given up\); 0 dropped, 1 duplicated, 0 delayed, 0 reordered\n$/);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it('prints the listening line first from the real bin', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'simulate'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
        });
        child.once('exit', (code) => reject(new Error(`exited ${String(code)} before printing`)));
      });
      expect(firstLine).to.match(/^listening on http:\/\/127\.0\.0\.1:\d+\/v1$/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
