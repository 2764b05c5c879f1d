/**
 * The task store contract (src/store/TaskStore.ts), one spec for every implementation: the memory, file
 * and Redis stores run it from their own spec files, and a user's store can run it the same way.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import type { DeliveredEvent, StoredTask, TaskStore } from '../../src/store/TaskStore.js';
import { answerOf } from '../../src/store/storeAnswer.js';

/** A store under test, with a way to let time pass for its retention. */
export interface StoreUnderTest {
  readonly store: TaskStore;
  /** Lets `ms` pass on the store's retention clock (a hand-moved clock, or Redis' TTLs shortened). */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a fresh, empty store with this retention (ms). */
export type OpenStore = (options: { readonly retention: number }) => Promise<StoreUnderTest>;

const RETENTION = 60_000;

export function taskStoreContract(open: OpenStore): void {
  describe('the task store contract', () => {
    let subject: StoreUnderTest;
    let store: TaskStore;
    beforeEach(async () => {
      subject = await open({ retention: RETENTION });
      store = subject.store;
    });
    afterEach(() => subject.close());

    const call = <T>(answer: Parameters<typeof answerOf<T>>[0]): Promise<T> => firstValueFrom(answerOf(answer));
    const task = (extra: Partial<StoredTask> = {}): StoredTask => ({ taskUUID: randomUUID(), taskType: 'videoInference', model: 'klingai:5@3', numberResults: 2, cadenceKey: 'videoInference|klingai:5@3', fingerprint: 'fnv1a64:0123456789abcdef', submittedAt: 1000, ...extra });
    const success = (taskUUID: string, index: number): DeliveredEvent => ({ status: 'success', taskUUID, taskType: 'videoInference', index, result: { taskType: 'videoInference', taskUUID, status: 'success', videoUUID: randomUUID(), videoURL: `https://example.com/${index}.mp4`, cost: 0.5 } });
    const failure = (taskUUID: string, index: number): DeliveredEvent => ({ status: 'error', taskUUID, taskType: 'videoInference', index, error: { code: 'timeoutProvider', message: 'Provider timed out' } });
    const byIndex = (events: ReadonlyArray<DeliveredEvent>): DeliveredEvent[] => [...events].sort((a, b) => a.index - b.index);

    it('holds a recorded task as unfinished, not acknowledged, nothing delivered', async () => {
      const recorded = task();
      await call(store.recordTask(recorded));
      expect(await call(store.task(recorded.taskUUID))).to.deep.equal({ ...recorded, acked: false, delivered: [], endedAt: undefined });
      expect((await call(store.unfinished())).map((record) => record.taskUUID)).to.deep.equal([recorded.taskUUID]);
    });

    it('answers undefined for a task it does not hold, and an empty list when nothing is unfinished', async () => {
      expect(await call(store.task(randomUUID()))).to.equal(undefined);
      expect(await call(store.unfinished())).to.deep.equal([]);
    });

    it('keeps the first record of a taskUUID, and knows a taskUUID in any case', async () => {
      const first = task();
      await call(store.recordTask(first));
      await call(store.recordTask({ ...first, fingerprint: 'fnv1a64:ffffffffffffffff', taskUUID: first.taskUUID.toUpperCase() }));
      expect((await call(store.task(first.taskUUID.toUpperCase())))?.fingerprint).to.equal(first.fingerprint);
      expect(await call(store.unfinished())).to.have.length(1);
    });

    it('records the ack and each delivered generation, whole, once per index', async () => {
      const recorded = task({ numberResults: 3 });
      await call(store.recordTask(recorded));
      await call(store.recordAck(recorded.taskUUID));
      const first = success(recorded.taskUUID, 1);
      const second = failure(recorded.taskUUID, 0);
      await call(store.recordDelivery(first));
      await call(store.recordDelivery(second));
      await call(store.recordDelivery(success(recorded.taskUUID, 1))); // the same index again: ignored
      const held = await call(store.task(recorded.taskUUID));
      expect(held?.acked).to.equal(true);
      expect(byIndex(held?.delivered ?? [])).to.deep.equal([second, first]);
      expect(held?.endedAt).to.equal(undefined);
    });

    it('ignores an ack, a delivery or an end of a task it does not hold', async () => {
      const unknown = randomUUID();
      await call(store.recordAck(unknown));
      await call(store.recordDelivery(success(unknown, 0)));
      await call(store.recordEnd(unknown, 5000));
      expect(await call(store.task(unknown))).to.equal(undefined);
      expect(await call(store.unfinished())).to.deep.equal([]);
    });

    it('ends a task when as many generations as numberResults are delivered', async () => {
      const recorded = task({ numberResults: 2 });
      await call(store.recordTask(recorded));
      await call(store.recordDelivery(success(recorded.taskUUID, 0)));
      expect(await call(store.unfinished())).to.have.length(1);
      await call(store.recordDelivery(success(recorded.taskUUID, 1)));
      expect(await call(store.unfinished())).to.deep.equal([]);
      expect((await call(store.task(recorded.taskUUID)))?.endedAt).to.be.a('number');
    });

    it('ends a task at recordEnd, keeps it for the retention, then drops it', async () => {
      const ended = task();
      const other = task();
      await call(store.recordTask(ended));
      await call(store.recordTask(other));
      // The end's time is the client's clock, which the stores under test start at 0.
      await call(store.recordEnd(ended.taskUUID, 0));
      expect((await call(store.unfinished())).map((record) => record.taskUUID)).to.deep.equal([other.taskUUID]);
      expect((await call(store.task(ended.taskUUID)))?.endedAt).to.equal(0);
      await subject.elapse(RETENTION + 1);
      expect(await call(store.task(ended.taskUUID))).to.equal(undefined);
      // An unfinished task is never dropped for its age.
      expect((await call(store.task(other.taskUUID)))?.taskUUID).to.equal(other.taskUUID);
    });

    it('lists the unfinished tasks oldest record first', async () => {
      const tasks = [task({ submittedAt: 1 }), task({ submittedAt: 2 }), task({ submittedAt: 3 })];
      for (const recorded of tasks) await call(store.recordTask(recorded));
      expect((await call(store.unfinished())).map((record) => record.taskUUID)).to.deep.equal(tasks.map((recorded) => recorded.taskUUID));
    });

    it('answers the writes made without waiting, in the order they were made', async () => {
      const recorded = task({ numberResults: 1 });
      await Promise.all([call(store.recordTask(recorded)), call(store.recordAck(recorded.taskUUID)), call(store.recordDelivery(success(recorded.taskUUID, 0)))]);
      const held = await call(store.task(recorded.taskUUID));
      expect([held?.acked, held?.delivered.length, held?.endedAt === undefined]).to.deep.equal([true, 1, false]);
    });

    it('keeps learned durations newest last, and reads on from a cursor', async () => {
      const empty = await call(store.learnedSince(undefined));
      expect(empty.durations).to.deep.equal([]);
      const one = { key: 'videoInference|klingai:5@3', from: 40_000, to: 47_000, startedAt: 1000, origin: 'a' };
      const two = { key: 'imageInference|runware:101@1', from: 2000, to: 3000, startedAt: undefined, origin: 'b' };
      await call(store.recordLearned([one]));
      const first = await call(store.learnedSince(empty.cursor));
      expect(first.durations.map((learned) => learned.to)).to.deep.equal([47_000]);
      await call(store.recordLearned([two, one]));
      const next = await call(store.learnedSince(first.cursor));
      expect(next.durations.map((learned) => [learned.key, learned.origin])).to.deep.equal([[two.key, 'b'], [one.key, 'a']]);
      expect((await call(store.learnedSince(next.cursor))).durations).to.deep.equal([]);
      expect((await call(store.learnedSince(undefined))).durations).to.have.length(3);
    });
  });
}
