import { expect } from 'chai';
import { spawn } from 'node:child_process';
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
