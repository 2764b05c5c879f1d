import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createRedisTaskStore } from '../../src/redis/createRedisTaskStore.js';
import { openRedisConnection, type RedisConnection } from '../../src/redis/redisConnection.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { taskStoreContract } from '../helpers/taskStoreContract.js';

describe('createRedisTaskStore (against a real redis-server)', function () {
  let server: RedisServer;
  let admin: RedisConnection;
  before(async () => {
    server = await startRedisServer();
    admin = openRedisConnection({ url: server.url }, 'runware-rx:spec:admin');
    await admin.ready;
  });
  after(async () => {
    admin.close();
    await server.close();
  });

  /** Redis' clock is its own: letting `ms` pass is shortening the TTL of every key under `prefix` by `ms`, then waiting until those due are gone. */
  const elapse = async (prefix: string, ms: number): Promise<void> => {
    const keys = (await admin.send(['KEYS', `${prefix}*`])) as string[];
    const due: string[] = [];
    for (const key of keys) {
      const ttl = Number(await admin.send(['PTTL', key]));
      if (ttl < 0) continue;
      if (ttl > ms) await admin.send(['PEXPIRE', key, String(ttl - ms)]);
      else due.push(key);
    }
    for (const key of due) await admin.send(['DEL', key]);
  };

  taskStoreContract(async ({ retention }) => {
    const prefix = `spec-${randomUUID()}:`;
    const store = createRedisTaskStore({ url: server.url, prefix, retention });
    await store.ready;
    return { store, elapse: (ms) => elapse(prefix, ms), close: async () => store.close() };
  });

  it('refuses a task hash it cannot read with an error naming the key, and leaves it as it is', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const store = createRedisTaskStore({ url: server.url, prefix });
    try {
      await store.ready;
      const taskUUID = randomUUID();
      await admin.send(['HSET', `${prefix}task:${taskUUID}`, 'task', '{"taskUUID":1}', 'n', '1']);
      await admin.send(['ZADD', `${prefix}unfinished`, '0', taskUUID]);
      const error = await store.unfinished().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(String(error)).to.match(/cannot read .*task:.* task/);
      expect(await admin.send(['HGET', `${prefix}task:${taskUUID}`, 'task'])).to.equal('{"taskUUID":1}');
    } finally {
      await store.close();
    }
  });

  it('lets two processes deliver one index once: the first write stays', async () => {
    const prefix = `spec-${randomUUID()}:`;
    const [a, b] = [createRedisTaskStore({ url: server.url, prefix }), createRedisTaskStore({ url: server.url, prefix })];
    try {
      await Promise.all([a.ready, b.ready]);
      const taskUUID = randomUUID();
      await a.recordTask({ taskUUID, taskType: 'imageInference', numberResults: 2, fingerprint: 'f', submittedAt: 0 });
      const event = (url: string) => ({ status: 'success' as const, taskUUID, taskType: 'imageInference', index: 0, result: { taskType: 'imageInference', taskUUID, status: 'success' as const, imageURL: url } });
      await Promise.all([a.recordDelivery(event('https://example.com/a.png')), b.recordDelivery(event('https://example.com/b.png'))]);
      const held = await b.task(taskUUID);
      expect(held?.delivered).to.have.length(1);
      expect(held?.endedAt).to.equal(undefined);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
