import { expect } from 'chai';
import { watchCommand } from '../../src/cli/watchCommand.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { bufferIo } from '../helpers/bufferIo.js';
import { submitVideo } from '../helpers/simulatorTasks.js';

// The command uses the library's default cadence (first poll after 1 s): generations here finish at
// once, so each watch takes one poll.
describe('cli watch', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ durations: { videoInference: 0 } });
  });
  after(async () => {
    await simulator.close();
  });

  it('exits 0 when every generation succeeded, with one line each and a summary', async () => {
    const taskUUID = await submitVideo(simulator, { numberResults: 2 });
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await watchCommand([taskUUID, '--base-url', simulator.url, '--number-results', '2'], io)).to.equal(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.filter((line) => /^generation \d {2}✔ success/.test(line))).to.have.length(2);
    expect(io.out()).to.include('summary: 2 succeeded, 0 failed').and.include('cost: $0.36');
  });

  it('exits 2 when a generation failed, and writes NDJSON events with --json', async () => {
    const taskUUID = await submitVideo(simulator, { numberResults: 2, simulate: { generations: [{ fail: 'providerError' }] } });
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await watchCommand([taskUUID, '--json', '--base-url', simulator.url, '--number-results', '2'], io)).to.equal(2);
    const events = io.out().trimEnd().split('\n').map((line) => JSON.parse(line) as { status: string; taskUUID: string });
    expect(events.map((event) => event.status).sort()).to.deep.equal(['error', 'success']);
    expect(events.every((event) => event.taskUUID === taskUUID)).to.equal(true);
  });

  it('takes the key from --api-key, and stops on Ctrl+C with exit 130 saying the task keeps running', async () => {
    const slow = await startSimulator({ durations: { videoInference: 3_600_000 } });
    try {
      const taskUUID = await submitVideo(slow);
      const io = bufferIo({});
      const done = watchCommand([taskUUID, '--api-key', slow.apiKey, '--base-url', slow.url], io);
      io.stop(); // the watch is subscribed once the command has returned its promise
      expect(await done).to.equal(130);
      expect(io.err()).to.equal(`runware-rx watch: stopped watching; task ${taskUUID} keeps running on ${slow.url}. Follow it again with: runware-rx watch ${taskUUID} --base-url ${slow.url}\n`);
      expect(slow.stats().polls).to.equal(0);
    } finally {
      await slow.close();
    }
  });

  it('is not silent while it retries a network failure: one stderr line with the cause and the next poll\'s time', async () => {
    const flaky = await startSimulator({ durations: { videoInference: 0 }, faults: { script: ['reset'] } });
    try {
      const taskUUID = await submitVideo(flaky);
      const io = bufferIo({ RUNWARE_API_KEY: flaky.apiKey });
      expect(await watchCommand([taskUUID, '--base-url', flaky.url], io), io.err()).to.equal(0);
      expect(io.err(), io.err()).to.match(/^retrying in \d+ s: (connection reset|socket hang up|connection closed by the server)[^\n]* \(failure 1; next poll at \d\d:\d\d:\d\d\)\n$/);
      expect(io.out()).to.include('summary: 1 succeeded');
    } finally {
      await flaky.close();
    }
  });

  it('exits 1 on a watch error, with a message that never shows the key', async () => {
    const key = 'sim-not-the-right-key-42';
    const io = bufferIo({ RUNWARE_API_KEY: key });
    expect(await watchCommand([crypto.randomUUID(), '--base-url', simulator.url], io)).to.equal(1);
    expect(io.err()).to.match(/^runware-rx watch: .*invalidApiKey/);
    expect(io.err()).not.to.include(key);
  });
});
