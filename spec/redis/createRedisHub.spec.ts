import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { firstValueFrom, ReplaySubject, filter, type Observable } from 'rxjs';
import { createRedisHub, type RedisHub, type RedisHubOptions } from '../../src/redis/createRedisHub.js';
import { followLease } from '../helpers/followLease.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';

/** Everything a watch emitted so far, and a way to wait for a value. */
interface Collected {
  readonly values: unknown[];
  /** Resolves once a value equal (deeply) to `value` has arrived. */
  until(value: unknown): Promise<void>;
  stop(): void;
}

function collect(source: Observable<unknown>): Collected {
  const values: unknown[] = [];
  const seen = new ReplaySubject<unknown>();
  const subscription = source.subscribe((value) => {
    values.push(value);
    seen.next(value);
  });
  return {
    values,
    until: async (value) => {
      const text = JSON.stringify(value);
      await firstValueFrom(seen.pipe(filter((candidate) => JSON.stringify(candidate) === text)));
    },
    stop: () => subscription.unsubscribe(),
  };
}

const HERE = dirname(fileURLToPath(import.meta.url));

const adminClient = (url: string) => createClient({ url });
type AdminClient = ReturnType<typeof adminClient>;

const body = (taskUUID: string, n: number): Record<string, unknown> => ({ taskUUID, status: 'success', videoURL: `https://example.com/${n}.mp4` });

