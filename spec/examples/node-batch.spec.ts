import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { runBatch, submitVideo } from '../../examples/node-batch.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

describe('examples/node-batch', () => {
  let simulator: RunningSimulator;
  let outDir: string;

  before(async () => {
    simulator = await startSimulator({ durations: { videoInference: { min: 40, max: 120 } }, progress: true, seed: 3 });
    outDir = await mkdtemp(join(tmpdir(), 'runware-rx-batch-'));
  });
  after(async () => {
    await simulator.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('submits to the simulator, watches every task over real HTTP and downloads each finished video', async () => {
    const tasks = await Promise.all(['one', 'two', 'three'].map((prompt) => submitVideo(simulator.url, simulator.apiKey, `video ${prompt}`)));
    const lines: string[] = [];
    const summary = await lastValueFrom(
      runBatch(tasks, { outDir, apiKey: simulator.apiKey, baseUrl: simulator.url, initialDelay: 20, interval: 20, jitter: 0, concurrency: 2, log: (line) => lines.push(line) }),
    );
    expect(summary.failed).to.deep.equal([]);
    expect([...summary.downloaded].sort()).to.deep.equal(tasks.map((task) => join(outDir, `${task}-0.mp4`)).sort());
    const video = await readFile(summary.downloaded[0] ?? '');
    expect(video.length).to.be.greaterThan(0);
    expect(lines.filter((line) => line.includes(' ready: '))).to.have.length(3);
    expect(simulator.stats().mediaRequests).to.equal(3);
    expect(lines.join('\n')).to.not.contain(simulator.apiKey);
  });
});
