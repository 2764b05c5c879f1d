import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { runBatch } from '../../examples/node-batch.js';
import { startFakeRunware, VIDEO_BYTES, type FakeRunware } from '../helpers/fakeRunware.js';

const TASKS = ['0b1e6b4c-7f3e-4a59-9d57-8a1f3c2b9e01', '5f0c6a2e-93d4-4c1b-8e7a-2d9b6f4a1c37', 'c3a9e1f2-4b5d-4e6f-8a7b-9c0d1e2f3a4b'];

describe('examples/node-batch', () => {
  let server: FakeRunware;
  let outDir: string;

  before(async () => {
    server = await startFakeRunware(3);
    outDir = await mkdtemp(join(tmpdir(), 'runware-rx-batch-'));
  });
  after(async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('watches every task over real HTTP and downloads each finished video', async () => {
    const lines: string[] = [];
    const summary = await lastValueFrom(
      runBatch(TASKS, { outDir, apiKey: 'test-key', baseUrl: server.baseUrl, initialDelay: 10, interval: 10, jitter: 0, concurrency: 2, log: (line) => lines.push(line) }),
    );
    expect(summary.failed).to.deep.equal([]);
    expect([...summary.downloaded].sort()).to.deep.equal(TASKS.map((task) => join(outDir, `${task}-0.mp4`)).sort());
    for (const file of summary.downloaded) expect(await readFile(file, 'utf8')).to.equal(VIDEO_BYTES);
    expect([...server.polls.values()]).to.deep.equal([3, 3, 3]);
    expect(new Set(server.authorizations)).to.deep.equal(new Set(['Bearer test-key']));
    expect(lines.filter((line) => line.includes('rendering 33%'))).to.have.length(3);
    expect(lines.join('\n')).to.not.contain('test-key');
  });
});
