import { expect } from 'chai';
import { inspect } from 'node:util';
import { openRedisConnection } from '../../src/redis/redisConnection.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

describe('openRedisConnection (against a real redis-server)', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server?.close();
  });

  it('sends raw commands and reads RESP2 replies, under the name it was given', async () => {
    const connection = openRedisConnection({ url: server.url }, 'runware-rx:spec:named');
    try {
      await connection.ready;
      expect(await connection.send(['PING'])).to.equal('PONG');
      expect(await connection.send(['CLIENT', 'GETNAME'])).to.equal('runware-rx:spec:named');
      expect(await connection.send(['HELLO'])).to.be.an('array'); // RESP2: a flat array, not a map
    } finally {
      connection.close();
    }
  });

  it('rejects at once while Redis is away, and never shows the password of the URL', async () => {
    const password = 'pa ss/wörd-9f1c2e';
    const errors: Error[] = [];
    const url = `redis://default:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
    await server.stop();
    const connection = openRedisConnection({ url, reconnect: { interval: 10, multiplier: 1, maxInterval: 10, jitter: 0 }, onError: (error) => errors.push(error) }, 'runware-rx:spec:away');
    try {
      const failure = await connection.send(['PING']).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure).to.be.instanceOf(Error);
      for (const error of [failure, ...errors]) {
        const text = `${String(error?.message)} ${String(error?.stack)} ${inspect(error)}`;
        expect(text).to.not.contain(password);
        expect(text).to.not.contain(encodeURIComponent(password));
      }
    } finally {
      connection.close();
      await server.start();
    }
  });

  it('rejects commands after close', async () => {
    const connection = openRedisConnection({ url: server.url }, 'runware-rx:spec:closed');
    await connection.ready;
    const closing = connection.close();
    expect(connection.close()).to.equal(closing);
    await connection.send(['PING']).then(
      () => expect.fail('sent after close'),
      (error: unknown) => expect(String(error)).to.contain('closed'),
    );
    await closing;
  });

  it('close lets the commands in flight finish and reports nothing; destroy rejects them, reporting nothing either', async () => {
    const errors: Error[] = [];
    const drained = openRedisConnection({ url: server.url, onError: (error) => errors.push(error) }, 'runware-rx:spec:drained');
    await drained.ready;
    const inFlight = drained.send(['SET', 'spec:drained', 'landed']);
    await drained.close();
    expect(await inFlight).to.equal('OK');
    const cut = openRedisConnection({ url: server.url, onError: (error) => errors.push(error) }, 'runware-rx:spec:cut');
    await cut.ready;
    const lost = cut.send(['PING']).then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    cut.destroy();
    expect(await lost).to.contain('Disconnects client');
    expect(errors).to.deep.equal([]);
  });

  it('a close still resolves when Redis goes away while it drains; the command in flight fails, nothing is reported', async () => {
    const errors: Error[] = [];
    const connection = openRedisConnection({ url: server.url, onError: (error) => errors.push(error) }, 'runware-rx:spec:drain-cut');
    await connection.ready;
    const blocked = connection.send(['BLPOP', 'spec:never-pushed', '0']).then(
      () => 'answered',
      () => 'failed',
    );
    const closing = connection.close(); // waits for the BLPOP, which only Redis going away ends
    await server.stop();
    try {
      await closing;
      expect(await blocked).to.equal('failed');
      expect(errors).to.deep.equal([]);
    } finally {
      await server.start();
    }
  });
});