describe('createRedisHub (against a real redis-server)', function () {
  let server: RedisServer;
  let hubs: RedisHub[] = [];
  let prefix = '';
  const open = async (options: Partial<RedisHubOptions> = {}): Promise<RedisHub> => {
    const hub = createRedisHub({ url: server.url, prefix, reconnect: { interval: 20, multiplier: 2, maxInterval: 200, jitter: 0 }, ...options });
    hubs.push(hub);
    await hub.ready;
    return hub;
  };
  const admin = async <T>(use: (client: AdminClient) => Promise<T>): Promise<T> => {
    const client = adminClient(server.url);
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  };

  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    prefix = `spec-${randomUUID()}:`;
  });
  afterEach(async () => {
    await Promise.all(hubs.map((hub) => hub.close()));
    hubs = [];
  });

  it('replays the kept bodies to a watch that subscribes late on another process, then tails, dropping duplicates', async () => {
    const [publisher, watcher] = [await open(), await open()];
    const taskUUID = randomUUID();
    await publisher.publish(taskUUID, body(taskUUID, 1));
    await publisher.publish(taskUUID, body(taskUUID, 2));
    await publisher.publish(taskUUID, body(taskUUID, 1)); // Runware's retry, received again: dropped
    const seen = collect(watcher.watch(taskUUID.toUpperCase()));
    await seen.until(body(taskUUID, 2));
    await publisher.publish(taskUUID, body(taskUUID, 3));
    await seen.until(body(taskUUID, 3));
    expect(seen.values).to.deep.equal([body(taskUUID, 1), body(taskUUID, 2), body(taskUUID, 3)]);
    seen.stop();
  });

  it('fans every body out to every watch of the task, on every process, once each', async () => {
    const [publisher, a, b] = [await open(), await open(), await open()];
    const taskUUID = randomUUID();
    const watches = [collect(a.watch(taskUUID)), collect(a.watch(taskUUID)), collect(b.watch(taskUUID))];
    for (let n = 1; n <= 5; n++) await publisher.publish(taskUUID, body(taskUUID, n));
    await Promise.all(watches.map((watch) => watch.until(body(taskUUID, 5))));
    const expected = [1, 2, 3, 4, 5].map((n) => body(taskUUID, n));
    for (const watch of watches) expect(watch.values).to.deep.equal(expected);
    watches.forEach((watch) => watch.stop());
  });

  it('watches many tasks of a process over one blocking connection (CLIENT LIST)', async () => {
    const [publisher, watcher] = [await open(), await open()];
    const tasks = Array.from({ length: 60 }, () => randomUUID());
    const watches = tasks.map((taskUUID) => collect(watcher.watch(taskUUID)));
    await Promise.all(tasks.map((taskUUID) => publisher.publish(taskUUID, body(taskUUID, 1))));
    await Promise.all(watches.map((watch, i) => watch.until(body(tasks[i] ?? '', 1))));
    const list = await admin((client) => client.sendCommand(['CLIENT', 'LIST']));
    const hubConnections = String(list)
      .split('\n')
      .filter((line) => / name=runware-rx:hub:/.test(line));
    // two hubs, two connections each (commands and reader), whatever the number of watched tasks
    expect(hubConnections).to.have.length(4);
    expect(hubConnections.filter((line) => line.includes(':reader '))).to.have.length(2);
    for (const watch of watches) expect(watch.values).to.have.length(1);
    watches.forEach((watch) => watch.stop());
  });

  it('forgets a task ttl ms after its last body (the keys expire; a later watch replays nothing)', async () => {
    const hub = await open({ ttl: 300 });
    const taskUUID = randomUUID();
    const expired = await admin(async (client) => {
      await client.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'Ex']);
      const subscriber = client.duplicate();
      subscriber.on('error', () => undefined);
      await subscriber.connect();
      const keys: string[] = [];
      const bothGone = new Promise<void>((resolve) => {
        void subscriber.subscribe('__keyevent@0__:expired', (key: string) => {
          if (key.startsWith(prefix)) keys.push(key);
          if (keys.length === 2) resolve();
        });
      });
      await hub.publish(taskUUID, body(taskUUID, 1));
      const ttls = await Promise.all(['bodies', 'seen'].map((suffix) => client.sendCommand(['PTTL', `${prefix}{${taskUUID}}:${suffix}`])));
      for (const left of ttls) expect(left).to.be.within(1, 300);
      await bothGone;
      subscriber.destroy();
      return keys.sort();
    });
    expect(expired).to.deep.equal([`${prefix}{${taskUUID}}:bodies`, `${prefix}{${taskUUID}}:seen`]);
    const seen = collect(hub.watch(taskUUID));
    await hub.publish(taskUUID, body(taskUUID, 1)); // new again: the digest expired with the stream
    await seen.until(body(taskUUID, 1));
    expect(seen.values).to.deep.equal([body(taskUUID, 1)]);
    seen.stop();
  });

  it('keeps its watches through a redis-server restart: publish fails while it is away, nothing lost or doubled after', async () => {
    const [publisher, watcher] = [await open(), await open()];
    const taskUUID = randomUUID();
    const seen = collect(watcher.watch(taskUUID));
    await publisher.publish(taskUUID, body(taskUUID, 1));
    await seen.until(body(taskUUID, 1));
    await server.stop();
    let refused = 0;
    await publisher.publish(taskUUID, body(taskUUID, 2)).catch(() => refused++);
    expect(refused).to.equal(1);
    await server.start();
    // The publisher reconnects on its own: retry as the receiver's 503 makes Runware retry.
    for (;;) {
      try {
        await publisher.publish(taskUUID, body(taskUUID, 2));
        break;
      } catch {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await publisher.publish(taskUUID, body(taskUUID, 3));
    await seen.until(body(taskUUID, 3));
    expect(seen.values).to.deep.equal([1, 2, 3].map((n) => body(taskUUID, n)));
    seen.stop();
  });

  it('fails only the watch of a task whose stream key is not a stream; the other watches of the process read on', async () => {
    const [publisher, watcher] = [await open(), await open()];
    const [good, bad, badLater] = [randomUUID(), randomUUID(), randomUUID()];
    await admin((client) => client.sendCommand(['SET', `${prefix}{${bad}}:bodies`, 'not a stream']));
    const errors: unknown[] = [];
    let bothFailed = (): void => undefined;
    const failed = new Promise<void>((resolve) => (bothFailed = resolve));
    const onError = (error: unknown): void => {
      errors.push(error);
      if (errors.length === 2) bothFailed();
    };
    const badWatch = watcher.watch(bad).subscribe({ error: onError });
    const seen = collect(watcher.watch(good));
    const later = watcher.watch(badLater).subscribe({ error: onError });
    await publisher.publish(good, body(good, 1));
    await seen.until(body(good, 1));
    // A key that turns bad while tailed breaks the shared XREAD: it is found and only its watch ends.
    await admin((client) => client.sendCommand(['SET', `${prefix}{${badLater}}:bodies`, 'not a stream either']));
    await publisher.publish(good, body(good, 2));
    await seen.until(body(good, 2));
    await failed;
    for (const error of errors) expect(String(error)).to.match(/cannot read .* as a stream/);
    expect(seen.values).to.deep.equal([body(good, 1), body(good, 2)]);
    badWatch.unsubscribe();
    later.unsubscribe();
    seen.stop();
  });

  it('holds the polling lease through acquire: one hub polls a task, the other listens; after close, true', async () => {
    const [a, b] = [await open({ lease: { ttl: 60_000, renewInterval: 100 } }), await open({ lease: { ttl: 60_000, renewInterval: 100 } })];
    const taskUUID = randomUUID();
    const first = await firstValueFrom(a.acquire(taskUUID).pipe(filter((mine) => mine)));
    const holding = a.acquire(taskUUID).subscribe();
    const second = await firstValueFrom(b.acquire(taskUUID));
    expect([first, second]).to.deep.equal([true, false]);
    expect(() => a.acquire('nope')).to.throw(TypeError, 'RedisHub.acquire');
    holding.unsubscribe();
    await b.close();
    expect(await firstValueFrom(b.acquire(taskUUID))).to.equal(true);
  });

  it('drains on close: the publish in flight lands, its leases are released (the other hub takes over), nothing is reported', async () => {
    const errors: Error[] = [];
    const closing = await open({ lease: { ttl: 60_000, renewInterval: 20_000, owner: 'the-closing-hub' }, onError: (error) => errors.push(error) });
    const other = await open({ lease: { ttl: 60_000, renewInterval: 50, owner: 'the-other-hub' } });
    const [held, contended] = [randomUUID(), randomUUID()];
    const holder = followLease(closing.acquire(held));
    await holder.next(true);
    const follower = followLease(other.acquire(held));
    await follower.next(false);
    const seen = collect(other.watch(held));
    // In flight when close is called: a publish (the holder's last reply) and a lease's first try.
    const published = closing.publish(held, body(held, 1));
    const trying = followLease(closing.acquire(contended));
    await closing.close();
    await published;
    expect(errors.map((error) => error.message)).to.deep.equal([]);
    // Released: free, or already taken by the other hub's next try (50 ms), never still this hub's.
    const [heldBy, contendedBy] = await admin((client) => Promise.all([held, contended].map((taskUUID) => client.sendCommand(['GET', `${prefix}{${taskUUID}}:lease`]))));
    expect(heldBy).to.be.oneOf([null, 'the-other-hub']);
    expect(contendedBy).to.equal(null);
    // This hub's leases said true (nothing can be shared any more) and ended.
    expect([holder.values, holder.completed(), trying.completed()]).to.deep.equal([[true], true, true]);
    await seen.until(body(held, 1));
    await follower.next(true); // at its next try (50 ms), not after the 60 s the lease would have lived
    expect(await admin((client) => client.sendCommand(['GET', `${prefix}{${held}}:lease`]))).to.equal('the-other-hub');
    seen.stop();
    follower.stop();
  });

  it('closes at once while Redis is away, reporting nothing of its own close', async () => {
    const errors: Error[] = [];
    const hub = await open({ onError: (error) => errors.push(error) });
    const lease = followLease(hub.acquire(randomUUID()));
    await lease.next(true);
    await server.stop();
    try {
      const before = errors.length; // the lost connection, reported: true
      await hub.close();
      expect(lease.completed()).to.equal(true);
      expect(errors.slice(before).map((error) => error.message)).to.deep.equal([]);
    } finally {
      await server.start();
    }
  });

  it('a second process stopped by SIGTERM as the guide shows: its last reply reaches this one, its lease is free at its exit, it logs nothing', async function () {
    this.timeout(30_000); // a process to start (tsx compiles it): seconds on a loaded machine
    const taskUUID = randomUUID();
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'hubCloser.fixture.ts'), server.url, prefix, taskUUID], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
          if (lines.some((line) => line.startsWith('holding '))) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the closing instance exited (${String(code)}) before it held the lease`)));
      });
      const here = await open({ lease: { ttl: 60_000, renewInterval: 50, owner: 'this-instance' } });
      const lease = followLease(here.acquire(taskUUID));
      await lease.next(false);
      const seen = collect(here.watch(taskUUID));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(lines.slice(1)).to.deep.equal(['closed']); // no "error ..." line
      // Released at its exit: free, or already taken by this instance's next try (50 ms), not held for the 60 s of its ttl.
      const closer = lines[0]?.slice('holding '.length);
      expect(await admin((client) => client.sendCommand(['GET', `${prefix}{${taskUUID}}:lease`]))).to.be.oneOf([null, 'this-instance']).and.not.equal(closer);
      await seen.until({ taskUUID, status: 'success', videoURL: 'https://example.com/last.mp4' });
      await lease.next(true);
      expect(await admin((client) => client.sendCommand(['GET', `${prefix}{${taskUUID}}:lease`]))).to.equal('this-instance');
      lease.stop();
      seen.stop();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('completes open watches on close, refuses to publish after it, and checks its input', async () => {
    const hub = await open();
    const taskUUID = randomUUID();
    let completed = false;
    hub.watch(taskUUID).subscribe({ complete: () => (completed = true) });
    expect(() => hub.watch('not-a-uuid')).to.throw(TypeError, 'taskUUID');
    await hub.publish(taskUUID, undefined).then(
      () => expect.fail('published undefined'),
      (error: unknown) => expect(error).to.be.instanceOf(TypeError),
    );
    await hub.close();
    expect(completed).to.equal(true);
    await hub.publish(taskUUID, body(taskUUID, 1)).then(
      () => expect.fail('published after close'),
      (error: unknown) => expect(String(error)).to.contain('after close'),
    );
    expect(() => createRedisHub({ url: server.url, ttl: 0 })).to.throw(RangeError, 'ttl');
  });
});
