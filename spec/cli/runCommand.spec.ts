import { expect } from 'chai';
import { runCommand } from '../../src/cli/runCommand.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { bufferIo } from '../helpers/bufferIo.js';

describe('cli run', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ durations: { imageInference: 0, videoInference: 0 } });
  });
  after(async () => {
    await simulator.close();
  });

  it('submits an async task with includeCost, then watches it to the end', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    const code = await runCommand(['--model', 'runware:101@1', '--prompt', 'a lighthouse at dusk', '--type', 'image', '--number-results', '2', '--base-url', simulator.url], io);
    expect(code, io.err()).to.equal(0);
    expect(io.out()).to.match(/^submitted imageInference [0-9a-f-]{36}\n/);
    expect(io.out()).to.include('summary: 2 succeeded, 0 failed').and.include('.png');
    expect(simulator.stats().tasks).to.be.greaterThan(0);
  });

  it('reports a refused submission as one line and exit 1', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await runCommand(['--model', 'not an air', '--prompt', 'a fox', '--base-url', simulator.url], io)).to.equal(1);
    expect(io.err()).to.match(/^runware-rx run: .*invalidModel/);
  });

  it('submits a video with its --duration', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    const code = await runCommand(['--model', 'klingai:5@3', '--prompt', 'a fox', '--duration', '6', '--json', '--base-url', simulator.url], io);
    expect(code, io.err()).to.equal(0);
    const events = io.out().trim().split('\n').map((line) => JSON.parse(line) as { status: string });
    expect(events.map((event) => event.status)).to.include('success');
  });

  it('takes the key from --api-key when RUNWARE_API_KEY is not set', async () => {
    const io = bufferIo({});
    const code = await runCommand(['--model', 'runware:101@1', '--prompt', 'a lighthouse', '--type', 'image', '--api-key', simulator.apiKey, '--base-url', simulator.url], io);
    expect(code, io.err()).to.equal(0);
    expect(io.out()).to.include('summary: 1 succeeded');
  });

  it('on Ctrl+C stops watching, says the task keeps running and how to follow it, and exits 130', async () => {
    const slow = await startSimulator({ durations: { videoInference: 3_600_000 } });
    try {
      const io = bufferIo({ RUNWARE_API_KEY: slow.apiKey });
      const done = runCommand(['--model', 'klingai:5@3', '--prompt', 'a fox', '--base-url', slow.url], io);
      while (!io.out().includes('\n')) await new Promise((resolve) => setImmediate(resolve));
      io.stop();
      expect(await done).to.equal(130);
      const taskUUID = /^submitted videoInference ([0-9a-f-]{36})\n/.exec(io.out())?.[1] ?? '';
      expect(io.err()).to.equal(`runware-rx run: stopped watching; task ${taskUUID} keeps running on ${slow.url}. Follow it again with: runware-rx watch ${taskUUID} --base-url ${slow.url}\n`);
    } finally {
      await slow.close();
    }
  });

  it('rejects a --duration that is not a whole number of seconds from 1 to 60', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await runCommand(['--model', 'klingai:5@3', '--prompt', 'a fox', '--duration', '0', '--base-url', simulator.url], io)).to.equal(1);
    expect(io.err()).to.match(/duration/);
  });
});
