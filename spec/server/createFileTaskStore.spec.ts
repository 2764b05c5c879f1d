import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTaskStore, type FileTaskStore } from '../../src/server/createFileTaskStore.js';
import type { StoredTask } from '../../src/store/TaskStore.js';
import { handClock } from '../helpers/handClock.js';
import { taskStoreContract } from '../helpers/taskStoreContract.js';

describe('createFileTaskStore', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runware-rx-file-store-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const newPath = (): string => join(dir, `${randomUUID()}.store`);
  const task = (extra: Partial<StoredTask> = {}): StoredTask => ({ taskUUID: randomUUID(), taskType: 'videoInference', numberResults: 1, fingerprint: 'fnv1a64:0123456789abcdef', submittedAt: 0, ...extra });

  taskStoreContract(async ({ retention }) => {
    const clock = handClock();
    const store = createFileTaskStore(newPath(), { retention, scheduler: clock, fsync: false });
    return { store, elapse: async (ms) => clock.move(ms), close: () => store.close() };
  });

  describe('the file', () => {
    const opened: FileTaskStore[] = [];
    const openStore = (path: string, options = {}): FileTaskStore => {
      const store = createFileTaskStore(path, { fsync: false, ...options });
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('creates a missing file with its header, and holds what was written after a reopen', async () => {
      const path = newPath();
      const first = openStore(path);
      const recorded = task({ numberResults: 2 });
      await first.recordTask(recorded);
      await first.recordAck(recorded.taskUUID);
      await first.close();
      expect(readFileSync(path, 'utf8').split('\n')[0]).to.equal('{"format":"runware-rx-task-store","version":1}');
      const second = openStore(path);
      expect(await second.unfinished()).to.deep.equal([{ ...recorded, acked: true, delivered: [], endedAt: undefined }]);
    });

    it('survives a torn last write: the line cut short is set aside, everything before it is read, and writing goes on', async () => {
      const path = newPath();
      const first = openStore(path);
      const kept = task();
      await first.recordTask(kept);
      await first.close();
      // A crash in the middle of appending the next record.
      appendFileSync(path, '{"kind":"task","task":{"taskUUID":"0b5a2c1e-3f4d');
      const second = openStore(path);
      expect((await second.unfinished()).map((record) => record.taskUUID)).to.deep.equal([kept.taskUUID]);
      const next = task();
      await second.recordTask(next);
      await second.close();
      const third = openStore(path);
      expect((await third.unfinished()).map((record) => record.taskUUID)).to.deep.equal([kept.taskUUID, next.taskUUID]);
    });

    it('starts an empty store in a file torn in its header (a crash at creation)', async () => {
      const path = newPath();
      writeFileSync(path, '{"format":"runware-rx-ta');
      const store = openStore(path);
      await store.recordTask(task());
      expect(await store.unfinished()).to.have.length(1);
    });

    const refusals: ReadonlyArray<[string, string, RegExp]> = [
      ['a file that is not a task store', 'name,prompt\nfox,"a fox"\n', /line 1: not a runware-rx task store/],
      ['a file of another kind without a newline', 'PK\u0003\u0004 binary', /line 1: not a runware-rx task store/],
      ['a store of a later version', '{"format":"runware-rx-task-store","version":2}\n', /line 1: a task store of version 2/],
      ['a line in the middle that is not JSON', `{"format":"runware-rx-task-store","version":1}\n{"kind":"ack","taskUUID":"x"}\n{oops}\n{"kind":"ack","taskUUID":"y"}\n`, /line 3: not JSON/],
      ['an entry of an unknown shape', `{"format":"runware-rx-task-store","version":1}\n{"kind":"task","task":{"taskUUID":"x"}}\n`, /line 2: .*task store entry/],
    ];
    for (const [name, content, message] of refusals) {
      it(`refuses ${name} with an error naming the file and the line, and leaves it as it is`, async () => {
        const path = newPath();
        writeFileSync(path, content);
        const store = openStore(path);
        const error = await store.unfinished().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(String(error)).to.match(message).and.to.include(path);
        const write = await store.recordTask(task()).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(String(write)).to.match(message);
        expect(readFileSync(path, 'utf8')).to.equal(content);
      });
    }

    it('rewrites the file without the tasks past their retention once they make up most of it', async () => {
      const path = newPath();
      const clock = handClock();
      const store = openStore(path, { retention: 1000, scheduler: clock });
      const unfinished = task();
      await store.recordTask(unfinished);
      for (let round = 0; round < 700; round += 1) {
        const done = task();
        await Promise.all([store.recordTask(done), store.recordEnd(done.taskUUID, clock.now())]);
      }
      clock.move(1001);
      await store.recordAck(unfinished.taskUUID);
      const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
      expect(lines.length).to.be.below(10);
      await store.close();
      const reopened = openStore(path);
      expect(await reopened.unfinished()).to.deep.equal([{ ...unfinished, acked: true, delivered: [], endedAt: undefined }]);
    });

    it('refuses writes after close', async () => {
      const store = openStore(newPath());
      await store.close();
      const error = await store.recordTask(task()).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(String(error)).to.match(/closed/);
    });
  });
});
