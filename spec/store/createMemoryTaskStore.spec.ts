import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { createMemoryTaskStore } from '../../src/store/createMemoryTaskStore.js';
import { handClock } from '../helpers/handClock.js';
import { taskStoreContract } from '../helpers/taskStoreContract.js';

describe('createMemoryTaskStore', () => {
  taskStoreContract(async ({ retention }) => {
    const clock = handClock();
    return { store: createMemoryTaskStore({ retention, scheduler: clock }), elapse: async (ms) => clock.move(ms), close: async () => undefined };
  });

  it('answers synchronously, so a client on a TestScheduler keeps its frames', () => {
    const store = createMemoryTaskStore();
    let answered = false;
    const answer = store.unfinished();
    if (!('subscribe' in answer)) throw new Error('expected an Observable');
    answer.subscribe(() => (answered = true));
    expect(answered).to.equal(true);
  });

  it('forgets the oldest task beyond maxTasks, and an ended one at once with retention 0', async () => {
    const store = createMemoryTaskStore({ maxTasks: 2, retention: 0 });
    const task = (taskUUID: string) => ({ taskUUID, taskType: 'imageInference', numberResults: 1, fingerprint: 'f', submittedAt: 0 });
    for (const taskUUID of ['a', 'b', 'c']) await firstValueFrom(store.recordTask(task(taskUUID)) as never);
    expect((await firstValueFrom(store.unfinished() as never) as Array<{ taskUUID: string }>).map((record) => record.taskUUID)).to.deep.equal(['b', 'c']);
    await firstValueFrom(store.recordEnd('b', 0) as never);
    expect(await firstValueFrom(store.task('b') as never)).to.equal(undefined);
  });

  it('refuses a bad retention, maxTasks or maxLearned with a RangeError naming it', () => {
    expect(() => createMemoryTaskStore({ retention: -1 })).to.throw(RangeError, /retention/);
    expect(() => createMemoryTaskStore({ maxTasks: 0 })).to.throw(RangeError, /maxTasks/);
    expect(() => createMemoryTaskStore({ maxLearned: 1.5 })).to.throw(RangeError, /maxLearned/);
  });
});
