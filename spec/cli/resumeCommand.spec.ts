import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeCommand } from '../../src/cli/resumeCommand.js';
import { runCli } from '../../src/cli/runCli.js';
import { createFileTaskStore } from '../../src/server/createFileTaskStore.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { bufferIo } from '../helpers/bufferIo.js';
import { submitVideo } from '../helpers/simulatorTasks.js';

describe('cli resume', () => {
  let simulator: RunningSimulator;
  let dir: string;
  before(async () => {
    simulator = await startSimulator({ durations: { videoInference: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'runware-rx-cli-resume-'));
  });
  after(async () => {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A store file as a crashed app left it: a task Runware has (one generation delivered of two), and one it never received. */
  async function crashedStore(): Promise<{ path: string; known: string; lost: string }> {
    const path = join(dir, `${randomUUID()}.store`);
    const known = await submitVideo(simulator, { numberResults: 2 });
    const lost = randomUUID();
    const store = createFileTaskStore(path);
    const task = (taskUUID: string) => ({ taskUUID, taskType: 'videoInference', model: 'klingai:5@3', numberResults: 2, fingerprint: 'fnv1a64:0000000000000000', submittedAt: Date.now() });
    await store.recordTask(task(known));
    await store.recordAck(known);
    await store.recordTask(task(lost));
    await store.close();
    return { path, known, lost };
  }

  it('watches what the store left, submits nothing, and exits 2 when a task never reached Runware; then nothing is left', async () => {
    const { path, known, lost } = await crashedStore();
    const before = simulator.stats().tasks;
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await runCli(['resume', '--store', path, '--base-url', simulator.url], io)).to.equal(2);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith(`${known} generation `) && line.includes(' success http'))).to.have.length(2);
    expect(lines.filter((line) => line.startsWith(`${lost} generation `) && line.includes(' error taskNotFound: Runware does not know task'))).to.have.length(2);
    expect(lines.at(-1)).to.equal('summary: 2 succeeded, 2 failed');
    expect(simulator.stats().tasks).to.equal(before);

    const again = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await resumeCommand(['--store', path, '--base-url', simulator.url, '--json'], again)).to.equal(0);
    expect(again.out()).to.equal('');
  });

  it('exits 1 without --store, and for a file that is not a task store, naming it', async () => {
    const io = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await resumeCommand(['--base-url', simulator.url], io)).to.equal(1);
    expect(io.err()).to.match(/--store is required/);
    const notAStore = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(notAStore, 'hello\n');
    const refused = bufferIo({ RUNWARE_API_KEY: simulator.apiKey });
    expect(await resumeCommand(['--store', notAStore, '--base-url', simulator.url], refused)).to.equal(1);
    expect(refused.err()).to.include(notAStore).and.match(/not a runware-rx task store/);
  });
});
