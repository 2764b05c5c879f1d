import { expect } from 'chai';
import { firstValueFrom, of } from 'rxjs';
import type { RunwareClient } from '../../src/client/createRunwareClient.js';
import { lazyClient } from '../../src/angular/lazyClient.js';
import type { Ack, TaskSnapshot } from '../../src/index.js';

describe('lazyClient', () => {
  const snapshot = { taskUUID: 'a' } as unknown as TaskSnapshot;
  const loaded: RunwareClient = {
    watchTask: () => of(),
    submit: () => of({ taskUUID: 'ack' } as unknown as Ack),
    run: () => of(),
    getResponse: (taskUUID) => of({ ...snapshot, taskUUID } as TaskSnapshot),
    resume: () => of(),
  };

  it('loads nothing until a call is subscribed, then loads once for every call', async () => {
    let loads = 0;
    const client = lazyClient(async () => {
      loads += 1;
      return loaded;
    });
    const call = client.getResponse('b');
    expect(loads, 'a call is cold').to.equal(0);
    expect((await firstValueFrom(call)).taskUUID).to.equal('b');
    await firstValueFrom(client.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a fox' }));
    expect(loads).to.equal(1);
  });

  it('forwards resume with its options once loaded', async () => {
    const given: unknown[] = [];
    let loads = 0;
    const client = lazyClient(async () => {
      loads += 1;
      return { ...loaded, resume: (options) => (given.push(options), of()) };
    });
    const call = client.resume({ timeout: 1000 });
    expect(loads, 'a call is cold').to.equal(0);
    await firstValueFrom(call, { defaultValue: undefined });
    expect(given).to.deep.equal([{ timeout: 1000 }]);
  });

  it('fails the call when loading fails, and loads again on the next call', async () => {
    let loads = 0;
    const client = lazyClient(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk failed to load');
      return loaded;
    });
    const failed = await firstValueFrom(client.getResponse('c')).catch((caught: unknown) => caught);
    expect(String(failed)).to.match(/chunk failed to load/);
    expect((await firstValueFrom(client.getResponse('c'))).taskUUID).to.equal('c');
    expect(loads).to.equal(2);
  });
});
